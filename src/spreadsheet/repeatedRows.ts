import { hash } from "node:crypto";
import { DigestTable, DigestTableFull } from "./digestTable.js";
import { PermanentImportError } from "./permanentImportError.js";
import type { InvalidRow, JsonValue, ParsedRow, TemplateColumn, ValidRow } from "./types.js";

/** What a row that repeats an earlier row of the same file does, on a template without key columns. */
export type DuplicateRows = "IMPORT" | "SKIP" | "REJECT";

/** How a template treats rows that repeat: by its key columns, or else by `duplicates`. */
export interface RepeatPolicy {
  /** Column keys whose values identify a record; empty for none. */
  keyColumns: readonly string[];
  duplicates: DuplicateRows;
}

/**
 * What becomes of a valid row: kept, turned into a rejected row (its key or its whole content
 * repeats an earlier row's), or `"duplicate"`, skipped as an exact repeat and only counted.
 */
export type RepeatVerdict = ParsedRow | "duplicate";

/**
 * Checks each valid row against the valid rows before it in the same file, given the row and its
 * values as JSON text (`JSON.stringify(row.values)`, which the caller writes anyway):
 * - with key columns, a row whose key values an earlier row had is rejected, naming that row;
 * - without, a row equal to an earlier one is imported again (IMPORT), skipped (SKIP) or rejected
 *   naming the earlier row (REJECT).
 * Rejected rows are not checked: they save nothing. Each distinct key or row costs 20 bytes (128
 * bits of its SHA-1 digest and a row number, see digestTable.ts), not its text; a file with more
 * than `seen` holds (2,097,152 by default) fails TOO_LARGE.
 */
export function createRepeatCheck(
  columns: readonly TemplateColumn[],
  { keyColumns, duplicates }: RepeatPolicy,
  seen = new DigestTable(),
): (row: ParsedRow, valuesJson: string | null) => RepeatVerdict {
  const keyed = keyColumns.length > 0;
  if (!keyed && duplicates === "IMPORT") return (row) => row;
  const headers = new Map(columns.map((column) => [column.key, column.header]));
  /** `seen` holds the digests of the keys (or of the whole rows), with the row that had each first */
  const claim = (digest: string, rowNumber: number) => {
    try {
      return seen.claim(digest, rowNumber);
    } catch (err) {
      if (!(err instanceof DigestTableFull)) throw err;
      const count = err.digests.toLocaleString("en-US");
      throw new PermanentImportError(
        "TOO_LARGE",
        keyed
          ? `This file has more than ${count} different keys, more than an import can check for repeats.`
          : `This file has more than ${count} different rows, more than an import can check for exact repeats; ` +
              "set the template's duplicates to IMPORT to import it without that check.",
      );
    }
  };
  return (row, valuesJson) => {
    if (!row.ok) return row;
    const text = keyed ? JSON.stringify(keyColumns.map((key) => row.values[key] ?? null)) : valuesJson!;
    // one-shot, as a one-byte string: twice as fast as createHash's digest; the first 128 bits count
    const earlier = claim(hash("sha1", text, "binary"), row.rowNumber);
    if (earlier === 0) return row;
    if (!keyed && duplicates === "SKIP") return "duplicate";
    return keyed
      ? rejectRow(row, columns, {
          ...keyCells(row.values, keyColumns, headers),
          message: `repeats the key of row ${earlier} (${describeKey(row.values, keyColumns, headers)})`,
        })
      : rejectRow(row, columns, { column: null, message: `repeats row ${earlier} exactly`, value: null });
  };
}

/** How messages show a key: `SKU 'A-1', Region 'EU'`, each value cut to 60 characters. */
export function describeKey(
  values: Readonly<Record<string, JsonValue | undefined>>,
  keyColumns: readonly string[],
  headers: ReadonlyMap<string, string>,
): string {
  return keyColumns.map((key) => `${headers.get(key) ?? key} '${cut(asText(values[key] ?? null) ?? "")}'`).join(", ");
}

const cut = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

function asText(value: JsonValue): string | null {
  return value === null ? null : String(value);
}

/** A row error's column and value for a key: the key columns' headers, and their values, joined. */
export function keyCells(
  values: Readonly<Record<string, JsonValue | undefined>>,
  keyColumns: readonly string[],
  headers: ReadonlyMap<string, string>,
): { column: string; value: string } {
  return {
    column: keyColumns.map((key) => headers.get(key) ?? key).join(", "),
    value: keyColumns.map((key) => asText(values[key] ?? null)).join(", "),
  };
}

/** A valid row turned down after all, with one error; its values, as text, stand for what was read. */
export function rejectRow(
  row: ValidRow,
  columns: readonly TemplateColumn[],
  error: Omit<InvalidRow["errors"][number], "rowNumber">,
): InvalidRow {
  const raw: Record<string, string | null> = {};
  for (const column of columns) raw[column.key] = asText(row.values[column.key] ?? null);
  return { ok: false, rowNumber: row.rowNumber, errors: [{ rowNumber: row.rowNumber, ...error }], raw };
}
