import { isUtf8 } from "node:buffer";
import type { FileType } from "./types.js";

/** How many leading bytes {@link detectFileType} looks at; pass at least this many when the file has them. */
export const SNIFF_LENGTH = 8192;

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * Tells a spreadsheet's format from its first bytes, ignoring the file name (people rename files).
 *
 * - a zip archive → `"xlsx"` (whether it really holds a workbook is only known while reading it);
 * - an OLE2 compound file → `"xls"`;
 * - UTF-8 text without NUL bytes (a BOM is fine, so is an empty file) → `"csv"`;
 * - anything else → `"unsupported"`.
 *
 * @param firstBytes The start of the file: {@link SNIFF_LENGTH} bytes, or the whole file if shorter.
 *   A multi-byte character cut off at the end is tolerated.
 */
export function detectFileType(firstBytes: Uint8Array): FileType {
  if (startsWith(firstBytes, ZIP_SIGNATURE)) return "xlsx";
  if (startsWith(firstBytes, CFB_SIGNATURE)) return "xls";
  const head = firstBytes.length > SNIFF_LENGTH ? firstBytes.subarray(0, SNIFF_LENGTH) : firstBytes;
  if (head.includes(0)) return "unsupported";
  return isUtf8(head.subarray(0, completeUtf8Length(head))) ? "csv" : "unsupported";
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  if (bytes.length < signature.length) return false;
  return signature.every((byte, i) => bytes[i] === byte);
}

/**
 * The length of `bytes` without a trailing multi-byte UTF-8 sequence that the cut at the end left
 * incomplete, so that valid text is not rejected for where the sample happened to stop.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const end = bytes.length;
  // a sequence is at most 4 bytes, so only the last 3 can start an unfinished one
  for (let i = end - 1; i >= 0 && i >= end - 3; i--) {
    const byte = bytes[i]!;
    if (byte < 0x80) return end; // ASCII: nothing is pending
    if (byte >= 0xc0) {
      const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return end - i < needed ? i : end;
    }
    // a continuation byte: keep looking for the lead byte
  }
  return end;
}
