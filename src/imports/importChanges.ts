import type pg from "pg";
import type { Import } from "../generated/prisma/client.js";
import type { ChangeKind } from "./datasetChanges.js";

/** One row of `Import.changes`. */
export interface ImportChangeRow {
  rowNumber: number;
  kind: ChangeKind;
  key: unknown;
  before: unknown;
  after: unknown;
}

/**
 * A page of an import's changes after row `afterRow`, in row order. Keyed imports and dry runs
 * record theirs in `import_changes`; a saved import without key columns only creates, so its
 * records are its changes, and they are not written twice.
 */
export async function importChanges(
  pool: pg.Pool,
  found: Pick<Import, "id" | "keyColumns" | "options">,
  kind: ChangeKind | null,
  afterRow: number,
  limit: number,
): Promise<ImportChangeRow[]> {
  const fromRecords = found.keyColumns.length === 0 && (found.options as { dryRun?: boolean }).dryRun !== true;
  const { rows } = fromRecords
    ? kind !== null && kind !== "CREATED"
      ? { rows: [] }
      : await pool.query<ImportChangeRow>(
          `select row_number as "rowNumber", 'CREATED' as kind, null as key, null as before, data as after
           from records where import_id = $1 and row_number > $2 order by row_number limit $3`,
          [found.id, afterRow, limit],
        )
    : await pool.query<ImportChangeRow>(
        `select row_number as "rowNumber", kind, key, case when kind = 'UNCHANGED' then after else before end as before,
           after
         from import_changes
         where import_id = $1 and ($2::change_kind is null or kind = $2) and row_number > $3
         order by row_number limit $4`,
        [found.id, kind, afterRow, limit],
      );
  return rows;
}
