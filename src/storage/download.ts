import type { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import type { ErrorCode } from "../errors.js";
import { openStoredFile } from "./fileStore.js";

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
 * Streams stored file `fileId` into `out`: one short query per chunk, and none while `out` waits
 * for the client, so a download holds a database connection only while it reads a chunk.
 */
export function streamStoredFile(pool: pg.Pool, fileId: string, out: Writable): Promise<void> {
  return pipeline(
    openStoredFile(pool, fileId),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        for (let at = 0; at < chunk.length; at += WRITE_BYTES) yield chunk.subarray(at, at + WRITE_BYTES);
      }
    },
    out,
  );
}
