import { isAscii, isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import type { ByteSource } from "./byteSource.js";
import { isBlankRow, type RawRow, ROW_BATCH_SIZE } from "./cell.js";
import { completeUtf8Length, decodeSample, detectEncoding, type TextEncoding } from "./detectEncoding.js";
import { formatCount, type ReadLimits, tooLarge } from "./limits.js";
import { PermanentImportError } from "./permanentImportError.js";
import type { SheetInfo } from "./readRows.js";
import { coerceError } from "../lib.js";

/** Characters accepted as field separators, in order of preference when the evidence ties. */
export type CsvDelimiter = "," | ";" | "\t" | "|";
const DELIMITERS: readonly CsvDelimiter[] = [",", ";", "\t", "|"];

/** How much of the file's start decides its encoding and delimiter. */
const SAMPLE_BYTES = 64 * 1024;

/** How many lines at the start of the file are compared when guessing the delimiter. */
const DELIMITER_SAMPLE_LINES = 20;

/**
 * Caps one record's size, so that a stray opening quote cannot make the parser buffer the rest of
 * a huge file into one field.
 */
const MAX_RECORD_CHARS = 1_000_000;

const MIXED_ENCODINGS =
  "The file starts as UTF-8 text but later has characters in another encoding, so it cannot be " +
  "read reliably. Save it again as “CSV UTF-8 (Comma delimited)” and upload it again.";

/**
 * Reads a text file (.csv, .tsv, .txt) as a stream of records. The encoding is told from the
 * first 64 KiB (see {@link detectEncoding}): UTF-8 with or without a BOM, UTF-16 LE or BE with a
 * BOM, else Windows-1252. Fields are separated by commas, semicolons, tabs or pipes (see
 * {@link detectDelimiter}); quoted fields may hold delimiters, doubled quotes and line breaks.
 * See {@link readRows} for what is yielded. Row numbers count records, not lines, so a quoted
 * line break does not shift them.
 *
 * A line longer than `limits.maxCsvLineChars` fails `TOO_LARGE` before it is split into fields
 * (a line of millions of empty fields would take a hundred times its size), and so does a record
 * of more than `limits.maxColumns` fields.
 */
export async function* readCsv(
  source: ByteSource,
  info: SheetInfo,
  limits: Pick<ReadLimits, "maxColumns" | "maxCsvLineChars">,
): AsyncGenerator<RawRow[], void, undefined> {
  info.date1904 = false;
  info.sheetName = null;
  const head = await source.peek(SAMPLE_BYTES);
  const encoding = detectEncoding(head);
  const delimiter = detectDelimiter(decodeSample(head, encoding));
  info.encoding = encoding;
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
  const input = Readable.from(
    capLines(
      decodeText(source.chunks(), encoding, (found) => (info.encoding = found)),
      limits.maxCsvLineChars,
    ),
    { objectMode: false },
  );
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  let rowNumber = 0;
  let found = false;
  let batch: RawRow[] = [];
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      rowNumber++;
      if (record.length > limits.maxColumns) {
        throw tooLarge(
          `Row ${rowNumber} has ${formatCount(record.length)} columns, more than the ` +
            `${formatCount(limits.maxColumns)} allowed (the column limit).`,
        );
      }
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
 * Guesses the field separator from the first lines of a text: the candidate that occurs, outside
 * quotes, the same number of times on the most lines (a title line or a decimal comma here and
 * there does not sway it); then the one that occurs more often on them; comma when none occurs (a
 * one-column file).
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const lines: number[][] = [];
  let counts = DELIMITERS.map(() => 0);
  let inQuotes = false;
  let lineHasContent = false;
  for (let i = 0; i < text.length && lines.length < DELIMITER_SAMPLE_LINES; i++) {
    const char = text[i]!;
    if (char === '"') inQuotes = !inQuotes;
    if (inQuotes) continue;
    if (char === "\n" || char === "\r") {
      if (lineHasContent) lines.push(counts);
      counts = DELIMITERS.map(() => 0);
      lineHasContent = false;
      continue;
    }
    lineHasContent = true;
    const index = DELIMITERS.indexOf(char as CsvDelimiter);
    if (index >= 0) counts[index]!++;
  }
  if (lineHasContent) lines.push(counts);

  let best: { delimiter: CsvDelimiter; lines: number; count: number } = { delimiter: ",", lines: 0, count: 0 };
  DELIMITERS.forEach((delimiter, index) => {
    const { value, times } = mostCommonCount(lines.map((line) => line[index]!));
    if (times > best.lines || (times === best.lines && value > best.count)) {
      best = { delimiter, lines: times, count: value };
    }
  });
  return best.delimiter;
}

/** The non-zero value that occurs most often (the larger on a tie), and how often; zeros for none. */
function mostCommonCount(values: number[]): { value: number; times: number } {
  const times = new Map<number, number>();
  for (const value of values) if (value > 0) times.set(value, (times.get(value) ?? 0) + 1);
  let best = { value: 0, times: 0 };
  for (const [value, n] of times) {
    if (n > best.times || (n === best.times && value > best.value)) best = { value, times: n };
  }
  return best;
}

/**
 * Decodes the bytes to text. A file taken for UTF-8 because its start was plain ASCII turns out to
 * be Windows-1252 when a byte that is not UTF-8 comes later (an accented name in row 5,000); the two
 * agree on ASCII, so the text decoded so far stands. Such a byte after UTF-8 characters is refused:
 * the file mixes encodings.
 */
async function* decodeText(
  chunks: AsyncIterable<Buffer>,
  encoding: TextEncoding,
  onSwitch: (encoding: TextEncoding) => void,
): AsyncGenerator<string, void, undefined> {
  let decoder = encoding === "UTF-8" ? null : new TextDecoder(encoding);
  let pending: Buffer = Buffer.alloc(0);
  let sawUtf8 = false;
  for await (const chunk of chunks) {
    if (decoder) {
      yield decoder.decode(chunk, { stream: true });
      continue;
    }
    const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
    const complete = completeUtf8Length(bytes);
    const whole = bytes.subarray(0, complete);
    if (isUtf8(whole)) {
      sawUtf8 ||= !isAscii(whole);
      pending = bytes.subarray(complete);
      yield whole.toString("utf8");
    } else if (sawUtf8 || hasUtf8BeforeInvalid(bytes)) {
      // a chunk can be large (the peeked 64 KiB and more come as one), so its own UTF-8 counts too
      throw new PermanentImportError("CORRUPT_FILE", MIXED_ENCODINGS);
    } else {
      onSwitch("windows-1252");
      decoder = new TextDecoder("windows-1252");
      yield decoder.decode(bytes, { stream: true });
    }
  }
  if (decoder) yield decoder.decode();
  else if (pending.length > 0) {
    // the file ends inside a character
    if (sawUtf8) throw new PermanentImportError("CORRUPT_FILE", MIXED_ENCODINGS);
    yield decodeSample(pending, "windows-1252");
  }
}

/**
 * Passes the text on, failing `TOO_LARGE` at a line (a run without CR or LF, quotes or not) of
 * more than `maxChars` characters.
 */
async function* capLines(texts: AsyncIterable<string>, maxChars: number): AsyncGenerator<string, void, undefined> {
  let length = 0;
  let lineNumber = 1;
  let afterCr = false;
  for await (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 0x0d || code === 0x0a) {
        // CRLF ends one line
        if (code === 0x0d || !afterCr) lineNumber++;
        afterCr = code === 0x0d;
        length = 0;
      } else if (++length > maxChars) {
        throw tooLarge(
          `Line ${formatCount(lineNumber)} of the file is longer than ${formatCount(maxChars)} characters ` +
            "(the line length limit).",
        );
      } else {
        afterCr = false;
      }
    }
    yield text;
  }
}

/**
 * Whether `bytes`, which are not valid UTF-8, have a UTF-8 character before the first byte that
 * makes them invalid: whether their first byte that is not ASCII starts a well-formed sequence.
 */
function hasUtf8BeforeInvalid(bytes: Uint8Array): boolean {
  const i = bytes.findIndex((byte) => byte >= 0x80);
  const lead = bytes[i] ?? 0;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 0;
  return length > 0 && isUtf8(bytes.subarray(i, i + length));
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
        "TOO_LARGE",
        `Row ${rowNumber} is larger than 1 MB (the row size limit): a quote may never be closed, ` +
          "or the file is not a table of rows.",
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
