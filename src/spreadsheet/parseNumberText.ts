/** How numbers written as text separate decimals; the other mark groups thousands. */
export type DecimalSeparator = "DOT" | "COMMA";

// plain: digits with an optional decimal mark and exponent, as JavaScript writes numbers
const PLAIN: Record<DecimalSeparator, RegExp> = {
  DOT: /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/,
  COMMA: /^[+-]?(?:\d+,?\d*|,\d+)(?:[eE][+-]?\d+)?$/,
};
// grouped: thousands in threes, one separator throughout; spaces (also the non-breaking ones
// spreadsheets write) group in every locale, the apostrophe only with a decimal dot (Swiss style)
const GROUPED: Record<DecimalSeparator, RegExp> = {
  DOT: /^([+-]?)(\d{1,3}([, \u00a0\u202f'])\d{3}(?:\3\d{3})*)(\.\d*)?$/,
  COMMA: /^([+-]?)(\d{1,3}([. \u00a0\u202f])\d{3}(?:\3\d{3})*)(,\d*)?$/,
};

/**
 * Reads a number written as text in a locale: with `DOT`, `1,234.56` and `1234.56`; with `COMMA`,
 * `1.234,56`, `1 234,56` and `2,5`. Thousands come in groups of three, so `2,5` is no number with
 * `DOT` (and `2.5` none with `COMMA`): a number is never read with the other locale's meaning.
 *
 * @returns the number in JavaScript syntax (`-1234.56`, `1.5e3`), digits unchanged so that
 *   {@link isExactNumber} can compare them, or `null` if the text is no number.
 */
export function parseNumberText(text: string, decimalSeparator: DecimalSeparator = "DOT"): string | null {
  const mark = decimalSeparator === "COMMA" ? "," : ".";
  // a plain number is already in JavaScript syntax but for a decimal comma
  if (PLAIN[decimalSeparator].test(text)) return decimalSeparator === "COMMA" ? text.replace(",", ".") : text;
  const grouped = GROUPED[decimalSeparator].exec(text);
  if (!grouped) return null;
  return grouped[1]! + grouped[2]!.replaceAll(grouped[3]!, "") + (grouped[4] ?? "").replace(mark, ".");
}

/**
 * True if the double `value` is exactly the decimal written as `text` (JavaScript number syntax),
 * so that storing it, as JSON built with the shortest round-trip digits, keeps what was written:
 * `0.1` and `12.50` are exact, `12345678901234567.891` (which becomes 12345678901234568) is not.
 */
export function isExactNumber(text: string, value: number): boolean {
  // most numbers are written as JavaScript writes them back: then no digits need comparing
  const written = String(value);
  return written === text || decimalKey(text) === decimalKey(written);
}

/** How many significant digits a number in JavaScript syntax has: `0.00120` → 2. */
export function significantDigits(text: string): number {
  return decimalKey(text).split("@")[0]!.replace("-", "").length;
}

/** A decimal's value as `sign digits@point`, with no leading or trailing zeros: 12.50 → `125@2`. */
function decimalKey(text: string): string {
  const match = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) throw new TypeError(`Not a number in JavaScript syntax: ${text}`);
  const [, sign, whole = "", fraction = "", exponent = "0"] = match;
  const digits = whole + fraction;
  const first = digits.search(/[1-9]/);
  if (first < 0) return "0@0";
  const significant = digits.slice(first).replace(/0+$/, "");
  const point = whole.length - first + Number(exponent);
  return `${sign === "-" ? "-" : ""}${significant}@${point}`;
}
