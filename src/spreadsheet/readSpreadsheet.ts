import type { Readable } from "node:stream";
import { ByteSource } from "./byteSource.js";
import { cellToText, isBlankRow, type RawRow } from "./cell.js";
import { type ReadLimits, readLimits } from "./limits.js";
import { detectFileType, SNIFF_LENGTH, UNSUPPORTED_FILE_MESSAGE } from "./detectFileType.js";
import { type ColumnPick, matchHeaders, scoreHeaders } from "./matchHeaders.js";
import { PermanentImportError } from "./permanentImportError.js";
import { profileColumns, type SourceColumn } from "./profileColumns.js";
import { readRows, type SheetInfo } from "./readRows.js";
import type { FileType, HeaderMatch, ParsedRow, SpreadsheetKind, TemplateColumn } from "./types.js";
import { createRowValidator } from "./validateRow.js";

/**
 * The uploaded file: either a function that opens a fresh byte stream (called once), or the stream
 * itself. `kind` may be given when the type is already known (see {@link detectFileType}); otherwise
 * it is detected from the first bytes.
 */
export type SpreadsheetInput = ({ open: () => Readable } | { stream: Readable }) & { kind?: FileType };

/** How to read a file, where its defaults do not fit: the uploader's choices and the template's locale. */
export interface ReadOptions {
  /** The sheet to read, by name; by default the first visible sheet in workbook order. */
  sheet?: string;
  /** The header row, 1-based; by default the row near the top that matches the template best. */
  headerRow?: number;
  /** How numbers written as text separate decimals. Default `DOT`. */
  decimalSeparator?: "DOT" | "COMMA";
  /** The order of day, month and year in dates written as text. Default `YMD`. */
  dateOrder?: "DMY" | "MDY" | "YMD";
  /** A person's choice of file column for some template columns; the rest are matched by header. */
  mapping?: ColumnPick[];
  /**
   * Caps on what reading may unpack or hold, where the defaults (see {@link readLimits}) do
   * not fit; a cap exceeded fails with `TOO_LARGE`.
   */
  limits?: Partial<ReadLimits>;
}

/** The header row, found and matched before any data row is read. */
export interface SpreadsheetHeader extends HeaderMatch {
  fileType: SpreadsheetKind;
  /** The worksheet read (the first one with data), or `null` for csv. */
  sheetName: string | null;
  /** The workbook's visible sheets in workbook order, where the reader knows them; empty for csv. */
  sheets: string[];
  /** A text file's character encoding; `null` for workbooks. */
  encoding: string | null;
  /** A text file's field separator; `null` for workbooks. */
  delimiter: string | null;
  /** The workbook counts serial dates from 1904. */
  date1904: boolean;
  /** The header row's columns, each with samples from the first {@link SAMPLE_ROWS} data rows. */
  sourceColumns: SourceColumn[];
}

/** How many data rows {@link SpreadsheetHeader.sourceColumns} are described from. */
export const SAMPLE_ROWS = 1_000;

/**
 * The header row cannot be matched to the template (required columns unmatched, a column twice,
 * a mapping that points outside the file); `header` holds what was found, for a person to choose
 * the mapping from.
 */
export class MappingError extends PermanentImportError {
  constructor(
    problem: PermanentImportError,
    readonly header: SpreadsheetHeader,
  ) {
    super(problem.code, problem.message);
  }
}

/** A spreadsheet whose header row has been read and matched; its data rows are read on demand. */
export interface OpenedSpreadsheet extends AsyncIterable<ParsedRow> {
  readonly header: SpreadsheetHeader;
  /**
   * Bytes read from the input so far, for progress reports against the file's size. For .xls it is
   * the whole file from the start; for .xlsx it can run ahead of the rows, since exceljs may have to
   * buffer a sheet to a temporary file before it can parse it.
   */
  readonly bytesRead: number;
  /**
   * The data rows after the header, in file order; empty rows are skipped (their row numbers are
   * not reused). Can be iterated only once; stopping early releases the input.
   */
  rows(): AsyncGenerator<ParsedRow, void, undefined>;
  /** Releases the input. Not needed after the rows were read to the end or the loop was left. */
  close(): Promise<void>;
}

