import { isUtf8 } from "node:buffer";

/** The character encodings text files are read in, named as `Import.encoding` reports them. */
export type TextEncoding = "UTF-8" | "UTF-16LE" | "UTF-16BE" | "windows-1252";

/**
 * Tells a text file's character encoding from its first bytes:
 *
 * - a byte order mark: `EF BB BF` → UTF-8, `FF FE` → UTF-16LE (Excel's "Unicode Text"),
 *   `FE FF` → UTF-16BE;
 * - otherwise valid UTF-8 (plain ASCII included) → UTF-8;
 * - otherwise Windows-1252, what Excel writes as "CSV (Comma delimited)" in the Americas and
 *   Western Europe. Every byte means something in it, so whether the bytes are text at all is
 *   for the caller to judge from the decoded characters.
 *
 * UTF-16 without a BOM is not recognised. A multi-byte character cut off at the end of the sample
 * is tolerated.
 */
export function detectEncoding(sample: Uint8Array): TextEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return "UTF-8";
  if (sample[0] === 0xff && sample[1] === 0xfe) return "UTF-16LE";
  if (sample[0] === 0xfe && sample[1] === 0xff) return "UTF-16BE";
  return isUtf8(sample.subarray(0, completeUtf8Length(sample))) ? "UTF-8" : "windows-1252";
}

/**
 * Decodes bytes that may end inside a character (which is left out). Always through the streaming
 * path: when not streaming, Node 20.18.3 and later decode windows-1252 as Latin-1, 0x80 as U+0080
 * rather than € (nodejs/node#60888).
 */
export function decodeSample(bytes: Uint8Array, encoding: TextEncoding): string {
  return new TextDecoder(encoding).decode(bytes, { stream: true });
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
