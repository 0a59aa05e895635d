import type { Readable } from "node:stream";
import type { FileUpload } from "graphql-upload-minimal";
import type { Config } from "../config.js";
import { UserError } from "../errors.js";
import { coerceError } from "../lib.js";
import { ByteSource } from "../spreadsheet/byteSource.js";
import { type Cell, isBlankCell, isBlankRow, type RawRow } from "../spreadsheet/cell.js";
import { type CoerceOptions, CoercionFailure, createCoercer } from "../spreadsheet/coerceCell.js";
import { detectFileType, SNIFF_LENGTH, UNSUPPORTED_FILE_MESSAGE } from "../spreadsheet/detectFileType.js";
import { normalizeHeader } from "../spreadsheet/matchHeaders.js";
import { PermanentImportError } from "../spreadsheet/permanentImportError.js";
import { keyFromHeader, profileColumns, type SourceColumn } from "../spreadsheet/profileColumns.js";
import { type ReadLimits, readLimits } from "../spreadsheet/limits.js";
import { readRows, type SheetInfo } from "../spreadsheet/readRows.js";
import type { JsonValue, TemplateColumn } from "../spreadsheet/types.js";
import { fileReaders } from "./parseProcess.js";
import { fileTooLarge, uploadError, uploadInspector } from "./uploadInspector.js";
import { receiveUpload, timedUpload } from "./uploadLimits.js";

/** A template proposed for a sample file; nothing of it is saved. */
export interface InferredTemplate {
  /** The worksheet read, or `null` for csv. */
  sheetName: string | null;
  /** The workbook's visible sheets in workbook order, `null` for csv. */
  sheets: string[] | null;
  /** The header row as Excel numbers rows (1-based). */
  headerRow: number;
  /** One column per non-blank header cell, in file order, the first {@link MAX_COLUMNS} of them. */
  columns: Array<TemplateColumn & { aliases: string[] }>;
  /** The first data rows as the proposed template would store them, keyed by column key. */
  sampleRows: Array<Record<string, JsonValue>>;
}

/** Where the header is: see {@link inferTemplate}. */
export interface InferOptions {
  sheet?: string;
  headerRow?: number;
}

/** Excel's own limits: a sheet name has at most 31 characters, a sheet at most 1,048,576 rows. */
const MAX_SHEET_NAME = 31;
const MAX_ROW = 1_048_576;

/** Checks inferImportTemplate's `sheet` and `headerRow` arguments; BAD_USER_INPUT says what is wrong. */
export function validateInferOptions(sheet: string | null | undefined, headerRow: number | null | undefined) {
  const options: InferOptions = {};
  if (sheet != null) {
    if (sheet.length === 0 || sheet.length > MAX_SHEET_NAME) {
      throw new UserError("BAD_USER_INPUT", `sheet must be a sheet name of 1 to ${MAX_SHEET_NAME} characters.`);
    }
    options.sheet = sheet;
  }
  if (headerRow != null) {
    if (!Number.isInteger(headerRow) || headerRow < 1 || headerRow > MAX_ROW) {
      throw new UserError("BAD_USER_INPUT", `headerRow must be a row number from 1 to ${MAX_ROW}.`);
    }
    options.headerRow = headerRow;
  }
  return options;
}

/** How many data rows after the header are read to judge types and required columns. */
export const INFER_ROWS = 1_000;
/** How many of them come back as {@link InferredTemplate.sampleRows}. */
const SAMPLE_ROWS = 10;
/** Longest template key (see `KEY` in templateColumns.ts). */
const MAX_KEY_LENGTH = 63;
/** Most columns and longest header a template takes (`MAX_COLUMNS` and `MAX_TEXT` in templateColumns.ts). */
const MAX_COLUMNS = 200;
const MAX_HEADER_LENGTH = 200;

