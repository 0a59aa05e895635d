/**
 * Rules a template column can add to its type, checked on every non-blank cell after the cell is
 * converted to the column type (blank cells are `required`'s business):
 *
 * | rule | column types | broken when |
 * | --- | --- | --- |
 * | `allowedValues` | STRING | the trimmed text is none of the values, ignoring case; else the value is stored as listed |
 * | `min` / `max` | INTEGER, DECIMAL, DATE, DATETIME | the value is below / above the bound |
 * | `minLength` / `maxLength` | STRING, EMAIL | the value has fewer / more characters (code points) |
 * | `pattern` | STRING, EMAIL | the RE2 pattern is not found in the value (anchor it with ^…$ to match all) |
 * | `unique` | every type | an earlier row of the same file had the same value |
 *
 * String rules see the value as stored: STRING text trimmed, an EMAIL address lower-cased.
 */
import { createHash } from "node:crypto";
import { RE2JS } from "re2js";
import { CoercionFailure, createCoercer } from "./coerceCell.js";
import type { ColumnType, JsonValue, TemplateColumn } from "./types.js";

/** The column types each rule fits. */
export const RULE_TYPES = {
  allowedValues: ["STRING"],
  min: ["INTEGER", "DECIMAL", "DATE", "DATETIME"],
  max: ["INTEGER", "DECIMAL", "DATE", "DATETIME"],
  minLength: ["STRING", "EMAIL"],
  maxLength: ["STRING", "EMAIL"],
  pattern: ["STRING", "EMAIL"],
} as const satisfies Record<string, readonly ColumnType[]>;

/** Whether a rule fits a column type (see {@link RULE_TYPES}). */
export function fits(rule: keyof typeof RULE_TYPES, type: ColumnType): boolean {
  return (RULE_TYPES[rule] as readonly ColumnType[]).includes(type);
}

/** Allowed values per column: a long drop-down list, short enough to send with every template. */
export const MAX_ALLOWED_VALUES = 500;
/** The longest allowed value, as for headers and aliases. */
export const MAX_ALLOWED_VALUE_LENGTH = 200;
/** The largest minLength / maxLength: half a text file's longest line (`maxCsvLineChars`). */
export const MAX_LENGTH_RULE = 1_000_000;
/** The longest pattern, in characters. */
export const MAX_PATTERN_LENGTH = 1_000;
/**
 * The most instructions a pattern may compile to. re2js runs in time linear in the text, but the
 * factor grows with the program: measured on 20k-character values, patterns of up to ~400
 * instructions cost at most ~3 µs per character, while `(?:\pL|\pN|\pP){700}$` (703) costs ~50 µs
 * and a 925-character pattern of 74,039 instructions took 37 s on one 100k-character value.
 */
export const MAX_PATTERN_PROGRAM = 400;
/** Values in messages are cut to this many characters, with "…". */
export const MESSAGE_VALUE_LENGTH = 60;
/** An allowedValues message lists values up to about this many characters, then says how many more. */
const MESSAGE_LIST_LENGTH = 200;

/** Cuts text to {@link MESSAGE_VALUE_LENGTH} code points, marking the cut with "…". */
export function cutForMessage(text: string): string {
  if (text.length <= MESSAGE_VALUE_LENGTH) return text;
  let end = 0;
  for (let count = 0; count < MESSAGE_VALUE_LENGTH && end < text.length; count++) {
    end += text.codePointAt(end)! > 0xffff ? 2 : 1;
  }
  return end >= text.length ? text : `${text.slice(0, end)}…`;
}

/** Characters as a person counts them: code points, so an emoji is one. */
export function countCharacters(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // a low surrogate after a high one is the second half of one character
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0) {
      const previous = text.charCodeAt(i - 1);
      if (previous >= 0xd800 && previous <= 0xdbff) count--;
    }
  }
  return count;
}

