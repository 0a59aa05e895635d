import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { ByteSource } from "../../src/spreadsheet/byteSource.js";
import { type Cell, CellError } from "../../src/spreadsheet/cell.js";
import { detectFileType, SNIFF_LENGTH } from "../../src/spreadsheet/index.js";
import { readRows, type SheetInfo } from "../../src/spreadsheet/readRows.js";
import { corpusBytes, manifest } from "../helpers/corpus.js";
import { streamOf } from "./fixtures.js";

// issue 10: a second opinion. Every corpus file is read by our streaming readers and by SheetJS
// (whole file), and the sheet a person sees first must hold the same values, row by row.

const { files } = manifest;

/** A cell compared across readers: numbers as numbers, dates as ISO text, text trimmed, blank as null. */
type Value = string | number | boolean | { error: string } | null;

/** A known difference at one cell: what each reader gives, and why. */
interface Difference {
  cell: string;
  ours: Value;
  sheetJs: Value;
  reason: string;
}

const FORMULA_BOOLEAN =
  "LibreOffice stores a formula's boolean as a number 1/0 with a TRUE/FALSE format; SheetJS gives the number";
const ASTRAL_REFERENCE =
  "SheetJS keeps the low 16 bits of an astral numeric character reference in an inline string: &#128640; (U+1F680) reads U+F680";
const NO_CACHED_RESULT = "openpyxl writes formulas with no saved result: we report the cell, SheetJS leaves it empty";

const libreOfficeWorkbook: Difference[] = [
  { cell: "D4", ours: true, sheetJs: 1, reason: FORMULA_BOOLEAN },
  { cell: "D5", ours: false, sheetJs: 0, reason: FORMULA_BOOLEAN },
];
const openpyxl: Difference[] = [
  { cell: "A4", ours: "Rocket 🚀", sheetJs: "Rocket \uf680", reason: ASTRAL_REFERENCE },
  { cell: "D3", ours: { error: "=1=2" }, sheetJs: null, reason: NO_CACHED_RESULT },
  { cell: "B4", ours: { error: "=2*6" }, sheetJs: null, reason: NO_CACHED_RESULT },
];

/**
 * How SheetJS is asked to read each kind of file, and the cells where it is known to differ. Text
 * files are read with `raw` (cells stay text, as ours do, instead of '00123' becoming 123), and a
 * BOM-less UTF-8 file with codepage 65001, since SheetJS reads such bytes as Latin-1 otherwise.
 */
const expectations: Record<string, { options?: XLSX.ParsingOptions; differences?: Difference[] }> = {
  "libreoffice.xlsx": { differences: libreOfficeWorkbook },
  "libreoffice-sheet1-last.xlsx": { differences: libreOfficeWorkbook },
  "libreoffice.xls": { differences: libreOfficeWorkbook },
  "libreoffice.ods": {},
  "libreoffice-utf8.csv": { options: { raw: true, codepage: 65001 } },
  "libreoffice-windows1252.csv": { options: { raw: true } },
  "libreoffice-utf16.txt": { options: { raw: true } },
  "libreoffice-tab.tsv": { options: { raw: true, codepage: 65001 } },
  "libreoffice-semicolon-de.csv": { options: { raw: true, codepage: 65001 } },
  "openpyxl-hidden-first.xlsx": { differences: openpyxl },
  "openpyxl.xlsm": { differences: openpyxl },
  "openpyxl-1904.xlsx": { differences: openpyxl },
  "sheetjs.xlsx": {},
  "exceljs.xlsx": {},
  "excel-part-order.xlsx": {},
};

/** Non-blank rows by row number, each as its cells with trailing blanks left off. */
type Rows = Map<number, Value[]>;

function addCell(rows: Rows, rowNumber: number, column: number, value: Value) {
  if (value === null) return;
  const row = rows.get(rowNumber) ?? [];
  while (row.length < column) row.push(null);
  row[column] = value;
  rows.set(rowNumber, row);
}