/**
 * Proposes a template for a sample file: receives the whole upload into a temporary file (see
 * parseProcess.ts's `sample`), then reads up to {@link INFER_ROWS} data rows after the header
 * (`options.headerRow`, else see {@link pickHeader}) and stops. Each non-blank header cell becomes a
 * column with a camelCase key, the narrowest type its values fit (STRING when it had none), and
 * `required` when none of those rows left it blank. A template has at most {@link MAX_COLUMNS}
 * columns, so only the first that many header cells are proposed (a sheet can be 16,384 wide) and a
 * header is cut to {@link MAX_HEADER_LENGTH} characters: createImportTemplate accepts the proposal.
 *
 * The upload gets the same checks as startImport's: the size limit, the file type (a zip must hold
 * a workbook), the idle timeout and deadline, and the user's concurrent uploads (see
 * {@link countUpload}). No database connection is held meanwhile.
 *
 * @throws {UserError} TOO_MANY_UPLOADS, UNSUPPORTED_FILE_TYPE, FILE_TOO_LARGE, UPLOAD_TIMEOUT, or
 *   BAD_USER_INPUT for an empty, damaged or header-less file or an unknown sheet, each with a
 *   sentence for the uploader.
 */
export async function inferTemplate(
  { config }: { config: Config },
  userId: string,
  upload: Promise<FileUpload>,
  options: InferOptions,
): Promise<InferredTemplate> {
  let stream: Readable | undefined;
  let uncount: (() => void) | undefined;
  try {
    uncount = countUpload(userId, config.maxConcurrentUploadsPerUser);
    const file = await receiveUpload(upload, config);
    // throws if the upload already failed, say, when the whole request arrived before this point
    const body = (stream = file.createReadStream());
    // the file is read in a process of its own, whose memory is capped (see parseProcess.ts)
    return await fileReaders(config.parseMemoryMb).sample(inspected(body, config), options, {
      maxUncompressedBytes: config.maxUncompressedBytes,
    });
  } catch (caught) {
    throw toUserError(caught, config.maxUploadBytes);
  } finally {
    stream?.destroy();
    uncount?.();
  }
}

/** inferImportTemplate's requests under way in this process, by user. */
const uploading = new Map<string, number>();

/**
 * Counts an inferImportTemplate upload of `userId`'s until the returned function is called;
 * TOO_MANY_UPLOADS while `max` of theirs are under way. Each holds a temporary file of up to
 * MAX_UPLOAD_BYTES, so one user cannot open many. The count is this process's own, apart from
 * startImport's (which lives in PostgreSQL, as unfinished stored files; a sample stores nothing
 * there): a user may have `max` of each, in each API process.
 */
function countUpload(userId: string, max: number): () => void {
  const count = uploading.get(userId) ?? 0;
  if (count >= max) {
    throw new UserError(
      "TOO_MANY_UPLOADS",
      `At most ${max} of your uploads may stream in at once; wait for one to finish.`,
    );
  }
  uploading.set(userId, count + 1);
  return () => {
    const left = uploading.get(userId)! - 1;
    if (left === 0) uploading.delete(userId);
    else uploading.set(userId, left);
  };
}

/**
 * The work of {@link inferTemplate} on the upload's bytes, once they are checked; run in a file
 * reader's process (parseProcessEntry.ts).
 *
 * @throws {PermanentImportError} for a file that cannot be read, which inferTemplate turns into
 *   the UserError the client sees.
 */
export async function readSample(
  input: Readable,
  options: InferOptions,
  limits: Partial<ReadLimits>,
): Promise<InferredTemplate> {
  const source = new ByteSource(input);
  let batches: AsyncGenerator<RawRow[], void, undefined> | null = null;
  try {
    const kind = detectFileType(await source.peek(SNIFF_LENGTH));
    if (kind === "unsupported") throw new PermanentImportError("UNSUPPORTED_FILE_TYPE", UNSUPPORTED_FILE_MESSAGE);
    const info: SheetInfo = { date1904: false, sheetName: null, sheets: [], encoding: null, delimiter: null };
    batches = readRows(kind, source, info, options.sheet, readLimits(limits));
    const { headerRow, rows } = await readHeaderAndRows(batches, options.headerRow);
    if (!headerRow) {
      if (source.bytesRead === 0) throw new PermanentImportError("EMPTY_FILE", "The file is empty.");
      throw new PermanentImportError(
        "NO_HEADER_ROW",
        kind === "csv"
          ? "The file has no header row: it contains only empty lines."
          : "The file has no header row: all of its sheets are empty.",
      );
    }
    const coerceOptions: CoerceOptions = { date1904: info.date1904 };
    const columns = proposeColumns(profileColumns(proposedCells(headerRow), rows, coerceOptions), rows);
    return {
      sheetName: info.sheetName,
      sheets: kind === "csv" ? null : info.sheets,
      headerRow: headerRow.rowNumber,
      columns: columns.map(({ column }) => column),
      sampleRows: rows.slice(0, SAMPLE_ROWS).map((row) => typedRow(row, columns, coerceOptions)),
    };
  } finally {
    await batches?.return().catch(() => undefined);
    source.close();
  }
}