/**
 * A min or max as written, read with the column type's own rules (a number in JavaScript syntax,
 * a date as ISO `2024-01-31`, a date-time as ISO) and normalised as stored values are written
 * (`"1e3"` → `"1000"`, `"2024-01-31"` for DATETIME → `"2024-01-31T00:00:00.000Z"`); or why not.
 */
export function normalizeBound(type: ColumnType, written: string): { bound: string } | { problem: string } {
  const value = createCoercer(type, { decimalSeparator: "DOT", dateOrder: "YMD" })(written.trim());
  if (value instanceof CoercionFailure) return { problem: value.message };
  return { bound: String(value) };
}

/** A bound as a number to compare with: the number itself, or a date's time in milliseconds. */
function boundValue(type: ColumnType, bound: string): number {
  return type === "INTEGER" || type === "DECIMAL" ? Number(bound) : Date.parse(bound);
}

/** A pattern compiled, or why it cannot be used; see {@link MAX_PATTERN_PROGRAM}. */
export function compilePattern(pattern: string): { regex: RE2JS } | { problem: string } {
  let regex: RE2JS;
  try {
    regex = RE2JS.compile(pattern);
  } catch (err) {
    return { problem: `does not compile: ${err instanceof Error ? err.message : String(err)}` };
  }
  const size = regex.programSize();
  if (size > MAX_PATTERN_PROGRAM) {
    return {
      problem:
        `is too complex to check quickly (${size} steps once compiled, at most ${MAX_PATTERN_PROGRAM}): ` +
        "use smaller repeat counts, or minLength and maxLength for lengths",
    };
  }
  return { regex };
}

/** How allowedValues are compared: trimmed, ignoring case. */
export const allowedValueKey = (text: string) => text.trim().toLowerCase();

/** Why a converted cell value breaks its column's rules: one sentence per broken rule. */
export class BrokenRules {
  constructor(readonly messages: string[]) {}
}

/** A converted, non-blank cell value. */
type CellValue = Exclude<JsonValue, null>;

/**
 * Checks one converted cell value of a row against its column's rules; returns the value to store
 * (allowedValues' own spelling) or the rules it breaks. Stateful: `unique` remembers the values of
 * the rows checked before, so call it once per row, in file order.
 */
export type RuleCheck = (value: CellValue, rowNumber: number) => CellValue | BrokenRules;

/**
 * Builds the check of a column's rules for one file, or `null` when the column has none. The
 * pattern is compiled here, once per column and file. `unique` keeps one map entry per distinct
 * value: the value itself when it is a number, a boolean or text of up to 40 characters (copied,
 * so it does not keep the file's text it was cut from alive), else its SHA-1 digest (28 characters).
 */