function ourValue(cell: Cell): Value {
  if (cell == null) return null;
  if (typeof cell === "string") return cell.trim() === "" ? null : cell.trim();
  if (cell instanceof Date) return cell.toISOString();
  if (cell instanceof CellError) return { error: cell.text };
  return cell;
}

async function readOurs(bytes: Buffer): Promise<{ sheetName: string | null; rows: Rows }> {
  const source = new ByteSource(streamOf(bytes));
  const kind = detectFileType(await source.peek(SNIFF_LENGTH));
  if (kind === "unsupported") throw new Error("not a spreadsheet");
  const info: SheetInfo = { date1904: false, sheetName: null, sheets: [], encoding: null, delimiter: null };
  const rows: Rows = new Map();
  for await (const batch of readRows(kind, source, info)) {
    for (const { rowNumber, cells } of batch) cells.forEach((cell, i) => addCell(rows, rowNumber, i, ourValue(cell)));
  }
  return { sheetName: info.sheetName, rows };
}

function sheetJsValue(cell: XLSX.CellObject, date1904: boolean): Value {
  switch (cell.t) {
    case "s":
      return String(cell.v).trim() === "" ? null : String(cell.v).trim();
    case "b":
      return cell.v as boolean;
    case "e":
      return { error: cell.w ?? String(cell.v) };
    case "n": {
      const value = cell.v as number;
      if (!cell.z || !XLSX.SSF.is_date(cell.z)) return value;
      // SheetJS's own serial-to-date arithmetic, rounded to the second
      const { y, m, d, H, M, S } = XLSX.SSF.parse_date_code(value, { date1904 });
      return new Date(Date.UTC(y, m - 1, d, H, M, S)).toISOString();
    }
    default:
      return cell.v == null ? null : String(cell.v);
  }
}

function readSheetJs(bytes: Buffer, options: XLSX.ParsingOptions = {}): { sheetName: string; rows: Rows } {
  const workbook = XLSX.read(bytes, { type: "buffer", cellNF: true, ...options });
  const hidden = new Set(workbook.Workbook?.Sheets?.filter((sheet) => sheet.Hidden).map((sheet) => sheet.name));
  const sheetName = workbook.SheetNames.find((name) => !hidden.has(name))!;
  const sheet = workbook.Sheets[sheetName]!;
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const rows: Rows = new Map();
  for (const [address, cell] of Object.entries(sheet)) {
    if (address.startsWith("!")) continue;
    const { r, c } = XLSX.utils.decode_cell(address);
    addCell(rows, r + 1, c, sheetJsValue(cell as XLSX.CellObject, date1904));
  }
  return { sheetName, rows };
}

function cellAt(rows: Rows, address: string): Value {
  const { r, c } = XLSX.utils.decode_cell(address);
  return rows.get(r + 1)?.[c] ?? null;
}

describe("our readers and SheetJS read the same values", () => {
  it("covers every file of the corpus", () => {
    expect(Object.keys(expectations).sort()).toEqual(files.map((file) => file.name).sort());
  });

  it.each(files.map((file) => file.name))("%s", async (name) => {
    const bytes = corpusBytes(name);
    const { options, differences = [] } = expectations[name]!;
    const ours = await readOurs(bytes);
    const sheetJs = readSheetJs(bytes, options);
    if (ours.sheetName !== null) expect(ours.sheetName).toBe(sheetJs.sheetName);
    for (const { cell, ours: ourExpected, sheetJs: theirExpected } of differences) {
      // each known difference must still be there, or it is stale and should go
      expect({ cell, value: cellAt(ours.rows, cell) }).toEqual({ cell, value: ourExpected });
      expect({ cell, value: cellAt(sheetJs.rows, cell) }).toEqual({ cell, value: theirExpected });
      const { r, c } = XLSX.utils.decode_cell(cell);
      addCell(sheetJs.rows, r + 1, c, ourExpected);
    }
    expect(Object.fromEntries(ours.rows)).toEqual(Object.fromEntries(sheetJs.rows));
  });
});
