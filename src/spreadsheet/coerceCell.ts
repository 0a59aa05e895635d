import { type Cell, CellError, formatNumber, isBlankCell } from "./cell.js";
import { excelSerialToDate, formatDateCell, isTimeOnly } from "./excelDate.js";
import { parseIsoDateTime } from "./parseIsoDateTime.js";
import type { ColumnType, JsonValue } from "./types.js";

/** Context a cell's value depends on. */
export interface CoerceOptions {
  /** The workbook counts serial dates from 1904; matters for numbers in date columns. */
  date1904?: boolean;
  /** How numbers written as text separate decimals. Default `DOT`. */
  decimalSeparator?: "DOT" | "COMMA";
  /** The order of day, month and year in dates written as text. Default `YMD`. */
  dateOrder?: "DMY" | "MDY" | "YMD";
}

/** Why a cell's value does not fit its column. */
export class CoercionFailure {
  constructor(
    /** A sentence for the person who filled in the cell. */
    readonly message: string,
  ) {}
}

/** A cell that is not empty (it may still be whitespace-only text: callers check that first). */
type FilledCell = Exclude<Cell, null | undefined>;

/**
 * Converts a non-blank cell to its column type's value, or explains why it cannot. Built once per
 * column so the per-cell work is a type switch; returns a failure object rather than throwing,
 * because invalid cells are routine in imports.
 */
export type Coercer = (cell: FilledCell) => Exclude<JsonValue, null> | CoercionFailure;

/** The result of {@link coerceCell}. */
export type CoercionResult = { ok: true; value: JsonValue } | { ok: false; message: string };

/**
 * Converts one cell to the JSON value stored for a column type:
 *
 * | type | accepts | gives |
 * | --- | --- | --- |
 * | `INTEGER` | whole numbers, as numbers or text (`"-42"`, `"1e3"`) | a safe integer |
 * | `DECIMAL` | numbers, as numbers or text (`"+3.5"`, `".5"`) | a finite number |
 * | `BOOLEAN` | TRUE/FALSE cells; `true/false/yes/no/1/0` in any case; the numbers 1 and 0 | boolean |
 * | `DATE` | date cells, Excel serial numbers, `YYYY-MM-DD`, ISO date-times (date part as written) | `"YYYY-MM-DD"` |
 * | `DATETIME` | the same; text without an offset is taken as UTC, like spreadsheet dates | ISO string, `Z` |
 * | `EMAIL` | an address, optionally prefixed `mailto:` | trimmed, lower case |
 * | `STRING` | anything: numbers as Excel shows them in General format, dates as ISO | trimmed text |
 *
 * Numbers as text are strict: no thousands separators, no decimal comma, no currency signs, so that
 * "1,234" is never silently read as 1.234 or 1234. Text is trimmed first. A blank cell gives `null`
 * (whether that is allowed is the row's business); an error cell (`#N/A`…) is always invalid.
 */
export function coerceCell(cell: Cell, type: ColumnType, options: CoerceOptions = {}): CoercionResult {
  if (isBlankCell(cell)) return { ok: true, value: null };
  const result = createCoercer(type, options)(cell);
  return result instanceof CoercionFailure ? { ok: false, message: result.message } : { ok: true, value: result };
}

/** Builds the converter for a column type; see {@link coerceCell} for the rules. */
export function createCoercer(type: ColumnType, options: CoerceOptions = {}): Coercer {
  const date1904 = options.date1904 === true;
  switch (type) {
    case "STRING":
      return coerceString;
    case "INTEGER":
      return coerceInteger;
    case "DECIMAL":
      return coerceDecimal;
    case "BOOLEAN":
      return coerceBoolean;
    case "DATE":
      return (cell) => coerceDate(cell, date1904);
    case "DATETIME":
      return (cell) => coerceDateTime(cell, date1904);
    case "EMAIL":
      return coerceEmail;
    default:
      throw new TypeError(`Unknown column type: ${String(type)}`);
  }
}

function coerceString(cell: FilledCell): string | CoercionFailure {
  if (typeof cell === "string") return cell.trim();
  if (typeof cell === "number") return formatNumber(cell);
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (cell instanceof CellError) return new CoercionFailure(cell.message);
  return formatDateCell(cell);
}

