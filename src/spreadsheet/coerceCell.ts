import { type Cell, CellError, formatNumber, isBlankCell } from "./cell.js";
import { excelSerialToDate, formatDateCell, isTimeOnly } from "./excelDate.js";
import { type DateOrder, parseDateText } from "./parseDateText.js";
import { parseIsoDateTime } from "./parseIsoDateTime.js";
import { type DecimalSeparator, isExactNumber, parseNumberText, significantDigits } from "./parseNumberText.js";
import type { ColumnType, JsonValue } from "./types.js";

/** Context a cell's value depends on. */
export interface CoerceOptions {
  /** The workbook counts serial dates from 1904; matters for numbers in date columns. */
  date1904?: boolean;
  /** How numbers written as text separate decimals (and so group thousands). Default `DOT`. */
  decimalSeparator?: DecimalSeparator;
  /** The order of day, month and year in dates written as text. Default `YMD`. */
  dateOrder?: DateOrder;
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
 * | `INTEGER` | whole numbers, as numbers or text (`"-42"`, `"1e3"`, `"1,234"`) | a safe integer |
 * | `DECIMAL` | numbers, as numbers or text (`"+3.5"`, `".5"`, `"1,234.56"`) | a finite number |
 * | `BOOLEAN` | TRUE/FALSE cells; `true/false/yes/no/1/0` and the words spreadsheets write for TRUE/FALSE in other languages (`WAHR`, `VRAI`, `VERDADERO`…), in any case; the numbers 1 and 0 | boolean |
 * | `DATE` | date cells, Excel serial numbers, `YYYY-MM-DD`, ISO date-times (date part as written), dates as text in the template's order (`31.05.2024`) | `"YYYY-MM-DD"` |
 * | `DATETIME` | the same, also with a time (`31.05.2024 14:30`); text without an offset is taken as UTC, like spreadsheet dates | ISO string, `Z` |
 * | `EMAIL` | an address, optionally prefixed `mailto:` | trimmed, lower case |
 * | `STRING` | anything: numbers as Excel shows them in General format, dates as ISO | trimmed text |
 *
 * Numbers as text follow the template's `decimalSeparator` (see {@link parseNumberText}): with
 * `DOT`, "1,234.56" is 1234.56 and "2,5" is refused; with `COMMA`, "1.234,56" and "2,5" are read
 * and "2.5" is refused, so a number is never read with the other locale's meaning. A number as
 * text must survive being stored as a double exactly: "12345678901234567.891" is refused, not
 * stored as 12345678901234568. Number cells are doubles already and are taken as they are.
 *
 * Dates as text follow the template's `dateOrder` (see {@link parseDateText}); ISO `2024-05-31`
 * is read in every order, and two-digit years are refused. Text is trimmed first. A blank cell
 * gives `null` (whether that is allowed is the row's business); an error cell (`#N/A`…) is always
 * invalid.
 */
export function coerceCell(cell: Cell, type: ColumnType, options: CoerceOptions = {}): CoercionResult {
  if (isBlankCell(cell)) return { ok: true, value: null };
  const result = createCoercer(type, options)(cell);
  return result instanceof CoercionFailure ? { ok: false, message: result.message } : { ok: true, value: result };
}

/** Builds the converter for a column type; see {@link coerceCell} for the rules. */
export function createCoercer(type: ColumnType, options: CoerceOptions = {}): Coercer {
  const date1904 = options.date1904 === true;
  const decimalSeparator = options.decimalSeparator ?? "DOT";
  const dateOrder = options.dateOrder ?? "YMD";
  switch (type) {
    case "STRING":
      return coerceString;
    case "INTEGER":
      return (cell) => coerceInteger(cell, decimalSeparator);
    case "DECIMAL":
      return (cell) => coerceDecimal(cell, decimalSeparator);
    case "BOOLEAN":
      return coerceBoolean;
    case "DATE":
      return (cell) => coerceDate(cell, date1904, dateOrder);
    case "DATETIME":
      return (cell) => coerceDateTime(cell, date1904, dateOrder);
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

/** Digits with commas, dots, spaces or apostrophes: separators in a form the locale does not use. */
const LOCALE_NUMBER_TEXT = /^[+-]?[\d,.]*\d[\d,.' \u00a0\u202f]*$/;
const NUMBER_FORMAT_HINT: Record<DecimalSeparator, string> = {
  DOT: "This template writes numbers with a decimal point, e.g. 1234.5 or 1,234.5.",
  COMMA: "This template writes numbers with a decimal comma, e.g. 1234,5 or 1.234,5.",
};
/** Any decimal of up to 15 significant digits survives a double; Excel keeps no more either. */
const EXACT_DIGITS = 15;

function coerceDecimal(cell: FilledCell, decimalSeparator: DecimalSeparator): number | CoercionFailure {
  const written = toNumber(cell, "a number", decimalSeparator);
  if (written instanceof CoercionFailure) return written;
  const number = Number(written);
  if (!Number.isFinite(number)) return new CoercionFailure(`The number ${describe(cell)} is too large.`);
  if (typeof written === "string" && !isExactNumber(written, number)) {
    // the double would not be the number written: say so rather than store a rounded one
    if (significantDigits(written) > EXACT_DIGITS) {
      return new CoercionFailure(
        `The number ${describe(cell)} has more significant digits than can be stored exactly (${EXACT_DIGITS}).`,
      );
    }
    return new CoercionFailure(`The number ${describe(cell)} is too small to be stored exactly.`);
  }
  return number === 0 ? 0 : number; // no -0: it would be stored as 0 anyway
}

function coerceInteger(cell: FilledCell, decimalSeparator: DecimalSeparator): number | CoercionFailure {
  const written = toNumber(cell, "a whole number", decimalSeparator);
  if (written instanceof CoercionFailure) return written;
  const number = Number(written);
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
  // a safe integer is exact, so a difference is a fraction too small for a double: "3.0000000000000001"
  if (typeof written === "string" && !isExactNumber(written, number)) {
    return new CoercionFailure(`Expected a whole number, got ${describe(cell)}.`);
  }
  return number === 0 ? 0 : number;
}

/**
 * A number cell as it is, or text read in the locale as the number written, in JavaScript syntax
 * (see {@link parseNumberText}), for the caller to check that the double keeps it.
 */
function toNumber(
  cell: FilledCell,
  expected: string,
  decimalSeparator: DecimalSeparator,
): number | string | CoercionFailure {
  if (typeof cell === "number") return cell;
  if (typeof cell === "string") {
    const text = cell.trim();
    const written = parseNumberText(text, decimalSeparator);
    if (written !== null) return written;
    if (LOCALE_NUMBER_TEXT.test(text)) {
      return new CoercionFailure(`Expected ${expected}, got ${quote(text)}. ${NUMBER_FORMAT_HINT[decimalSeparator]}`);
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
  // TRUE/FALSE as spreadsheets in other languages write them in text files (LibreOffice and Excel
  // in German write WAHR/FALSCH); the words cannot be mistaken for the opposite in any of these
  ["wahr", true], // de
  ["falsch", false],
  ["vrai", true], // fr
  ["faux", false],
  ["verdadero", true], // es
  ["verdadeiro", true], // pt
  ["falso", false], // es, pt, it
  ["vero", true], // it
  ["waar", true], // nl
  ["onwaar", false],
  ["sant", true], // sv
  ["falskt", false],
  ["sand", true], // da
  ["falsk", false], // da, nb
  ["sann", true], // nb
  ["usann", false],
  ["tosi", true], // fi
  ["epätosi", false],
  ["prawda", true], // pl
  ["fałsz", false],
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

/** What a date as text looks like in each order, for messages. */
const DATE_HINT: Record<DateOrder, string> = {
  YMD: "a date like 2024-05-31 (YYYY-MM-DD)",
  DMY: "a date like 31.05.2024 or 31/05/2024 (day, month, year) or 2024-05-31",
  MDY: "a date like 05/31/2024 (month, day, year) or 2024-05-31",
};
const DATETIME_HINT: Record<DateOrder, string> = {
  YMD: "a date and time like 2024-05-31T14:30:00Z (or just a date)",
  DMY: "a date and time like 31.05.2024 14:30 or 2024-05-31T14:30:00Z (or just a date)",
  MDY: "a date and time like 05/31/2024 14:30 or 2024-05-31T14:30:00Z (or just a date)",
};
const TWO_DIGIT_YEAR = "Write the year with four digits: a two-digit year could be in either century.";

function coerceDate(cell: FilledCell, date1904: boolean, order: DateOrder): string | CoercionFailure {
  if (typeof cell === "string") {
    const text = cell.trim();
    const iso = parseIsoDateTime(text);
    if (iso) return iso.date;
    const parsed = parseDateText(text, order);
    if (parsed === null) return new CoercionFailure(`Expected ${DATE_HINT[order]}, got ${quote(text)}.`);
    if (parsed === "two-digit year") {
      return new CoercionFailure(`Expected ${DATE_HINT[order]}, got ${quote(text)}. ${TWO_DIGIT_YEAR}`);
    }
    return parsed.date;
  }
  const date = toDate(cell, date1904, DATE_HINT[order]);
  return date instanceof CoercionFailure ? date : date.toISOString().slice(0, 10);
}

function coerceDateTime(cell: FilledCell, date1904: boolean, order: DateOrder): string | CoercionFailure {
  if (typeof cell === "string") {
    const text = cell.trim();
    const iso = parseIsoDateTime(text);
    if (iso) return iso.canonical ? text : new Date(iso.time).toISOString();
    const parsed = parseDateText(text, order);
    if (parsed === null) return new CoercionFailure(`Expected ${DATETIME_HINT[order]}, got ${quote(text)}.`);
    if (parsed === "two-digit year") {
      return new CoercionFailure(`Expected ${DATETIME_HINT[order]}, got ${quote(text)}. ${TWO_DIGIT_YEAR}`);
    }
    return new Date(parsed.time).toISOString();
  }
  const date = toDate(cell, date1904, DATETIME_HINT[order]);
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