/**
 * The upload's bytes, checked as they go by as startImport checks them (size, type, idle timeout
 * and deadline); once the upload has been read to its end, the zip verdict too.
 */
async function* inspected(upload: Readable, config: Config): AsyncGenerator<Buffer, void, undefined> {
  const inspector = uploadInspector(config.maxUploadBytes);
  let offset = 0;
  for await (const chunk of timedUpload(upload, config)) {
    inspector.inspect(chunk, offset);
    offset += chunk.length;
    yield chunk;
  }
  // busboy cuts a stream past its limit short and says so only here
  if ((upload as { truncated?: boolean }).truncated) throw fileTooLarge(config.maxUploadBytes);
  inspector.finish();
}

/** How many non-blank rows at the top may hold the header, below titles and notes. */
const HEADER_SEARCH_ROWS = 20;

/**
 * The header row (`wanted`, 1-based, or else see {@link pickHeader}) and up to {@link INFER_ROWS}
 * non-blank rows after it; no header row when the sheet has no non-blank row.
 *
 * @throws {PermanentImportError} `NO_HEADER_ROW` when the wanted row is blank or past the end.
 */
async function readHeaderAndRows(
  batches: AsyncGenerator<RawRow[], void, undefined>,
  wanted: number | undefined,
): Promise<{ headerRow: RawRow | null; rows: RawRow[] }> {
  let headerRow: RawRow | null = null;
  let width = 0;
  let sawRows = false;
  let candidates: RawRow[] = [];
  const rows: RawRow[] = [];
  const found = (header: RawRow) => {
    headerRow = header;
    width = proposedCells(header).length;
  };
  // cells past the proposed columns are never read again: a sheet 16,384 wide keeps 200 a row
  const keep = (row: RawRow) =>
    rows.push(row.cells.length > width ? { ...row, cells: row.cells.slice(0, width) } : row);
  const settle = () => {
    const [header, ...after] = pickHeader(candidates);
    if (header) found(header);
    after.forEach(keep);
    candidates = [];
  };
  for (;;) {
    const next = await batches.next();
    if (next.done) break;
    for (const row of next.value) {
      sawRows = true;
      if (headerRow) {
        if (isBlankRow(row.cells)) continue;
        keep(row);
        if (rows.length >= INFER_ROWS) return { headerRow, rows: rows.slice(0, INFER_ROWS) };
      } else if (wanted === undefined) {
        if (isBlankRow(row.cells)) continue;
        candidates.push(row);
        if (candidates.length === HEADER_SEARCH_ROWS) settle();
      } else if (row.rowNumber >= wanted) {
        if (row.rowNumber !== wanted || isBlankRow(row.cells)) throw blankHeaderRow(wanted);
        found(row);
      }
    }
  }
  if (candidates.length > 0) settle();
  // a sheet that ends above the wanted row; an empty one gets the caller's message
  if (!headerRow && wanted !== undefined && sawRows) throw blankHeaderRow(wanted);
  return { headerRow, rows };
}

/**
 * Passes over a title or a note above the headers ("Q3 sales report", one cell): the header is the
 * first of the top non-blank rows that fills two cells or more; else, a sheet of one column, the
 * first row. Returns the header and the rows after it. A header may fill fewer cells than the data
 * below it ("Name,Email,,,,,"), so it is not judged against the fullest row.
 */
function pickHeader(candidates: readonly RawRow[]): RawRow[] {
  const at = candidates.findIndex((row) => filledCells(row, 2) >= 2);
  return candidates.slice(Math.max(at, 0));
}

/** How many of a row's cells are not blank, counting up to `enough`. */
function filledCells(row: RawRow, enough: number): number {
  let count = 0;
  for (const cell of row.cells) if (!isBlankCell(cell) && ++count === enough) break;
  return count;
}

