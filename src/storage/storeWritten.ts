import { PassThrough, type Writable } from "node:stream";
import type pg from "pg";
import { coerceError } from "../lib.js";
import { storeFile, type ChunkInspector, type StoredFile } from "./fileStore.js";

/**
 * Stores what `write` writes (a sheet writer, say) as a new file of `userId`'s on `tx`, while it
 * is written: a slow insert fills the stream, which makes the writer wait for 'drain', so memory
 * stays flat end to end. Whichever side fails first stops the other, and the caller's rollback
 * removes what was stored. `write` must end the stream it is given.
 */
export async function storeWritten<T>(
  tx: pg.PoolClient,
  userId: string,
  write: (out: Writable) => Promise<T>,
  inspect?: ChunkInspector,
): Promise<StoredFile & { written: T }> {
  const out = new PassThrough();
  const stored = storeFile(tx, userId, out, inspect);
  const produced = write(out);
  // without this, a side that fails would leave the other waiting forever
  const abort = (err: unknown) => {
    out.destroy(coerceError(err));
    throw err;
  };
  const [file, written] = await Promise.all([stored.catch(abort), produced.catch(abort)]).catch(async (err) => {
    await Promise.allSettled([stored, produced]);
    throw err;
  });
  return { ...file, written };
}