/**
 * Opens an uploaded spreadsheet and reads its header row and up to {@link SAMPLE_ROWS} data rows
 * after it, which describe the file's columns: `options.headerRow` if given, else
 * the first non-blank row if it has the template's required columns, else the row among the first
 * 20 non-blank ones that matches the template best, so a title or a note above the headers is
 * passed over (rows above the header are never data). The header is matched against the template
 * (see {@link matchHeaders}) before any data row is validated, so a file lacking columns fails fast.
 *
 * Memory stays flat however many rows the file has: xlsx, ods and csv are streamed (xls, at most
 * 65,536 rows and `limits.maxXlsBytes`, is read whole), and what a file may unpack to or hold is
 * capped (see {@link ReadLimits}).
 *
 * @throws {PermanentImportError} for an unsupported, damaged or empty file, a missing or blank
 *   header row, a file past one of `options.limits` (`TOO_LARGE`, see {@link ReadLimits});
 *   {@link MappingError} when the header row cannot be matched. Errors of the input
 *   stream itself are thrown unchanged.
 */
export async function openSpreadsheet(
  input: SpreadsheetInput,
  columns: readonly TemplateColumn[],
  options: ReadOptions = {},
): Promise<OpenedSpreadsheet> {
  const source = new ByteSource("open" in input ? input.open() : input.stream);
  let batches: AsyncGenerator<RawRow[], void, undefined> | null = null;
  try {
    const kind = input.kind ?? detectFileType(await source.peek(SNIFF_LENGTH));
    if (kind === "unsupported") {
      throw new PermanentImportError("UNSUPPORTED_FILE_TYPE", UNSUPPORTED_FILE_MESSAGE);
    }
    const info: SheetInfo = { date1904: false, sheetName: null, sheets: [], encoding: null, delimiter: null };
    batches = readRows(kind, source, info, options.sheet, readLimits(options.limits));
    const found =
      options.headerRow === undefined
        ? await findHeaderRow(batches, columns)
        : await readToHeaderRow(batches, options.headerRow);
    if (!found) {
      if (source.bytesRead === 0) throw new PermanentImportError("EMPTY_FILE", "The file is empty.");
      throw new PermanentImportError(
        "NO_HEADER_ROW",
        kind === "csv"
          ? "The file has no header row: it contains only empty lines."
          : "The file has no header row: all of its sheets are empty.",
      );
    }
    const { headerRow, pending } = found;
    while (pending.length < SAMPLE_ROWS) {
      const next = await batches.next();
      if (next.done) break;
      pending.push(...next.value);
    }
    const { decimalSeparator, dateOrder } = options;
    const sourceColumns = profileColumns(headerRow.cells, pending.slice(0, SAMPLE_ROWS), {
      date1904: info.date1904,
      decimalSeparator,
      dateOrder,
    });
    const match = matchHeaders(headerRow.cells.map(cellToText), columns, headerRow.rowNumber, options.mapping);
    // the reader's own object, so what it learns later shows (a text file found to be Windows-1252
    // past its first 64 KiB)
    const header: SpreadsheetHeader = Object.assign(info, match, { fileType: kind, sourceColumns });
    if (match.problem) throw new MappingError(match.problem, header);
    return new Spreadsheet(header, options, source, batches, pending);
  } catch (error) {
    await batches?.return().catch(() => undefined);
    source.close();
    throw error;
  }
}

/** How many non-blank rows at the top of a sheet may hold the header, below titles and notes. */
const HEADER_SEARCH_ROWS = 20;

/** The header row, and the rows read after it that are still to be validated. */
interface FoundHeader {
  headerRow: RawRow;
  pending: RawRow[];
}

/**
 * Finds the header: the first non-blank row when it has the template's required columns, else
 * the one among the first {@link HEADER_SEARCH_ROWS} non-blank rows that has the most template
 * columns, required ones counting double (see {@link scoreHeaders}), the earliest of equals. A
 * row with none of the columns is no better than the first row, whose message then says what is
 * expected. Holds at most those rows, plus the batch being read.
 *
 * @returns `null` when the sheet has no non-blank row.
 */
