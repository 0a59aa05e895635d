import { PassThrough } from "node:stream";
import type ExcelJS from "exceljs";
import type { ByteSource } from "./byteSource.js";
import { type Cell, CellError, isBlankRow, type RawRow, ROW_BATCH_SIZE } from "./cell.js";
import { excelSerialToDate, fixExcelJsDate, formatDateCell, isDateFormat } from "./excelDate.js";
import { PermanentImportError } from "./permanentImportError.js";
import { emptySheetError } from "./pickSheet.js";
import type { SheetInfo } from "./readRows.js";
import { XlsxWorkbookReader } from "./xlsxWorkbookReader.js";
import { coerceError } from "../lib.js";

const DAMAGED_WORKBOOK =
  "This file is not a valid Excel workbook: it is damaged or incomplete. " +
  "Open it in Excel, save it as .xlsx, and upload it again.";

// styles are needed to tell date cells from plain numbers; hyperlink cells then read as their text
const READER_OPTIONS = {
  worksheets: "emit",
  sharedStrings: "cache",
  hyperlinks: "ignore",
  styles: "cache",
  entries: "ignore",
} as const;

/** What the streaming reader has at run time but its typings do not declare. */
interface WorkbookReaderInternals {
  /** The `<workbookPr>` parser, once xl/workbook.xml was read; its model carries the 1904 flag. */
  properties?: { model?: { date1904?: boolean } };
}

interface WorksheetReaderLike {
  name?: string;
  parse(): AsyncIterator<Array<{ eventType: string; value: unknown }>>;
}

/**
 * Reads an .xlsx (or macro-enabled .xlsm, whose macros are never run) workbook with exceljs's
 * streaming reader (see {@link XlsxWorkbookReader}), never holding the whole workbook in memory:
 * see {@link readRows} for what is yielded. Only one sheet is read: the one named `sheet`, or the
 * first visible one in workbook order that has data. Formula cells give their cached result, rich
 * text and hyperlinks their text, error cells a {@link CellError}.
 *
 * Memory does grow with the workbook's shared strings table, which exceljs keeps in memory: about
 * the size of the distinct texts in the file.
 *
 * @throws {PermanentImportError} `SHEET_NOT_FOUND` when no visible sheet is named `sheet`;
 *   `NO_HEADER_ROW` when that sheet is empty.
 */
export async function* readXlsx(
  source: ByteSource,
  info: SheetInfo,
  sheet?: string,
): AsyncGenerator<RawRow[], void, undefined> {
  const feed = new Feed(source.chunks());
  const reader = new XlsxWorkbookReader(feed.stream, READER_OPTIONS, sheet);
  const internals = reader as unknown as WorkbookReaderInternals;
  const worksheets = reader[Symbol.asyncIterator]() as AsyncIterator<WorksheetReaderLike>;
  let events: AsyncIterator<Array<{ eventType: string; value: unknown }>> | null = null;
  try {
    for (;;) {
      const worksheet = await feed.step(() => worksheets.next());
      if (worksheet.done) break;
      // known by now: XlsxWorkbookReader hands out no sheet before it has read xl/workbook.xml
      const date1904 = internals.properties?.model?.date1904 === true;
      const sheetEvents = worksheet.value.parse();
      events = sheetEvents;
      let found = false;
      let batch: RawRow[] = [];
      for (;;) {
        const chunk = await feed.step(() => sheetEvents.next());
        if (chunk.done) break;
        for (const event of chunk.value) {
          if (event.eventType !== "row") continue;
          const row = event.value as ExcelJS.Row;
          const cells = rowCells(row, date1904);
          if (!found) {
            if (isBlankRow(cells)) continue;
            found = true;
            info.sheets = reader.sheetNames;
            info.sheetName = worksheet.value.name ?? null;
            info.date1904 = date1904;
          }
          batch.push({ rowNumber: row.number, cells });
        }
        if (batch.length >= ROW_BATCH_SIZE) {
          yield batch;
          batch = [];
        }
      }
      if (found) {
        feed.throwIfFailed();
        if (batch.length > 0) yield batch;
        return;
      }
      if (sheet !== undefined) throw emptySheetError(worksheet.value.name ?? sheet, reader.sheetNames);
    }
    feed.throwIfFailed();
  } finally {
    feed.stream.destroy();
    // stopping early: close the sheet's stream (maybe a parked file), then the zip and its parking
    await events?.return?.().catch(() => undefined);
    await worksheets.return?.().catch(() => undefined);
  }
}

/**
 * Feeds the upload to exceljs through a stream that always ends. exceljs pipes its input into
 * unzipper, and `pipe` does not forward errors: had the upload's stream failed, unzipper would
 * wait forever. Instead the failure is remembered, the stream is ended, and the failure is what
 * gets thrown, so a broken upload stream is not mistaken for a damaged file.
 */