const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Digits with commas, spaces or apostrophes: thousands separators or a decimal comma. */
const LOCALE_NUMBER_TEXT = /^[+-]?\d[\d,.' \u00a0\u202f]*$/;
const NUMBER_FORMAT_HINT =
  "Write numbers without thousands separators and with a dot as the decimal point, e.g. 1234.5.";

function coerceDecimal(cell: FilledCell): number | CoercionFailure {
  const number = toNumber(cell, "a number");
  if (number instanceof CoercionFailure) return number;
  if (!Number.isFinite(number)) return new CoercionFailure(`The number ${describe(cell)} is too large.`);
  return number === 0 ? 0 : number; // no -0: it would be stored as 0 anyway
}

function coerceInteger(cell: FilledCell): number | CoercionFailure {
  const number = toNumber(cell, "a whole number");
  if (number instanceof CoercionFailure) return number;
  if (!Number.isInteger(number)) {
    if (!Number.isFinite(number)) return new CoercionFailure(`The number ${describe(cell)} is too large.`);
    return new CoercionFailure(`Expected a whole number, got ${describe(cell)}.`);
  }
  if (!Number.isSafeInteger(number)) {
    return new CoercionFailure(
      `The number ${describe(cell)} is too large; whole numbers must be between ` +
        "-9007199254740991 and 9007199254740991.",
    );
  }
  return number === 0 ? 0 : number;
}

function toNumber(cell: FilledCell, expected: string): number | CoercionFailure {
  if (typeof cell === "number") return cell;
  if (typeof cell === "string") {
    const text = cell.trim();
    if (NUMBER_TEXT.test(text)) return Number(text);
    if (LOCALE_NUMBER_TEXT.test(text) && /\d/.test(text)) {
      return new CoercionFailure(`Expected ${expected}, got ${quote(text)}. ${NUMBER_FORMAT_HINT}`);
    }
    return new CoercionFailure(`Expected ${expected}, got ${quote(text)}.`);
  }
  if (cell instanceof CellError) return new CoercionFailure(cell.message);
  return new CoercionFailure(`Expected ${expected}, got ${describe(cell)}.`);
}

const BOOLEAN_TEXT = new Map<string, boolean>([
  ["true", true],
  ["false", false],
  ["yes", true],
  ["no", false],
  ["1", true],
  ["0", false],
]);

function coerceBoolean(cell: FilledCell): boolean | CoercionFailure {
  if (typeof cell === "boolean") return cell;
  if (typeof cell === "string") {
    const value = BOOLEAN_TEXT.get(cell.trim().toLowerCase());
    if (value !== undefined) return value;
  } else if (cell === 1 || cell === 0) {
    return cell === 1;
  } else if (cell instanceof CellError) {
    return new CoercionFailure(cell.message);
  }
  return new CoercionFailure(`Expected yes/no, true/false or 1/0, got ${describe(cell)}.`);
}

const DATE_HINT = "a date like 2024-05-31 (YYYY-MM-DD)";
const DATETIME_HINT = "a date and time like 2024-05-31T14:30:00Z (or just a date)";

function coerceDate(cell: FilledCell, date1904: boolean): string | CoercionFailure {
  if (typeof cell === "string") {
    const text = cell.trim();
    const parsed = parseIsoDateTime(text);
    if (parsed) return parsed.date;
    return new CoercionFailure(`Expected ${DATE_HINT}, got ${quote(text)}.`);
  }
  const date = toDate(cell, date1904, DATE_HINT);
  return date instanceof CoercionFailure ? date : date.toISOString().slice(0, 10);
}

function coerceDateTime(cell: FilledCell, date1904: boolean): string | CoercionFailure {
  if (typeof cell === "string") {
    const text = cell.trim();
    const parsed = parseIsoDateTime(text);
    if (parsed) return parsed.canonical ? text : new Date(parsed.time).toISOString();
    return new CoercionFailure(`Expected ${DATETIME_HINT}, got ${quote(text)}.`);
  }
  const date = toDate(cell, date1904, DATETIME_HINT);
  return date instanceof CoercionFailure ? date : date.toISOString();
}

/** A date or serial-number cell as a Date; time-of-day values are no dates. */
function toDate(cell: Exclude<FilledCell, string>, date1904: boolean, expected: string): Date | CoercionFailure {
  if (cell instanceof CellError) return new CoercionFailure(cell.message);
  if (cell instanceof Date) {
    if (isTimeOnly(cell)) {
      return new CoercionFailure(`Expected ${expected}, got the time ${formatDateCell(cell)}.`);
    }
    return cell;
  }
  if (typeof cell === "number") {
    const date = excelSerialToDate(cell, date1904);
    if (date && !isTimeOnly(date)) return date;
    return new CoercionFailure(
      `Expected ${expected}, got the number ${formatNumber(cell)}, which is not a valid Excel date.`,
    );
  }
  return new CoercionFailure(`Expected ${expected}, got ${describe(cell)}.`);
}

/** Pragmatic address check: the HTML `type=email` rule, plus a dot in the domain. */
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

function coerceEmail(cell: FilledCell): string | CoercionFailure {
  if (typeof cell === "string") {
    let address = cell.trim().toLowerCase();
    if (address.startsWith("mailto:")) address = address.slice(7).trim();
    if (address.length <= 254 && EMAIL.test(address)) return address;
    return new CoercionFailure(`Expected an email address like name@example.com, got ${quote(cell.trim())}.`);
  }
  if (cell instanceof CellError) return new CoercionFailure(cell.message);
  return new CoercionFailure(`Expected an email address like name@example.com, got ${describe(cell)}.`);
}

/** How a value appears in a message: text quoted (and shortened), other values as Excel shows them. */
function describe(cell: FilledCell): string {
  if (typeof cell === "string") return quote(cell.trim());
  if (typeof cell === "number") return formatNumber(cell);
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (cell instanceof CellError) return cell.text;
  return isTimeOnly(cell) ? `the time ${formatDateCell(cell)}` : `the date ${formatDateCell(cell)}`;
}

const MAX_QUOTED = 60;

function quote(text: string): string {
  const shown = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED - 1)}…` : text;
  return `"${shown}"`;
}
