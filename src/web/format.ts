import type { ColumnType } from "./operations.js";

/** "12 Mar 2026, 14:03:12", in the person's own locale and time zone; "—" when unset. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}

const numbers = new Intl.NumberFormat(undefined);

/** "1,234" or "1.234" or "1 234": a count in the reader's own locale; "—" when unknown. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return numbers.format(value);
}

// every digit a double holds: the default of 3 would show 0.30000000000000004 as 0.3
const decimals = new Intl.NumberFormat(undefined, { maximumFractionDigits: 20 });

/** A DECIMAL value (a number stored exactly as written, up to 15 digits) in the reader's locale, unrounded. */
export function formatDecimal(value: number): string {
  return decimals.format(value);
}

/** "1.2 MB" */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return "—";
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}

/** "PROCESSING" → "Processing", "NEEDS_REVIEW" → "Needs review" */
export function titleCase(word: string): string {
  return word.charAt(0) + word.slice(1).toLowerCase().replaceAll("_", " ");
}

/** "1 row", "1,234 rows" */
export function rows(count: number | null | undefined, noun = "row"): string {
  return `${formatNumber(count)} ${count === 1 ? noun : `${noun}s`}`;
}

const yesNo = (value: boolean) => (value ? "Yes" : "No");

/** A typed value as the reader's locale writes it; a DECIMAL is not rounded, a DATE stays a calendar day. */
export function formatValue(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) return "";
  if (type === "INTEGER" && typeof value === "number") return formatNumber(value);
  if (type === "DECIMAL" && typeof value === "number") return formatDecimal(value);
  if (type === "BOOLEAN" && typeof value === "boolean") return yesNo(value);
  if (type === "DATETIME" && typeof value === "string") return formatTime(value);
  if (type === "DATE" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    // a day, not an instant: read at UTC so no time zone moves it
    return new Date(`${value}T00:00:00Z`).toLocaleDateString(undefined, { dateStyle: "medium", timeZone: "UTC" });
  }
  return String(value);
}
