import type { Config } from "../config.js";
import { UserError } from "../errors.js";
import { coerceError } from "../lib.js";
import { ipLiteral, isPublicAddress, NonPublicAddressError, resolvePublic } from "./publicAddress.js";

/** Longest webhook URL, in characters. */
export const MAX_URL_LENGTH = 2048;

/** How long `createWebhook` waits for the host to resolve. */
const RESOLVE_TIMEOUT_MS = 5_000;

/**
 * The URL a webhook may be created with, normalised (`new URL(...).href`), or BAD_USER_INPUT saying
 * why not: longer than {@link MAX_URL_LENGTH}; not http(s); carrying a user name or password (the
 * listing would show them; deliveries are signed instead); unless `webhookAllowPrivate`, not https,
 * or a host that is, or resolves to, any address that is not public. Delivery checks the addresses
 * again (see sendWebhook.ts), since what a name resolves to can change.
 */
export async function checkWebhookUrl(raw: string, config: Pick<Config, "webhookAllowPrivate">): Promise<string> {
  if (raw.length > MAX_URL_LENGTH) {
    throw new UserError("BAD_USER_INPUT", `A webhook URL may be at most ${MAX_URL_LENGTH} characters long.`);
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new UserError("BAD_USER_INPUT", `${JSON.stringify(raw.slice(0, 100))} is not a URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new UserError("BAD_USER_INPUT", `A webhook URL must start with https://, not ${url.protocol}//.`);
  }
  if (url.username || url.password) {
    throw new UserError(
      "BAD_USER_INPUT",
      "A webhook URL may not hold a user name or password: deliveries are signed, so your endpoint can check them.",
    );
  }
  if (!config.webhookAllowPrivate) {
    await refuseNonPublicHost(url.hostname);
    if (url.protocol !== "https:") {
      throw new UserError(
        "BAD_USER_INPUT",
        "A webhook URL must use https://, so deliveries cannot be read on the way.",
      );
    }
  }
  return url.href;
}

async function refuseNonPublicHost(hostname: string): Promise<void> {
  const literal = ipLiteral(hostname);
  if (literal) {
    if (!isPublicAddress(literal)) throw refused(new NonPublicAddressError(literal, literal));
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      resolvePublic(hostname),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${RESOLVE_TIMEOUT_MS / 1000} s`)),
          RESOLVE_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (caught) {
    const err = coerceError(caught);
    if (err instanceof NonPublicAddressError) throw refused(err);
    throw new UserError("BAD_USER_INPUT", `The webhook's host ${hostname} could not be resolved (${err.message}).`);
  } finally {
    clearTimeout(timer);
  }
}

function refused(err: NonPublicAddressError): UserError {
  return new UserError("BAD_USER_INPUT", `A webhook must point at the public internet: ${err.message}.`);
}
