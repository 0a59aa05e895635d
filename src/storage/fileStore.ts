import { Readable } from "node:stream";
import type pg from "pg";

/**
 * Files (uploads, written exports) are kept in PostgreSQL as rows of 1 MiB chunks, so workers on
 * other machines read them with no shared disk. An export's file is stored in the same transaction
 * as its job's result. An upload is written one chunk per statement, holding no connection or
 * transaction while its client sends, and is marked finished in the transaction that creates its
 * import: an unfinished file is an upload in progress, or one that was abandoned and is swept.
 */
const CHUNK_BYTES = 1024 * 1024;

/** Sees every chunk of a file as it streams in; throw to stop storing it. */
export type ChunkInspector = (chunk: Buffer, offset: number) => void;

export interface StoredFile {
  fileId: string;
  size: number;
}

/**
 * `stream` in pieces of {@link CHUNK_BYTES} (the last one shorter), each piece's bytes seen by
 * `inspect` as they arrive; at most one piece is held in memory.
 */
async function* chunksOf(stream: AsyncIterable<Buffer>, inspect: ChunkInspector): AsyncGenerator<Buffer> {
  let size = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of stream) {
    inspect(chunk, size);
    size += chunk.length;
    pending.push(chunk);
    pendingBytes += chunk.length;
    while (pendingBytes >= CHUNK_BYTES) {
      const all = Buffer.concat(pending, pendingBytes);
      yield all.subarray(0, CHUNK_BYTES);
      pending = [all.subarray(CHUNK_BYTES)];
      pendingBytes = all.length - CHUNK_BYTES;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes);
}

/**
 * Streams `stream` into a new stored file inside the caller's transaction on `client`, holding at
 * most one chunk in memory. If anything throws (the stream, the inspector, the database), the
 * caller's rollback removes every chunk written so far.
 */
export async function storeFile(
  client: pg.PoolClient,
  userId: string,
  stream: AsyncIterable<Buffer>,
  inspect: ChunkInspector = () => undefined,
): Promise<StoredFile> {
  const {
    rows: [file],
  } = await client.query<{ id: string }>("insert into stored_files (user_id, size) values ($1, 0) returning id", [
    userId,
  ]);
  const fileId = file!.id;
  let size = 0;
  let seq = 0;
  for await (const data of chunksOf(stream, inspect)) {
    await client.query("insert into stored_file_chunks (file_id, seq, data) values ($1, $2, $3)", [
      fileId,
      seq++,
      data,
    ]);
    size += data.length;
  }
  await client.query("update stored_files set size = $2 where id = $1", [fileId, size]);
  return { fileId, size };
}

/**
 * Writes `stream` into the unfinished file `fileId` (see {@link beginUpload}): each 1 MiB chunk in
 * one short autocommitted statement on `pool`, its size added to the file's as it goes, so the
 * user's quota sees it at once. Before each chunk `allow(bytes)` may throw to stop the upload.
 * Returns the file's size; the caller marks it finished or deletes it.
 */
export async function writeUpload(
  pool: pg.Pool,
  fileId: string,
  stream: AsyncIterable<Buffer>,
  inspect: ChunkInspector,
  allow: (bytes: number) => Promise<void>,
): Promise<number> {
  let size = 0;
  let seq = 0;
  for await (const data of chunksOf(stream, inspect)) {
    await allow(data.length);
    const { rowCount } = await pool.query(
      `with grown as (update stored_files set size = size + $3 where id = $1 and not finished returning id)
       insert into stored_file_chunks (file_id, seq, data) select id, $2, $4 from grown`,
      [fileId, seq++, data.length, data],
    );
    if (rowCount !== 1) throw new Error(`The upload's stored file ${fileId} is gone (swept as abandoned?).`);
    size += data.length;
  }
  return size;
}

/** Streams a stored file back, one chunk (one query) at a time. */
export function openStoredFile(pool: pg.Pool, fileId: string): Readable {
  async function* chunks() {
    for (let seq = 0; ; seq++) {
      const { rows } = await pool.query<{ data: Buffer }>(
        "select data from stored_file_chunks where file_id = $1 and seq = $2",
        [fileId, seq],
      );
      if (!rows[0]) return;
      yield rows[0].data;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}

/** Deletes a stored file and its chunks (inside the caller's transaction when given its client). */
export async function deleteStoredFile(db: pg.Pool | pg.PoolClient, fileId: string): Promise<void> {
  await db.query("delete from stored_files where id = $1", [fileId]);
}
