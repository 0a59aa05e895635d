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

/**
 * A DECIMAL as the API gives it (an exact string such as "1234.56") in the reader's locale,
 * without passing through a double: Intl formats a numeric string exactly.
 */
export function formatDecimal(value: string): string {
  if (!/^-?\d+(\.\d+)?$/.test(value)) return value;
  const decimals = value.split(".")[1]?.length ?? 0;
  const exact = new Intl.NumberFormat(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: 20 });
  // format takes a string since ES2023 (Intl.NumberFormat v3), which older lib typings do not know
  return exact.format(value as unknown as number);
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