export function createRuleCheck(column: TemplateColumn): RuleCheck | null {
  const { type } = column;
  const checks: Array<(value: CellValue) => string | null> = [];
  /** allowedValues, trimmed and lower-cased → as listed */
  let spellings: Map<string, string> | null = null;
  let expected = "";
  if (column.allowedValues != null && fits("allowedValues", type)) {
    spellings = new Map(column.allowedValues.map((value) => [allowedValueKey(value), value]));
    expected = listForMessage(column.allowedValues);
  }
  if (column.min != null && fits("min", type)) {
    const { min } = column;
    const limit = boundValue(type, min);
    checks.push((value) =>
      valueOf(type, value) < limit ? `must be at least ${min}; got ${cutForMessage(String(value))}` : null,
    );
  }
  if (column.max != null && fits("max", type)) {
    const { max } = column;
    const limit = boundValue(type, max);
    checks.push((value) =>
      valueOf(type, value) > limit ? `must be at most ${max}; got ${cutForMessage(String(value))}` : null,
    );
  }
  if (column.minLength != null && fits("minLength", type)) {
    const { minLength } = column;
    checks.push((value) => {
      const text = value as string;
      // a character is one or two UTF-16 units: count only when the length alone cannot tell
      if (text.length >= 2 * minLength || (text.length >= minLength && countCharacters(text) >= minLength)) {
        return null;
      }
      return `must be at least ${characters(minLength)}; got '${cutForMessage(text)}'`;
    });
  }
  if (column.maxLength != null && fits("maxLength", type)) {
    const { maxLength } = column;
    checks.push((value) => {
      const text = value as string;
      if (text.length <= maxLength || countCharacters(text) <= maxLength) return null;
      return `must be at most ${characters(maxLength)}; got '${cutForMessage(text)}'`;
    });
  }
  if (column.pattern != null && fits("pattern", type)) {
    // checked when the template was saved (see compilePattern); compiled once per file here
    const regex = RE2JS.compile(column.pattern);
    const shown = cutForMessage(column.pattern);
    checks.push((value) =>
      regex.test(value as string) ? null : `must match the pattern ${shown}; got '${cutForMessage(value as string)}'`,
    );
  }
  const unique = column.unique === true ? createUniqueCheck() : null;
  if (checks.length === 0 && spellings === null && unique === null) return null;

  return (written, rowNumber) => {
    let value = written;
    let broken: string[] | null = null;
    if (spellings !== null) {
      const listed = spellings.get(allowedValueKey(written as string));
      if (listed === undefined) broken = [`must be one of ${expected}; got '${cutForMessage(written as string)}'`];
      else value = listed;
    }
    for (let i = 0; i < checks.length; i++) {
      const message = checks[i]!(value);
      if (message !== null) (broken ??= []).push(message);
    }
    if (broken !== null) return new BrokenRules(broken);
    const earlier = unique === null ? null : unique(value, rowNumber);
    if (earlier !== null) {
      return new BrokenRules([
        `must be unique in the file; '${cutForMessage(asText(value))}' is also in row ${earlier}`,
      ]);
    }
    return value;
  };
}

/** A value as messages show it: booleans as spreadsheets write them. */
const asText = (value: CellValue) => (typeof value === "boolean" ? (value ? "TRUE" : "FALSE") : String(value));

function valueOf(type: ColumnType, value: CellValue): number {
  return type === "INTEGER" || type === "DECIMAL" ? (value as number) : Date.parse(value as string);
}

const characters = (count: number) => `${count} character${count === 1 ? "" : "s"}`;

/** "Active, Paused, Retired", or the first values that fit about 200 characters and "… and 480 more". */
function listForMessage(values: readonly string[]): string {
  let list = "";
  let shown = 0;
  for (const value of values) {
    const item = cutForMessage(value);
    if (shown > 0 && list.length + 2 + item.length > MESSAGE_LIST_LENGTH) break;
    list += shown === 0 ? item : `, ${item}`;
    shown++;
  }
  return shown === values.length ? list : `${list}, … and ${values.length - shown} more`;
}

/** Text up to this long is remembered as itself by `unique`; longer, by its digest. */
const SHORT_TEXT = 40;

/**
 * Remembers the first row of each value; answers the earlier row of a value seen before, else
 * `null`. Text is kept apart from digests (and numbers from text) so they can never be confused.
 */
function createUniqueCheck(): (value: CellValue, rowNumber: number) => number | null {
  const texts = new Map<string, number>();
  const digests = new Map<string, number>();
  const others = new Map<number | boolean, number>();
  return (value, rowNumber) => {
    if (typeof value !== "string") {
      const earlier = others.get(value);
      if (earlier === undefined) others.set(value, rowNumber);
      return earlier ?? null;
    }
    if (value.length > SHORT_TEXT) {
      const digest = createHash("sha1").update(value).digest("base64");
      const earlier = digests.get(digest);
      if (earlier === undefined) digests.set(digest, rowNumber);
      return earlier ?? null;
    }
    const earlier = texts.get(value);
    // a copy: a slice of the file's text would keep all of that text alive
    if (earlier === undefined) texts.set(copyText(value), rowNumber);
    return earlier ?? null;
  };
}

/** A flat copy of short text that shares no memory with the string it came from. */
function copyText(text: string): string {
  return Buffer.from(text, "utf16le").toString("utf16le");
}
