import http from "node:http";
import https from "node:https";
import { coerceError } from "../lib.js";
import { ipLiteral, isPublicAddress, NonPublicAddressError, publicLookup } from "./publicAddress.js";

/** Most bytes of a receiver's answer that are read; the rest is never received. */
export const MAX_RESPONSE_BYTES = 4096;

/** Characters of a failed answer's body kept in the delivery log. */
const EXCERPT_CHARS = 200;

/** How one attempt went. Never thrown: a receiver's failure is an outcome, not our error. */
export interface SendOutcome {
  /** The receiver's HTTP status, or null when none came (refused, unreachable, timed out). */
  statusCode: number | null;
  /** Why the attempt failed, for a person; null on a 2xx. */
  error: string | null;
  /** A `Retry-After` in seconds, when the receiver sent one. */
  retryAfterSeconds: number | null;
  durationMs: number;
}

export interface SendOptions {
  /** The whole attempt's deadline: connecting, sending, and the answer. */
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE: skip the address checks (and allow http). */
  allowPrivate: boolean;
}

/**
 * POSTs `body` to `url` once. Bounded: one deadline for the whole attempt; no redirect is followed
 * (a 3xx is a failure, as the Standard Webhooks spec advises); at most {@link MAX_RESPONSE_BYTES} of
 * the answer are read; a fresh connection each time (no agent), so every attempt resolves the host
 * again. Unless `allowPrivate`, only https, and only to public addresses, checked on the very
 * answer the connection uses (see publicLookup).
 */
export async function sendWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  { timeoutMs, allowPrivate }: SendOptions,
): Promise<SendOutcome> {
  const started = performance.now();
  const outcome = (statusCode: number | null, error: string | null, retryAfterSeconds: number | null = null) => ({
    statusCode,
    error,
    retryAfterSeconds,
    durationMs: Math.round(performance.now() - started),
  });
  const failed = (error: string) => outcome(null, error);

  const target = new URL(url);
  if (!allowPrivate) {
    if (target.protocol !== "https:") return failed("refused: a webhook must use https (WEBHOOK_ALLOW_PRIVATE is off)");
    const literal = ipLiteral(target.hostname);
    if (literal && !isPublicAddress(literal))
      return failed(`refused: ${new NonPublicAddressError(literal, literal).message}`);
  }

  return new Promise<SendOutcome>((resolve) => {
    const request = (target.protocol === "https:" ? https : http).request(
      target,
      {
        method: "POST",
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
        ...(allowPrivate ? {} : { lookup: publicLookup }),
        headers: {
          ...headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "xls-importer-webhooks",
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        let received = 0;
        let settled = false;
        const settle = () => {
          if (settled) return;
          settled = true;
          // the rest of the answer is not ours to wait for
          response.destroy();
          const statusCode = response.statusCode ?? 0;
          if (statusCode >= 200 && statusCode < 300) return resolve(outcome(statusCode, null));
          // only the delay-seconds form: a date would trust the receiver's clock
          const retryAfter = Number(response.headers["retry-after"]);
          const retryAfterSeconds = Number.isInteger(retryAfter) && retryAfter >= 0 ? retryAfter : null;
          resolve(outcome(statusCode, statusMessage(statusCode, response.headers.location, chunks), retryAfterSeconds));
        };
        response.on("data", (chunk: Buffer) => {
          if (received < MAX_RESPONSE_BYTES) chunks.push(chunk.subarray(0, MAX_RESPONSE_BYTES - received));
          received += chunk.length;
          if (received >= MAX_RESPONSE_BYTES) settle();
        });
        response.on("end", settle);
        response.on("error", settle);
        response.on("close", settle);
      },
    );
    request.on("error", (caught) => {
      const err = coerceError(caught);
      if (err.name === "AbortError") return resolve(failed(`no answer within ${timeoutMs / 1000} s`));
      if (err instanceof NonPublicAddressError) return resolve(failed(`refused: ${err.message}`));
      resolve(failed(err.message));
    });
    request.end(body);
  });
}

/** What a failed answer says, for the delivery log. */
function statusMessage(statusCode: number, location: string | undefined, chunks: Buffer[]): string {
  if (statusCode >= 300 && statusCode < 400) {
    return `HTTP ${statusCode}: redirects are not followed${location ? `; point the webhook at ${location.slice(0, 300)}` : ""}`;
  }
  const text = Buffer.concat(chunks).toString("utf8").replace(/\s+/g, " ").trim();
  const excerpt = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text;
  return `HTTP ${statusCode}${excerpt ? `: ${excerpt}` : ""}`;
}
