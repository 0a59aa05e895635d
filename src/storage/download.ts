import type { Writable } from "node:stream";
import type { ErrorCode } from "../errors.js";

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
