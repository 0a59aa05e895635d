import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import type { Config } from "../config.js";
import type { ErrorCode } from "../errors.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "./createMetrics.js";

/** The path Prometheus scrapes by default. */
export const METRICS_PATH = "/metrics";

/** Headers a reverse proxy adds: a request carrying one came from elsewhere, whatever its peer. */
const FORWARDING_HEADERS = ["forwarded", "x-forwarded-for", "x-real-ip"];

/**
 * Who may read `/metrics`: with `METRICS_TOKEN` set, whoever sends it as a bearer token (401
 * UNAUTHENTICATED otherwise); without it, only this machine: a loopback peer, and not a request a
 * proxy on this machine forwarded (403 FORBIDDEN otherwise). The metrics name no user, but they
 * tell how busy the service is, which is an operator's business.
 */
export function metricsRefusal(
  req: IncomingMessage,
  token: string | undefined,
): { status: number; code: ErrorCode; message: string } | undefined {
  if (token !== undefined) {
    const sent = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim() ?? "";
    if (sameSecret(sent, token)) return undefined;
    return { status: 401, code: "UNAUTHENTICATED", message: "Send METRICS_TOKEN as a bearer token to read /metrics." };
  }
  const forwarded = FORWARDING_HEADERS.some((name) => req.headers[name] !== undefined);
  if (isLoopback(req.socket.remoteAddress) && !forwarded) return undefined;
  return {
    status: 403,
    code: "FORBIDDEN",
    message: "/metrics answers only this machine unless METRICS_TOKEN is set; then send it as a bearer token.",
  };
}

/** Answers a request for `/metrics`: the Prometheus text, or a JSON error as downloads give them. */
export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: Metrics,
  config: Pick<Config, "metricsToken">,
  logger: Logger,
): Promise<void> {
  const fail = (status: number, code: ErrorCode, message: string) => {
    if (status === 401) res.setHeader("www-authenticate", 'Bearer realm="metrics"');
    if (status === 405) res.setHeader("allow", "GET, HEAD");
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ error: { code, message } }));
  };
  if (req.method !== "GET" && req.method !== "HEAD") {
    return fail(405, "METHOD_NOT_ALLOWED", "/metrics answers GET and HEAD only.");
  }
  const refused = metricsRefusal(req, config.metricsToken);
  if (refused) return fail(refused.status, refused.code, refused.message);
  let text: string;
  try {
    text = await metrics.render();
  } catch (err) {
    logger.error({ err: coerceError(err) }, "/metrics failed");
    return fail(500, "INTERNAL_SERVER_ERROR", "Unexpected error.");
  }
  res.writeHead(200, { "content-type": metrics.contentType, "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : text);
}

/** Compares in constant time, so the answer's timing says nothing of how much of a guess was right. */
function sameSecret(sent: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** 127.0.0.0/8, ::1, and IPv4 loopback written as IPv6 (::ffff:127.0.0.1). */
function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  if (isIP(v4) === 4) return v4.startsWith("127.");
  return address === "::1";
}