async function findHeaderRow(
  batches: AsyncGenerator<RawRow[], void, undefined>,
  columns: readonly TemplateColumn[],
): Promise<FoundHeader | null> {
  const candidates: RawRow[] = [];
  let best = 0;
  let bestScore = -1;
  let rest: RawRow[] = [];
  search: for (;;) {
    const next = await batches.next();
    if (next.done) break;
    for (let i = 0; i < next.value.length; i++) {
      const row = next.value[i]!;
      if (isBlankRow(row.cells)) continue; // blank rows above the header are not data either
      const { score, complete } = scoreHeaders(row.cells.map(cellToText), columns);
      if (score > bestScore) [best, bestScore] = [candidates.length, score];
      candidates.push(row);
      if ((complete && candidates.length === 1) || candidates.length === HEADER_SEARCH_ROWS) {
        rest = next.value.slice(i + 1);
        break search;
      }
    }
  }
  const headerRow = candidates[best];
  if (!headerRow) return null;
  return { headerRow, pending: [...candidates.slice(best + 1), ...rest] };
}

/**
 * Skips to the header row the uploader chose (1-based, as Excel numbers rows); the rows above it
 * are read and dropped.
 *
 * @throws {PermanentImportError} `NO_HEADER_ROW` if that row is blank or past the end of the sheet.
 */
async function readToHeaderRow(
  batches: AsyncGenerator<RawRow[], void, undefined>,
  rowNumber: number,
): Promise<FoundHeader> {
  for (;;) {
    const next = await batches.next();
    if (next.done) break;
    const index = next.value.findIndex((row) => row.rowNumber >= rowNumber);
    if (index < 0) continue;
    const row = next.value[index]!;
    if (row.rowNumber !== rowNumber || isBlankRow(row.cells)) break;
    return { headerRow: row, pending: next.value.slice(index + 1) };
  }
  throw new PermanentImportError(
    "NO_HEADER_ROW",
    `Row ${rowNumber}, chosen as the header row, is empty. Choose the row that holds the column titles.`,
  );
}

/** Options for {@link readSpreadsheet}. */
export interface ReadSpreadsheetOptions extends ReadOptions {
  /**
   * Called once the header row has been matched, before the first data row is read: the moment
   * to report that parsing the structure is done and validating rows begins.
   */
  onHeader?: (header: SpreadsheetHeader) => void | Promise<void>;
}

/**
 * Reads an uploaded spreadsheet as typed, validated rows, one at a time:
 *
 * ```ts
 * for await (const row of readSpreadsheet({ open: () => fs.createReadStream(path) }, columns)) {
 *   if (row.ok) batch.push(row.values);
 *   else rejected.push(row); // row.errors: what is wrong; row.raw: the cells as typed
 * }
 * ```
 *
 * The same as {@link openSpreadsheet} followed by iterating its rows; leaving the loop early
 * releases the input.
 *
 * @throws {PermanentImportError} (from the first iteration) when the file cannot be imported at all.
 */
export async function* readSpreadsheet(
  input: SpreadsheetInput,
  columns: readonly TemplateColumn[],
  options: ReadSpreadsheetOptions = {},
): AsyncGenerator<ParsedRow, void, undefined> {
  const spreadsheet = await openSpreadsheet(input, columns, options);
  try {
    await options.onHeader?.(spreadsheet.header);
    yield* spreadsheet.rows();
  } finally {
    await spreadsheet.close();
  }
}

class Spreadsheet implements OpenedSpreadsheet {
  private started = false;

  constructor(
    readonly header: SpreadsheetHeader,
    private readonly options: ReadOptions,
    private readonly source: ByteSource,
    private readonly batches: AsyncGenerator<RawRow[], void, undefined>,
    private readonly pending: RawRow[],
  ) {}

  get bytesRead(): number {
    return this.source.bytesRead;
  }

  async *rows(): AsyncGenerator<ParsedRow, void, undefined> {
    if (this.started) throw new Error("The rows of a spreadsheet can only be read once");
    this.started = true;
    const { decimalSeparator, dateOrder } = this.options;
    const validate = createRowValidator(this.header, { date1904: this.header.date1904, decimalSeparator, dateOrder });
    try {
      for (const row of this.pending) {
        const parsed = validate(row);
        if (parsed) yield parsed;
      }
      this.pending.length = 0;
      for (;;) {
        const next = await this.batches.next();
        if (next.done) return;
        for (const row of next.value) {
          const parsed = validate(row);
          if (parsed) yield parsed;
        }
      }
    } finally {
      await this.close();
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<ParsedRow, void, undefined> {
    return this.rows();
  }

  async close(): Promise<void> {
    await this.batches.return().catch(() => undefined);
    this.source.close();
  }
}
