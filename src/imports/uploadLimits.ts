import type { Readable } from "node:stream";
import type pg from "pg";
import type { Config } from "../config.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import { formatBytes, storageQuotaExceeded, storedBytes } from "../storage/storageQuota.js";

type UploadConfig = Pick<
  Config,
  "maxConcurrentUploadsPerUser" | "maxStoredBytesPerUser" | "uploadIdleTimeoutSeconds" | "uploadDeadlineSeconds"
>;

/**
 * Starts an upload for `userId`: refuses it with TOO_MANY_UPLOADS while
 * `maxConcurrentUploadsPerUser` of theirs are streaming in, and with QUOTA_EXCEEDED when their
 * stored files already fill `maxStoredBytesPerUser`; else creates its unfinished stored file and
 * returns its id. The count lives in PostgreSQL (the user's unfinished files younger than the upload
 * deadline; older ones were abandoned), so every API process sees the same, and a per-user
 * advisory lock makes two uploads starting at once count each other.
 */
export async function beginUpload(pool: pg.Pool, userId: string, config: UploadConfig): Promise<string> {
  return withTransaction(pool, async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtextextended('upload ' || $1, 0))", [userId]);
    const {
      rows: [usage],
    } = await tx.query<{ uploading: number; stored: string }>(
      `select count(*) filter (where not finished and created_at > now() - make_interval(secs => $2))::int as uploading,
         coalesce(sum(size), 0)::bigint as stored
       from stored_files where user_id = $1`,
      [userId, config.uploadDeadlineSeconds],
    );
    if (usage!.uploading >= config.maxConcurrentUploadsPerUser) {
      throw new UserError(
        "TOO_MANY_UPLOADS",
        `At most ${config.maxConcurrentUploadsPerUser} of your uploads may stream in at once; wait for one to finish.`,
      );
    }
    if (Number(usage!.stored) >= config.maxStoredBytesPerUser) {
      throw storageQuotaExceeded(
        `Your stored files already take the ${formatBytes(config.maxStoredBytesPerUser)} you may store.`,
      );
    }
    const {
      rows: [file],
    } = await tx.query<{ id: string }>(
      "insert into stored_files (user_id, size, finished) values ($1, 0, false) returning id",
      [userId],
    );
    return file!.id;
  });
}

/**
 * Checks, before each chunk of an upload is stored, that it still fits the user's quota: every
 * stored file of theirs counts (uploads finished or streaming in, exports, error reports), this
 * one's chunks so far included. Uploads of one user racing each other may pass it by a chunk each.
 */
export function quotaCheck(pool: pg.Pool, userId: string, maxBytes: number): (bytes: number) => Promise<void> {
  return async (bytes) => {
    if ((await storedBytes(pool, userId)) + bytes > maxBytes) {
      throw storageQuotaExceeded(`This upload would take your stored files past the ${formatBytes(maxBytes)} limit.`);
    }
  };
}

/** UPLOAD_TIMEOUT after `config.uploadIdleTimeoutSeconds` without a byte. */
function idleTimeout(config: UploadConfig): UserError {
  return new UserError(
    "UPLOAD_TIMEOUT",
    `The upload stopped: nothing arrived for ${config.uploadIdleTimeoutSeconds} s.`,
  );
}

/**
 * `promise`'s value, or `timedOut()` thrown once `ms` have passed first (the promise's own failure,
 * if it comes later, is then ignored).
 */
async function within<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(timedOut()), Math.max(0, ms));
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The uploaded file once its part of the request begins (the `operations` and `map` parts come
 * first); UPLOAD_TIMEOUT when it has not begun within `uploadIdleTimeoutSeconds`.
 */
export function receiveUpload<T>(upload: Promise<T>, config: UploadConfig): Promise<T> {
  return within(upload, config.uploadIdleTimeoutSeconds * 1000, () => idleTimeout(config));
}

/**
 * The upload's bytes, as long as they keep coming: UPLOAD_TIMEOUT once the client has sent
 * nothing for `uploadIdleTimeoutSeconds`, or is still sending `uploadDeadlineSeconds` after this
 * began. Only time spent waiting for the client counts toward the idle timeout, not time the
 * consumer takes between reads. The stream is destroyed when this ends, however it ends.
 */
export async function* timedUpload(upload: Readable, config: UploadConfig): AsyncGenerator<Buffer, void, undefined> {
  const idleMs = config.uploadIdleTimeoutSeconds * 1000;
  const deadline = Date.now() + config.uploadDeadlineSeconds * 1000;
  const pastDeadline = () =>
    new UserError(
      "UPLOAD_TIMEOUT",
      `The upload stopped: it was still arriving after ${config.uploadDeadlineSeconds} s.`,
    );
  const chunks = (upload as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const left = deadline - Date.now();
      const next = await within(chunks.next(), Math.min(idleMs, left), () =>
        idleMs <= left ? idleTimeout(config) : pastDeadline(),
      );
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // also settles a read still pending after a timeout
    upload.destroy();
  }
}
