import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import type { ByteSource } from "./byteSource.js";
import { isBlankRow, type RawRow, ROW_BATCH_SIZE } from "./cell.js";
import { completeUtf8Length } from "./detectFileType.js";
import { PermanentImportError } from "./permanentImportError.js";
import type { SheetInfo } from "./readRows.js";
import { coerceError } from "../lib.js";

/** Characters accepted as field separators, in order of preference when counts tie. */
export type CsvDelimiter = "," | ";" | "\t";
const DELIMITERS: readonly CsvDelimiter[] = [",", ";", "\t"];

/** How much of the file's start is searched for the header line when guessing the delimiter. */
const DELIMITER_SAMPLE_BYTES = 64 * 1024;

/**
 * Caps one record's size, so that a stray opening quote cannot make the parser buffer the rest of
 * a huge file into one field.
 */
const MAX_RECORD_CHARS = 1_000_000;

const NOT_UTF8 =
  "The file is not valid UTF-8 text. If it is a CSV file, save it from Excel as " +
  "“CSV UTF-8 (Comma delimited)” and upload it again.";

/**
 * Reads a csv file as a stream of records: UTF-8 with or without a BOM, fields separated by
 * commas, semicolons or tabs (guessed from the header line), quoted fields with delimiters,
 * doubled quotes and line breaks inside. See {@link readRows} for what is yielded. Row numbers
 * count records, not lines, so a quoted line break does not shift them.
 */
export async function* readCsv(source: ByteSource, info: SheetInfo): AsyncGenerator<RawRow[], void, undefined> {
  info.date1904 = false;
  info.sheetName = null;
  const head = await source.peek(DELIMITER_SAMPLE_BYTES);
  const delimiter = detectDelimiter(head.toString("utf8", 0, completeUtf8Length(head)));
  info.encoding = "UTF-8";
  info.delimiter = delimiter;
  const parser = parse({
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // any line ending, even mixed in one file (auto-detection would fix on the first one seen)
    record_delimiter: ["\r\n", "\n", "\r"],
    max_record_size: MAX_RECORD_CHARS,
  });
  const input = Readable.from(validUtf8(source.chunks()), { objectMode: false });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  let rowNumber = 0;
  let found = false;
  let batch: RawRow[] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (!found) {
        if (isBlankRow(record)) continue;
        found = true;
      }
      batch.push({ rowNumber, cells: record });
      if (batch.length >= ROW_BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    throw toImportError(error, rowNumber);
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (batch.length > 0) yield batch;
}

/**
 * Guesses the field separator from the first non-blank line: the candidate that occurs most often
 * outside quotes; comma when none occurs (a one-column file) or on a tie.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = [0, 0, 0];
  let inQuotes = false;
  let lineHasContent = false;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      inQuotes = !inQuotes;
      lineHasContent = true;
    } else if (inQuotes) {
      continue;
    } else if (char === "\n" || char === "\r") {
      if (lineHasContent) break;
      counts.fill(0);
    } else {
      const index = DELIMITERS.indexOf(char as CsvDelimiter);
      if (index >= 0) counts[index]!++;
      else if (char !== " ") lineHasContent = true;
    }
  }
  let best = 0;
  for (let i = 1; i < counts.length; i++) if (counts[i]! > counts[best]!) best = i;
  return DELIMITERS[best]!;
}

/** Passes the bytes on, cut at character boundaries, and rejects anything that is not UTF-8. */
async function* validUtf8(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer, void, undefined> {
  let pending: Buffer | null = null;
  for await (let chunk of chunks) {
    if (pending) chunk = Buffer.concat([pending, chunk]);
    const complete = completeUtf8Length(chunk);
    const whole = complete === chunk.length ? chunk : chunk.subarray(0, complete);
    if (!isUtf8(whole)) throw new PermanentImportError("CORRUPT_FILE", NOT_UTF8);
    pending = complete === chunk.length ? null : chunk.subarray(complete);
    if (whole.length > 0) yield whole;
  }
  if (pending) throw new PermanentImportError("CORRUPT_FILE", NOT_UTF8);
}

function toImportError(error: unknown, rowsReadSoFar: number): Error {
  if (!(error instanceof CsvError)) return coerceError(error);
  // the parser runs ahead of the rows taken from it, and counts the records it completed
  const parsed = (error as CsvError & { records?: unknown }).records;
  const rowNumber = (typeof parsed === "number" ? parsed : rowsReadSoFar) + 1;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return new PermanentImportError(
        "CORRUPT_FILE",
        `The file has a quoted value that is never closed (from row ${rowNumber} on). ` +
          "Check that every opening quote has a closing quote.",
        { cause: error },
      );
    case "CSV_MAX_RECORD_SIZE":
      return new PermanentImportError(
        "CORRUPT_FILE",
        `Row ${rowNumber} is larger than 1 MB; the file probably has a quote that is never closed.`,
        { cause: error },
      );
    default:
      return new PermanentImportError(
        "CORRUPT_FILE",
        `The file could not be read as CSV: row ${rowNumber} is malformed.`,
        { cause: error },
      );
  }
}
