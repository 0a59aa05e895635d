import { createHmac, randomBytes } from "node:crypto";

/** Bytes of a new signing secret: the Standard Webhooks spec asks for 24 to 64. */
const SECRET_BYTES = 32;

/** The prefix that tells a Standard Webhooks symmetric secret from other strings. */
const SECRET_PREFIX = "whsec_";

/** A new signing secret: its bytes (kept) and the `whsec_<base64>` form the user is shown once. */
export function newWebhookSecret(): { key: Buffer; secret: string } {
  const key = randomBytes(SECRET_BYTES);
  return { key, secret: SECRET_PREFIX + key.toString("base64") };
}

/**
 * The Standard Webhooks headers of one attempt: `webhook-id` (the same on every attempt, a
 * receiver's idempotency key), `webhook-timestamp` (this attempt, in Unix seconds) and
 * `webhook-signature`, `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body` under the secret's
 * bytes. Neither the id (a uuid) nor the timestamp can hold a `.`, so the signed text splits one way.
 */
export function signatureHeaders(key: Buffer, id: string, timestamp: number, body: string): Record<string, string> {
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${signature}`,
  };
}
