import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import type { ErrorCode } from "../errors.js";

/**
 * Bytes per write of a download. Each write that completes tells the HTTP server the client is
 * still reading (see serveDownload's write deadline), so a client must read this much per deadline,
 * not a whole 1 MiB chunk.
 */
const WRITE_BYTES = 64 * 1024;

/**
 * A file a service has checked and is ready to send: what to call it, its type, its size when
 * known beforehand, and how to write its bytes. The HTTP route turns it into a response.
 */
export interface Download {
  fileName: string;
  contentType: string;
  size?: number;
  /** Streams the file into `out`, holding little of it in memory. */
  write(out: Writable): Promise<void>;
}

/** Why a download cannot be had, as the code its HTTP error body carries. */
export type UnavailableReason = Extract<ErrorCode, "NOT_FOUND" | "NOT_READY" | "GONE">;

/** A download that does not exist for this caller, is not ready, or is gone; `message` is for people. */
export class DownloadUnavailable extends Error {
  constructor(
    readonly reason: UnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = "DownloadUnavailable";
  }
}

/**
 * Chunk reads all downloads of this process make at once. Each download fills its client's socket
 * buffers (megabytes) as fast as it can, so a burst of downloads would otherwise queue dozens of
 * 1 MiB reads on the API's pool ahead of every GraphQL request; this way they take two connections
 * at most, and a download waits its turn instead.
 */
const CONCURRENT_READS = 2;
let reads = 0;
const waiting: Array<() => void> = [];

/** Chunk `seq` of stored file `fileId`, or undefined past its last. */
async function readChunk(pool: pg.Pool, fileId: string, seq: number): Promise<Buffer | undefined> {
  if (reads < CONCURRENT_READS) reads++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    const { rows } = await pool.query<{ data: Buffer }>(
      "select data from stored_file_chunks where file_id = $1 and seq = $2",
      [fileId, seq],
    );
    return rows[0]?.data;
  } finally {
    // hand the turn straight to the next download, if one waits
    const next = waiting.shift();
    if (next) next();
    else reads--;
  }
}

/**
 * Streams stored file `fileId` into `out`: one short query per chunk, and none while `out` waits
 * for the client, so a download holds a database connection only while it reads a chunk.
 */
export function streamStoredFile(pool: pg.Pool, fileId: string, out: Writable): Promise<void> {
  return pipeline(async function* () {
    for (let seq = 0; ; seq++) {
      const chunk = await readChunk(pool, fileId, seq);
      if (!chunk) return;
      for (let at = 0; at < chunk.length; at += WRITE_BYTES) yield chunk.subarray(at, at + WRITE_BYTES);
    }
  }, out);
}
