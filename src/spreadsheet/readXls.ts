import * as XLSX from "@e965/xlsx";
import * as cptable from "@e965/xlsx/dist/cpexcel.full.mjs";
import type { ByteSource } from "./byteSource.js";
import { type Cell, CellError, isBlankRow, type RawRow, ROW_BATCH_SIZE } from "./cell.js";
import { detectFileType } from "./detectFileType.js";
import { excelSerialToDate, isDateFormat } from "./excelDate.js";
import { isBooleanFormat } from "./isBooleanFormat.js";
import { formatBytes, type ReadLimits, tooLarge } from "./limits.js";
import { PermanentImportError } from "./permanentImportError.js";
import { emptySheetError, pickSheet } from "./pickSheet.js";
import type { SheetInfo } from "./readRows.js";
import { coerceError } from "../lib.js";

// Excel 95 and older store text in the system's code page; decoding it needs the code page tables
XLSX.set_cptable(cptable);

const DAMAGED_WORKBOOK =
  "This file is not a valid Excel 97-2003 workbook (.xls): it is damaged, or it is another kind " +
  "of Office document. Open it in Excel, save it as .xlsx, and upload it again.";
const PASSWORD_PROTECTED =
  "This workbook is password-protected. Remove the password in Excel, save it, and upload it again.";

/** BIFF error codes, as Excel shows them. */
const ERROR_TEXTS: Readonly<Record<number, string>> = {
  0x00: "#NULL!",
  0x07: "#DIV/0!",
  0x0f: "#VALUE!",
  0x17: "#REF!",
  0x1d: "#NAME?",
  0x24: "#NUM!",
  0x2a: "#N/A",
  0x2b: "#GETTING_DATA",
};

/**
 * Reads a legacy .xls (BIFF) workbook with SheetJS. Such a file has at most 65,536 rows, so it is
 * read into memory whole, which takes about 30 times the file's size: a file larger than
 * `limits.maxXlsBytes` fails `TOO_LARGE` as soon as that many bytes came in, before SheetJS sees it. See {@link readRows} for what is yielded: the rows of the sheet named
 * `sheet`, or of the first visible one in workbook order that has data. Formula cells give their
 * cached result; numbers formatted as dates become dates, honouring the workbook's 1904 flag.
 *
 * An OLE2 file is also what a password-protected .xlsx is, and what Word documents are: both are
 * reported as {@link PermanentImportError}s.
 *
 * @throws {PermanentImportError} `SHEET_NOT_FOUND` when no visible sheet is named `sheet`;
 *   `NO_HEADER_ROW` when that sheet is empty.
 */
export async function* readXls(
  source: ByteSource,
  info: SheetInfo,
  sheet: string | undefined,
  limits: Pick<ReadLimits, "maxXlsBytes">,
): AsyncGenerator<RawRow[], void, undefined> {
  const workbook = parseWorkbook(await readWhole(source, limits.maxXlsBytes));
  const date1904 = workbook.Workbook?.WBProps?.date1904 === true;
  // SheetNames is in workbook order; Hidden is 0 for visible, 1 hidden, 2 very hidden
  info.sheets = workbook.SheetNames.filter((_, i) => !workbook.Workbook?.Sheets?.[i]?.Hidden);
  const picked = pickSheet(
    info.sheets.map((name) => ({ name })),
    sheet,
  );
  // by default the first sheet with data: an empty first tab falls through to the next
  const candidates = sheet === undefined ? info.sheets : picked ? [picked.name] : [];
  for (const name of candidates) {
    // dense mode: rows by 0-based row index, cells by 0-based column index
    const rows = (workbook.Sheets[name] as XLSX.DenseSheet | undefined)?.["!data"] ?? [];
    let found = false;
    let batch: RawRow[] = [];
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      if (!row) continue;
      const cells = new Array<Cell>(row.length);
      for (let c = 0; c < row.length; c++) cells[c] = toCell(row[c], date1904);
      if (!found) {
        if (isBlankRow(cells)) continue;
        found = true;
        info.sheetName = name;
        info.date1904 = date1904;
      }
      batch.push({ rowNumber: r + 1, cells });
      if (batch.length >= ROW_BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    if (found) {
      if (batch.length > 0) yield batch;
      return;
    }
    if (sheet !== undefined) throw emptySheetError(name, info.sheets);
  }
}

/** The whole file, if it is at most `maxBytes`. */
async function readWhole(source: ByteSource, maxBytes: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of source.chunks()) {
    length += chunk.length;
    if (length > maxBytes) {
      throw tooLarge(
        `The file is larger than ${formatBytes(maxBytes)}, the largest Excel 97-2003 workbook (.xls) this ` +
          "server reads (the .xls size limit). Save it as .xlsx, and upload it again.",
      );
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts, length);
}

function parseWorkbook(bytes: Buffer): XLSX.WorkBook {
  // SheetJS reads whatever it is given (csv, html…); only an OLE2 file can be an .xls here
  if (detectFileType(bytes) !== "xls") throw new PermanentImportError("CORRUPT_FILE", DAMAGED_WORKBOOK);
  try {
    return XLSX.read(bytes, {
      type: "buffer",
      dense: true,
      // raw serial numbers and number formats: dates are converted here, with the right epoch
      cellDates: false,
      cellNF: true,
      cellText: false,
      cellHTML: false,
      cellFormula: false,
      cellStyles: false,
    });
  } catch (error) {
    const detail = coerceError(error).message;
    if (/password|encrypt/i.test(detail)) {
      throw new PermanentImportError("CORRUPT_FILE", PASSWORD_PROTECTED, { cause: error });
    }
    throw new PermanentImportError("CORRUPT_FILE", DAMAGED_WORKBOOK, { cause: error });
  }
}

function toCell(cell: XLSX.CellObject | undefined, date1904: boolean): Cell {
  if (!cell) return null;
  const value = cell.v;
  switch (cell.t) {
    case "s":
      return typeof value === "string" ? value : value == null ? null : String(value);
    case "b":
      return value === true;
    case "n": {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        return new CellError("#NUM!", "The cell does not hold a readable number.");
      }
      const format = typeof cell.z === "string" ? cell.z : undefined;
      // LibreOffice saves a formula's boolean result as 1/0 with a TRUE/FALSE format
      if (isBooleanFormat(format)) return value !== 0;
      if (!isDateFormat(format)) return value;
      return (
        excelSerialToDate(value, date1904) ??
        new CellError(String(value), "The cell does not hold a date Excel can show.")
      );
    }
    case "e":
      return new CellError(typeof value === "number" ? (ERROR_TEXTS[value] ?? "#VALUE!") : "#VALUE!");
    case "d":
      return value instanceof Date ? value : null;
    default:
      return null;
  }
}
