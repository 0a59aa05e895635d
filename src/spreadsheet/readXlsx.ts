import { PassThrough } from "node:stream";
import type { ByteSource } from "./byteSource.js";
import { isBlankRow, type RawRow } from "./cell.js";
import type { ReadLimits } from "./limits.js";
import { PermanentImportError } from "./permanentImportError.js";
import { parseWorksheetRows } from "./parseWorksheetRows.js";
import { emptySheetError } from "./pickSheet.js";
import type { SheetInfo } from "./readRows.js";
import { XlsxWorkbookReader } from "./xlsxWorkbookReader.js";
import { coerceError } from "../lib.js";

const DAMAGED_WORKBOOK =
  "This file is not a valid Excel workbook: it is damaged or incomplete. " +
  "Open it in Excel, save it as .xlsx, and upload it again.";

// styles tell date cells from plain numbers
const READER_OPTIONS = { styles: "cache" } as const;

/**
 * Reads an .xlsx (or macro-enabled .xlsm, whose macros are never run) workbook as it streams in,
 * never holding the whole workbook in memory: see {@link readRows} for what is yielded. Only one
 * sheet is read: the one named `sheet`, or the first visible one in workbook order that has data
 * (see {@link XlsxWorkbookReader}). Its cells are read by {@link parseWorksheetRows}.
 *
 * Memory does grow with the workbook's shared strings table, which is kept in memory: about the
 * size of the distinct texts in the file, within `limits`.
 *
 * @throws {PermanentImportError} `SHEET_NOT_FOUND` when no visible sheet is named `sheet`;
 *   `NO_HEADER_ROW` when that sheet is empty; `TOO_LARGE` past one of `limits`.
 */
export async function* readXlsx(
  source: ByteSource,
  info: SheetInfo,
  sheet: string | undefined,
  limits: ReadLimits,
): AsyncGenerator<RawRow[], void, undefined> {
  const feed = new Feed(source.chunks());
  const reader = new XlsxWorkbookReader(feed.stream, READER_OPTIONS, sheet, limits);
  const worksheets = reader.worksheetParts();
  let rows: AsyncGenerator<RawRow[], void, undefined> | null = null;
  try {
    for (;;) {
      const worksheet = await feed.step(() => worksheets.next());
      if (worksheet.done) break;
      const { date1904 } = reader;
      const context = {
        sharedStrings: reader.sharedStringsTable ?? [],
        numberFormat: (style: number) => reader.numberFormat(style),
        date1904,
        limits,
      };
      const sheetRows = parseWorksheetRows(worksheet.value.part, context);
      rows = sheetRows;
      let found = false;
      for (;;) {
        const batch = await feed.step(() => sheetRows.next());
        if (batch.done) break;
        // rows before the first non-blank one are not part of the sheet's data
        const start = found ? 0 : batch.value.findIndex((row) => !isBlankRow(row.cells));
        if (start === -1) continue;
        if (!found) {
          found = true;
          info.sheets = reader.sheetNames;
          info.sheetName = worksheet.value.name;
          info.date1904 = date1904;
        }
        yield start === 0 ? batch.value : batch.value.slice(start);
      }
      feed.throwIfFailed();
      if (found) return;
      if (sheet !== undefined) throw emptySheetError(worksheet.value.name, reader.sheetNames);
    }
    feed.throwIfFailed();
  } finally {
    feed.stream.destroy();
    // stopping early: close the sheet's stream (maybe a parked file), then the zip and its parking
    await rows?.return().catch(() => undefined);
    await worksheets.return().catch(() => undefined);
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
