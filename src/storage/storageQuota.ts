import type pg from "pg";
import { UserError } from "../errors.js";

/** Bytes of every file `userId` has stored: uploads, exports and error reports. */
export async function storedBytes(db: pg.Pool | pg.PoolClient, userId: string): Promise<number> {
  const {
    rows: [stored],
  } = await db.query<{ bytes: string }>("select coalesce(sum(size), 0) as bytes from stored_files where user_id = $1", [
    userId,
  ]);
  return Number(stored!.bytes);
}

/**
 * QUOTA_EXCEEDED (`MAX_STORED_BYTES_PER_USER`): `why` is a sentence that says what was refused,
 * sizes in {@link formatBytes}; this adds how space comes free.
 */
export function storageQuotaExceeded(why: string): UserError {
  return new UserError(
    "QUOTA_EXCEEDED",
    `${why} Space comes free as exports expire and the files of finished imports are deleted.`,
  );
}

/** `1.5 MiB`, `512 KiB`, `10 bytes`: a size for people. */
export function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = "bytes";
  for (const next of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${Number(value.toFixed(1))} ${unit}`;
}
