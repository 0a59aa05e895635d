import type { ByteSource } from "./byteSource.js";
import type { RawRow } from "./cell.js";
import { DEFAULT_READ_LIMITS, type ReadLimits } from "./limits.js";
import { readCsv } from "./readCsv.js";
import { readOds } from "./readOds.js";
import { readXls } from "./readXls.js";
import { readXlsx } from "./readXlsx.js";
import type { SpreadsheetKind } from "./types.js";

/** Facts about the sheet being read, filled in by the reader before it yields its first rows. */
export interface SheetInfo {
  /** The workbook counts dates from 1904 (old Mac Excel); always false for csv. */
  date1904: boolean;
  /** The worksheet's name, or `null` for csv. */
  sheetName: string | null;
  /** The workbook's visible sheets in workbook order, once known; empty for csv. */
  sheets: string[];
  /** A text file's character encoding (a WHATWG encoding label); `null` for workbooks. */
  encoding: string | null;
  /** A text file's field separator; `null` for workbooks. */
  delimiter: string | null;
}

/**
 * Reads a file's rows in batches. The first row yielded is the header: the first non-blank row of
 * the sheet read: the one named `sheet`, or the first visible sheet in workbook order that has one.
 * Only that sheet is read. Yields nothing if the file has no non-blank row. Later blank rows may be
 * yielded; callers skip them.
 *
 * Throws {@link PermanentImportError} for a file that cannot be read or has no such sheet, or
 * `TOO_LARGE` when reading it goes past one of `limits`; errors of the underlying stream are passed
 * through unchanged.
 */
export function readRows(
  kind: SpreadsheetKind,
  source: ByteSource,
  info: SheetInfo,
  sheet?: string,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): AsyncGenerator<RawRow[], void, undefined> {
  switch (kind) {
    case "xlsx":
      return readXlsx(source, info, sheet, limits);
    case "xls":
      return readXls(source, info, sheet, limits);
    case "ods":
      return readOds(source, info, sheet, limits);
    case "csv":
      return readCsv(source, info, limits);
  }
}
