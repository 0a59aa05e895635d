import { decodeSample, detectEncoding } from "./detectEncoding.js";
import type { FileType } from "./types.js";
import { zipFileType } from "./zipContents.js";

/** How many leading bytes {@link detectFileType} looks at; pass at least this many when the file has them. */
export const SNIFF_LENGTH = 8192;

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** What a person is told when a file is none of the formats {@link detectFileType} knows. */
export const UNSUPPORTED_FILE_MESSAGE =
  "This file type is not supported. Upload an Excel workbook (.xlsx, .xlsm or .xls), an OpenDocument " +
  "spreadsheet (.ods), or a text file (.csv, .tsv or .txt).";

/**
 * Tells a spreadsheet's format from its first bytes, ignoring the file name (people rename files).
 *
 * - a zip archive → `"ods"` when its first entry declares an OpenDocument spreadsheet, `"unsupported"`
 *   when it declares something else, otherwise `"xlsx"` (whether it really holds a workbook is only
 *   known from its entry names: see {@link ZipInspector});
 * - an OLE2 compound file → `"xls"`;
 * - text → `"csv"`, whatever the delimiter: UTF-8 (with or without a BOM), UTF-16 with a BOM, or
 *   Windows-1252 (see {@link detectEncoding}), with no NUL character and hardly any control
 *   characters other than tab and line breaks; an empty file is text too;
 * - anything else → `"unsupported"`.
 *
 * @param firstBytes The start of the file: {@link SNIFF_LENGTH} bytes, or the whole file if shorter.
 *   A multi-byte character cut off at the end is tolerated.
 */
export function detectFileType(firstBytes: Uint8Array): FileType {
  if (startsWith(firstBytes, ZIP_SIGNATURE)) return zipFileType(firstBytes);
  if (startsWith(firstBytes, CFB_SIGNATURE)) return "xls";
  const head = firstBytes.length > SNIFF_LENGTH ? firstBytes.subarray(0, SNIFF_LENGTH) : firstBytes;
  return isText(decodeSample(head, detectEncoding(head))) ? "csv" : "unsupported";
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  if (bytes.length < signature.length) return false;
  return signature.every((byte, i) => bytes[i] === byte);
}

/**
 * Text has no NUL and at most one control character in a hundred besides tab, line feed, form feed
 * and carriage return; binary data decoded as Windows-1252 (where every byte is a character) has
 * many. Stray ones are tolerated: old files can end in Ctrl-Z, and Windows-1252 leaves five bytes
 * undefined.
 */
function isText(text: string): boolean {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) return false;
    if (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) ||
      (code >= 0x7f && code < 0xa0)
    ) {
      controls++;
    }
  }
  return controls * 100 <= text.length;
}
