import { createHmac, timingSafeEqual } from "node:crypto";

/** What a signed link downloads; a token for one can never open the other. */
export type DownloadPurpose = "export" | "import-errors";

/** How long a signed download link works: long enough to click, short enough to leak little. */
export const DOWNLOAD_LINK_TTL_MS = 15 * 60 * 1000;

function mac(secret: Buffer, purpose: DownloadPurpose, id: string, expires: number): string {
  return createHmac("sha256", secret).update(`${purpose}\n${id.toLowerCase()}\n${expires}`).digest("base64url");
}

/**
 * A token for `?token=` that lets whoever holds it download one thing until `expiresAt` (rounded
 * down to the second): `<unix seconds>.<HMAC-SHA256 of purpose, id and expiry>`. Nothing is stored;
 * the key alone checks it.
 */
export function signDownload(secret: Buffer, purpose: DownloadPurpose, id: string, expiresAt: Date): string {
  const expires = Math.floor(expiresAt.getTime() / 1000);
  return `${expires}.${mac(secret, purpose, id, expires)}`;
}

/** True when `token` was signed for this purpose and id and has not expired. */
export function verifyDownload(
  secret: Buffer,
  purpose: DownloadPurpose,
  id: string,
  token: string,
  now = Date.now(),
): boolean {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires * 1000 <= now) return false;
  const expected = Buffer.from(mac(secret, purpose, id, expires));
  const given = Buffer.from(match[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The path of a signed download link that works until `limit` or for {@link DOWNLOAD_LINK_TTL_MS},
 * whichever comes first.
 */
export function signedPath(
  secret: Buffer,
  purpose: DownloadPurpose,
  id: string,
  path: string,
  limit?: Date | null,
  now = Date.now(),
): string {
  const expiresAt = new Date(Math.min(now + DOWNLOAD_LINK_TTL_MS, limit?.getTime() ?? Infinity));
  return `${path}?token=${signDownload(secret, purpose, id, expiresAt)}`;
}
