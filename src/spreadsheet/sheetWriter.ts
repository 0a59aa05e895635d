import { once } from "node:events";
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { csvText } from "./csvField.js";
import type { ColumnType, JsonValue } from "./types.js";

/** The file formats a sheet can be written in. */
export type SheetFormat = "XLSX" | "CSV";

/** One column of a written sheet. */
export interface SheetColumn {
  header: string;
  /** How values are written; `STRING` writes anything as text. */
  type: ColumnType;
}

export interface SheetOptions {
  /** The worksheet's name (xlsx only); cut and cleaned to what Excel accepts. */
  sheetName: string;
  columns: readonly SheetColumn[];
}

/** Writes one sheet, a row at a time, honouring the output's backpressure. */
export interface SheetWriter {
  /** Resolves once the output can take more, so awaiting it keeps memory flat. */
  addRow(values: readonly JsonValue[]): Promise<void>;
  /** Writes the end of the file and resolves once the output has all of it. */
  end(): Promise<void>;
}

/** The HTTP content types of the formats. */
export const CONTENT_TYPES: Record<SheetFormat, string> = {
  XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  CSV: "text/csv; charset=utf-8",
};

const DATE_FORMAT = "yyyy-mm-dd";
const DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss";
/** Characters XML 1.0 cannot hold at all; exceljs would write them and Excel would call the file corrupt. */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
/** Rows between yields to the event loop, so compression keeps up with a fast producer. */
const YIELD_EVERY_ROWS = 500;

/**
 * A streaming writer of `format` into `out`: an xlsx through exceljs's `WorkbookWriter` (rows are
 * committed as they come, strings are inline, never a shared-strings table held in memory) or a
 * UTF-8 CSV with a BOM (so Excel reads it as UTF-8).
 *
 * Values are typed by column: numbers as numbers, booleans as booleans, DATE and DATETIME as date
 * cells with a date format (CSV: ISO text), and text as text that can never become a formula (an
 * xlsx string cell; in CSV, see {@link csvText}). Null is an empty cell.
 */
export function createSheetWriter(format: SheetFormat, out: Writable, options: SheetOptions): SheetWriter {
  const closed = new Promise<never>((_resolve, reject) => {
    out.once("close", () => {
      // 'close' can overtake the resolution of a 'finish' that came first
      if (!out.writableFinished) reject(new Error("The output was closed before the sheet was finished."));
    });
  });
  // it only matters while someone waits on it
  closed.catch(() => undefined);
  let rows = 0;
  // exceljs writes into its zip without looking at what `write` returns, so its buffers would grow
  // without bound behind a slow output: throttle at the output instead, waiting for 'drain'
  const backpressure = async () => {
    if (out.destroyed) await closed;
    if (out.writableNeedDrain) await Promise.race([once(out, "drain"), closed]);
    if (++rows % YIELD_EVERY_ROWS === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  };
  return format === "XLSX"
    ? xlsxWriter(out, options, backpressure, closed)
    : csvWriter(out, options, backpressure, closed);
}

function xlsxWriter(
  out: Writable,
  { sheetName, columns }: SheetOptions,
  backpressure: () => Promise<void>,
  closed: Promise<never>,
): SheetWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(excelSheetName(sheetName), { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ width: Math.min(60, Math.max(12, column.header.length + 2)) }));
  const header = sheet.addRow(columns.map((column) => xmlSafe(column.header)));
  header.font = { bold: true };
  header.commit();
  return {
    async addRow(values) {
      const row = sheet.addRow([]);
      columns.forEach((column, i) => {
        const value = xlsxValue(column.type, values[i] ?? null);
        if (value === null) return;
        const cell = row.getCell(i + 1);
        cell.value = value;
        if (value instanceof Date) cell.numFmt = column.type === "DATE" ? DATE_FORMAT : DATETIME_FORMAT;
        else if (typeof value === "string" && value.includes("\n")) cell.alignment = { wrapText: true };
      });
      row.commit();
      await backpressure();
    },
    async end() {
      sheet.commit();
      await Promise.race([workbook.commit(), closed]);
    },
  };
}

/** A typed cell value for exceljs; text stays text (a string is never read as a formula there). */
function xlsxValue(type: ColumnType, value: JsonValue): string | number | boolean | Date | null {
  if (value === null) return null;
  switch (type) {
    case "INTEGER":
    case "DECIMAL":
      if (typeof value === "number") return value;
      break;
    case "BOOLEAN":
      if (typeof value === "boolean") return value;
      break;
    case "DATE":
    case "DATETIME": {
      // DATE is "YYYY-MM-DD", read as UTC midnight; exceljs turns a Date into a serial number in UTC
      const date = typeof value === "string" ? new Date(type === "DATE" ? `${value}T00:00:00Z` : value) : null;
      if (date && !Number.isNaN(date.getTime())) return date;
      break;
    }
  }
  // STRING, EMAIL, and any value that does not match its column (a record older than a change)
  return xmlSafe(String(value));
}

function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, "\uFFFD");
}

/** Excel's rules: 1–31 characters, none of `[]:*?/\`. */
function excelSheetName(name: string): string {
  return (
    name
      .replace(/[[\]:*?/\\]/g, " ")
      .replace(XML_INVALID, "")
      .trim()
      .slice(0, 31) || "Sheet1"
  );
}

function csvWriter(
  out: Writable,
  { columns }: SheetOptions,
  backpressure: () => Promise<void>,
  closed: Promise<never>,
): SheetWriter {
  const write = async (fields: string[]) => {
    out.write(`${fields.join(",")}\r\n`);
    await backpressure();
  };
  // the BOM goes with the header, in one write
  const started = write(columns.map((column, i) => (i === 0 ? "\uFEFF" : "") + csvText(column.header)));
  return {
    async addRow(values) {
      await started;
      await write(columns.map((column, i) => csvValue(column.type, values[i] ?? null)));
    },
    async end() {
      await started;
      const finished = once(out, "finish");
      out.end();
      await Promise.race([finished, closed]);
    },
  };
}

/** A CSV field: numbers and booleans bare, dates as ISO text, text made inert. */
function csvValue(type: ColumnType, value: JsonValue): string {
  if (value === null) return "";
  if (typeof value === "number" && (type === "INTEGER" || type === "DECIMAL")) return String(value);
  // spreadsheets read true/false in any case; lower case is also what exceljs and others read as booleans
  if (typeof value === "boolean" && type === "BOOLEAN") return String(value);
  if (typeof value === "string" && (type === "DATE" || type === "DATETIME")) {
    // ISO text needs no quotes and starts with a digit, so it cannot be a formula. "+00:00" rather
    // than "Z", and no ".000": more readers take that for a date-time (Python before 3.11, dayjs)
    if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(value)) return value.replace(/(\.000)?Z$/, "+00:00");
  }
  return csvText(String(value));
}