class Feed {
  readonly stream = new PassThrough();
  private failure: { error: Error } | null = null;

  constructor(chunks: AsyncGenerator<Buffer, void, undefined>) {
    void this.pump(chunks);
  }

  /** Runs one step of exceljs's reading, turning its errors into the right kind. */
  async step<T>(next: () => Promise<T>): Promise<T> {
    try {
      return await next();
    } catch (error) {
      this.throwIfFailed();
      throw toPermanentError(error);
    }
  }

  throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }

  private async pump(chunks: AsyncGenerator<Buffer, void, undefined>): Promise<void> {
    const { stream } = this;
    try {
      for await (const chunk of chunks) {
        if (stream.destroyed) return;
        if (!stream.write(chunk)) await drainedOrClosed(stream);
      }
    } catch (error) {
      this.failure = { error: coerceError(error) };
    }
    if (!stream.destroyed) stream.end();
  }
}

function drainedOrClosed(stream: PassThrough): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

function toPermanentError(error: unknown): Error {
  if (error instanceof PermanentImportError) return error;
  // the machine failing (disk full for exceljs's temporary files…) is no fault of the file
  if (error instanceof Error && "syscall" in error) return error;
  return new PermanentImportError("CORRUPT_FILE", DAMAGED_WORKBOOK, { cause: error });
}

function rowCells(row: ExcelJS.Row, date1904: boolean): Cell[] {
  // `values` is 1-based (index 0 is empty) and sparse
  const values = row.values as readonly unknown[];
  const cells: Cell[] = new Array<Cell>(Math.max(values.length - 1, 0));
  for (let i = 1; i < values.length; i++) {
    const value = values[i];
    if (typeof value === "string" || typeof value === "boolean" || value == null) {
      cells[i - 1] = value as Cell;
    } else if (typeof value === "number") {
      cells[i - 1] = Number.isFinite(value) ? value : UNREADABLE_NUMBER;
    } else {
      cells[i - 1] = objectCell(value, row, i, date1904);
    }
  }
  return cells;
}

const UNREADABLE_NUMBER = new CellError("#NUM!", "The cell does not hold a readable number.");
const FORMULA_ERROR = new CellError("#VALUE!", "The cell's formula results in an error.");
const INVALID_DATE_MESSAGE = "The cell does not hold a date Excel can show.";

function objectCell(value: unknown, row: ExcelJS.Row, col: number, date1904: boolean): Cell {
  if (value instanceof Date) {
    const date = fixExcelJsDate(value, date1904);
    return date ?? new CellError(formatDateCell(value), INVALID_DATE_MESSAGE);
  }
  const object = value as Record<string, unknown>;
  if ("richText" in object) return richTextToString(object.richText);
  if ("formula" in object || "sharedFormula" in object) {
    const cell = row.getCell(col);
    // exceljs's formula value drops a falsy result (0, "", false, NaN), the cell still has it
    const result = "result" in object ? object.result : (cell.result as unknown);
    return formulaResult(object.formula, result, cell.numFmt, date1904);
  }
  if ("error" in object) return new CellError(String(object.error));
  // a hyperlink, whose text may itself be rich text
  if ("text" in object) {
    const text = object.text;
    if (typeof text === "string") return text;
    return text && typeof text === "object" && "richText" in text ? richTextToString(text.richText) : null;
  }
  return new CellError("#VALUE!", "The cell holds a value that cannot be read.");
}

function formulaResult(formula: unknown, result: unknown, numFmt: string | undefined, date1904: boolean): Cell {
  if (result === undefined || result === null) {
    const text = typeof formula === "string" && formula !== "" ? `=${formula}` : "=…";
    return new CellError(
      text,
      "The cell's formula has no saved result. Open the file in Excel, save it, and upload it again.",
    );
  }
  if (typeof result === "number") {
    // exceljs reads every non-text result as a number, an error result as NaN
    if (!Number.isFinite(result)) return FORMULA_ERROR;
    if (isDateFormat(numFmt)) {
      return excelSerialToDate(result, date1904) ?? new CellError(String(result), INVALID_DATE_MESSAGE);
    }
    return result;
  }
  if (typeof result === "string" || typeof result === "boolean") return result;
  if (result instanceof Date) return fixExcelJsDate(result, date1904) ?? FORMULA_ERROR;
  if (typeof result === "object" && "error" in result) return new CellError(String(result.error));
  return FORMULA_ERROR;
}

function richTextToString(runs: unknown): string {
  if (!Array.isArray(runs)) return "";
  let text = "";
  for (const run of runs as Array<{ text?: unknown }>) {
    if (typeof run?.text === "string") text += run.text;
  }
  return text;
}
