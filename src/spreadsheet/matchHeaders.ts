import { PermanentImportError } from "./permanentImportError.js";
import type { HeaderMatch, MatchedColumn, TemplateColumn } from "./types.js";

/**
 * Finds each template column in a header row. A header cell matches a column whose `header` or
 * `key` equals it after trimming, ignoring case and runs of whitespace; a match on `header` wins
 * over a match on another column's `key`. Header cells matching no column are ignored.
 *
 * @param headers The header row's cells as text, by 0-based column index (`null` for empty cells).
 * @param rowNumber The header's row number, recorded in the result and named in messages unless
 *   it is row 1, where everyone looks first.
 * @throws {PermanentImportError} `MISSING_COLUMNS` with the message
 *   `Missing required column(s): Unit Price, Contact Email` (template headers, in template order;
 *   `Missing required column(s) in the header row (row 3): …` for another row); first, when no
 *   template column is present at all, a message naming the row and every expected column; `DUPLICATE_COLUMN` when two header cells match the same
 *   template column.
 */
export function matchHeaders(
  headers: readonly (string | null | undefined)[],
  columns: readonly TemplateColumn[],
  rowNumber = 1,
): HeaderMatch {
  const { positions, sourceHeaders, ignoredHeaders, duplicate } = locateColumns(headers, columns);

  if (columns.length > 0 && positions.every((position) => position == null)) {
    throw new PermanentImportError(
      "MISSING_COLUMNS",
      `None of the expected columns were found in the header row (row ${rowNumber}). ` +
        `Expected: ${columns.map((column) => column.header).join(", ")}`,
    );
  }
  const missing = columns.filter((column, index) => column.required && positions[index] == null);
  if (missing.length > 0) {
    const where = rowNumber === 1 ? "" : ` in the header row (row ${rowNumber})`;
    throw new PermanentImportError(
      "MISSING_COLUMNS",
      `Missing required column(s)${where}: ${missing.map((column) => column.header).join(", ")}`,
    );
  }
  if (duplicate) {
    throw new PermanentImportError(
      "DUPLICATE_COLUMN",
      `The column “${duplicate.column.header}” appears twice in the header row ` +
        `(columns ${columnLetter(duplicate.first)} and ${columnLetter(duplicate.second)}). ` +
        "Remove or rename one of them.",
    );
  }

  const matched: MatchedColumn[] = columns.map((column, index) => ({
    column,
    index: positions[index] ?? null,
    sourceHeader: sourceHeaders[index] ?? null,
  }));
  return { rowNumber, columns: matched, ignoredHeaders };
}

/** How well a row would do as the header, see {@link scoreHeaders}. */
export interface HeaderScore {
  /** Each template column the row has counts 1, a required one 2. */
  score: number;
  /** The row has every required column, and at least one column: {@link matchHeaders} takes it. */
  complete: boolean;
}

/**
 * Rates a row as the header, for finding it below a title. Cells are compared as in
 * {@link matchHeaders}; nothing is thrown.
 */
export function scoreHeaders(
  headers: readonly (string | null | undefined)[],
  columns: readonly TemplateColumn[],
): HeaderScore {
  const { positions } = locateColumns(headers, columns);
  let score = 0;
  let complete = true;
  columns.forEach((column, index) => {
    if (positions[index] != null) score += weight(column);
    else if (column.required) complete = false;
  });
  return { score, complete: complete && score > 0 };
}

const weight = (column: TemplateColumn) => (column.required ? 2 : 1);

function locateColumns(headers: readonly (string | null | undefined)[], columns: readonly TemplateColumn[]) {
  const lookup = new Map<string, number>();
  columns.forEach((column, index) => {
    const key = normalizeHeader(column.key);
    if (!lookup.has(key)) lookup.set(key, index);
  });
  const byHeader = new Set<string>();
  columns.forEach((column, index) => {
    const header = normalizeHeader(column.header);
    if (!byHeader.has(header)) lookup.set(header, index);
    byHeader.add(header);
  });

  const positions: (number | null)[] = columns.map(() => null);
  const sourceHeaders: (string | null)[] = columns.map(() => null);
  const ignoredHeaders: string[] = [];
  let duplicate: { column: TemplateColumn; first: number; second: number } | null = null;
  for (let i = 0; i < headers.length; i++) {
    const text = headers[i]?.trim();
    if (!text) continue;
    const index = lookup.get(normalizeHeader(text));
    if (index === undefined) {
      ignoredHeaders.push(text);
      continue;
    }
    const first = positions[index];
    if (first != null) {
      duplicate ??= { column: columns[index]!, first, second: i };
      continue;
    }
    positions[index] = i;
    sourceHeaders[index] = text;
  }
  return { positions, sourceHeaders, ignoredHeaders, duplicate };
}

/** How headers are compared: trimmed, lower-cased, inner whitespace (also non-breaking) as one space. */
export function normalizeHeader(text: string): string {
  return text.trim().replace(/\s+/g, " ").toLowerCase();
}

/** The spreadsheet column name for a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}