/** The header's cells up to its {@link MAX_COLUMNS}th non-blank one; the columns after are not proposed. */
function proposedCells(header: RawRow): readonly Cell[] {
  let count = 0;
  const end = header.cells.findIndex((cell) => !isBlankCell(cell) && ++count === MAX_COLUMNS);
  return end === -1 ? header.cells : header.cells.slice(0, end + 1);
}

function blankHeaderRow(rowNumber: number): PermanentImportError {
  return new PermanentImportError(
    "NO_HEADER_ROW",
    `Row ${rowNumber}, chosen as the header row, is empty. Choose the row that holds the column titles.`,
  );
}

interface ProposedColumn {
  /** Where the column is in the file. */
  index: number;
  column: TemplateColumn & { aliases: string[] };
}

/**
 * One template column per source column. Keys and headers are made unique (a suffix 2, 3, …),
 * also against each other after normalising, and headers are cut to {@link MAX_HEADER_LENGTH}, so
 * createImportTemplate accepts the proposal as it is.
 */
function proposeColumns(sources: readonly SourceColumn[], rows: readonly RawRow[]): ProposedColumn[] {
  const claimed = new Set<string>();
  const keys = new Set<string>();
  const uniqueHeader = uniqueNames((base, n) => `${cut(base, MAX_HEADER_LENGTH - 1 - String(n).length)} ${n}`);
  const uniqueKey = uniqueNames((base, n) => base.slice(0, MAX_KEY_LENGTH - String(n).length) + n);
  return sources.map(({ index, header: text, detectedType }) => {
    const header = uniqueHeader(cut(text, MAX_HEADER_LENGTH), (candidate) => !claimed.has(normalizeHeader(candidate)));
    const own = normalizeHeader(header);
    const key = uniqueKey(
      keyFromHeader(text, index),
      (candidate) =>
        !keys.has(candidate.toLowerCase()) &&
        (normalizeHeader(candidate) === own || !claimed.has(normalizeHeader(candidate))),
    );
    keys.add(key.toLowerCase());
    claimed.add(own).add(normalizeHeader(key));
    const filled = rows.length > 0 && rows.every((row) => !isBlankCell(row.cells[index]));
    return { index, column: { key, header, type: detectedType ?? "STRING", required: filled, aliases: [] } };
  });
}

/**
 * Makes names unique: `base` if it is free, else the first free `suffix(base, n)`, n = 2, 3, ….
 * Each base remembers the n it stopped at: names only ever get taken, so a suffix found taken stays
 * taken, and a row of 8,000 equal headers costs 8,000 tries, not 32 million.
 */
function uniqueNames(suffix: (base: string, n: number) => string) {
  const next = new Map<string, number>();
  return (base: string, free: (candidate: string) => boolean): string => {
    let n = next.get(base);
    if (n === undefined) {
      if (free(base)) return base;
      n = 2;
    }
    let candidate = suffix(base, n);
    while (!free(candidate)) candidate = suffix(base, ++n);
    next.set(base, n + 1);
    return candidate;
  };
}

/** `text` in at most `length` UTF-16 units, as a template counts them, cut between characters and trimmed. */
function cut(text: string, length: number): string {
  if (text.length <= length) return text;
  return text
    .slice(0, length)
    .replace(/[\uD800-\uDBFF]$/, "")
    .trimEnd();
}

/** A data row as the proposed template would store it; a cell that fits no type (`#N/A`) is null. */
function typedRow(row: RawRow, columns: readonly ProposedColumn[], options: CoerceOptions): Record<string, JsonValue> {
  const values: Record<string, JsonValue> = {};
  for (const { index, column } of columns) {
    const cell: Cell = row.cells[index];
    const value = isBlankCell(cell) ? null : createCoercer(column.type, options)(cell);
    values[column.key] = value instanceof CoercionFailure ? null : value;
  }
  return values;
}

/** What the client sees for a file that cannot be read: never INTERNAL_SERVER_ERROR for the file's fault. */
function toUserError(caught: unknown, maxBytes: number): Error {
  if (caught instanceof UserError) return caught;
  if (caught instanceof PermanentImportError) {
    return new UserError(
      caught.code === "UNSUPPORTED_FILE_TYPE" ? "UNSUPPORTED_FILE_TYPE" : "BAD_USER_INPUT",
      caught.message,
    );
  }
  return uploadError(coerceError(caught), maxBytes);
}
