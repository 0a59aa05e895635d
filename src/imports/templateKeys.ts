import type pg from "pg";
import { UserError } from "../errors.js";
import type { ImportTemplate } from "../generated/prisma/client.js";
import type { StoredColumn } from "./templateColumns.js";

/** Key columns a template may have: enough for any natural key, few enough to read in a message. */
export const MAX_KEY_COLUMNS = 10;

function invalid(message: string): never {
  throw new UserError("BAD_USER_INPUT", message);
}

/**
 * Checks a template's key columns against its columns: each names one of them, once, and is
 * required, since a row without its key could not be matched to a record.
 */
export function validateKeyColumns(keyColumns: readonly string[], columns: readonly StoredColumn[]): string[] {
  if (keyColumns.length > MAX_KEY_COLUMNS) invalid(`A template can have at most ${MAX_KEY_COLUMNS} key columns.`);
  const byKey = new Map(columns.map((column) => [column.key, column]));
  const seen = new Set<string>();
  return keyColumns.map((written) => {
    const key = written.trim();
    const column = byKey.get(key);
    if (!column) {
      invalid(
        `Key column "${key.slice(0, 64)}" is not a column of the template. Its keys are: ${[...byKey.keys()].join(", ")}.`,
      );
    }
    if (seen.has(key)) invalid(`Key column "${key}" is named twice.`);
    seen.add(key);
    if (!column.required) invalid(`Key column "${key}" must be required: a row without its key cannot be matched.`);
    return key;
  });
}

/**
 * The key columns, and their types, can change only while the template has saved nothing: its
 * dataset is keyed by them, and its earlier imports' records were not.
 */
export async function checkKeyChange(
  pool: pg.Pool,
  template: Pick<ImportTemplate, "id" | "keyColumns" | "columns">,
  next: { keyColumns: readonly string[]; columns: readonly StoredColumn[] },
): Promise<void> {
  const typeOf = (columns: readonly StoredColumn[], key: string) => columns.find((c) => c.key === key)?.type;
  const before = template.columns as unknown as StoredColumn[];
  const same =
    template.keyColumns.join() === next.keyColumns.join() &&
    next.keyColumns.every((key) => typeOf(before, key) === typeOf(next.columns, key));
  if (same) return;
  const {
    rows: [saved],
  } = await pool.query<{ saved: boolean }>(
    `select exists (select 1 from imports where template_id = $1 and status = 'COMPLETED') as saved`,
    [template.id],
  );
  if (saved?.saved) {
    invalid(
      "This template's key columns (and their types) cannot change once it has saved imports: its records are " +
        "matched by them. Make a new template with the key columns you want.",
    );
  }
}
