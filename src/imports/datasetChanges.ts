import type pg from "pg";
import {
  describeKey,
  type InvalidRow,
  type JsonValue,
  keyCells,
  rejectRow,
  type TemplateColumn,
} from "../spreadsheet/index.js";

/** Which rows a keyed import may apply: all, only those with new keys, or only those with known keys. */
export type ImportMode = "CREATE_OR_UPDATE" | "CREATE_ONLY" | "UPDATE_ONLY";

/** What a row does to its template's dataset. */
export type ChangeKind = "CREATED" | "UPDATED" | "UNCHANGED";

/** How a keyed import writes one batch of valid rows. */
export interface KeyedBatch {
  importId: string;
  templateId: string;
  columns: readonly TemplateColumn[];
  keyColumns: readonly string[];
  mode: ImportMode;
  /** In review: the changes are recorded, the dataset and the import's records are left alone. */
  dryRun: boolean;
  /** The valid rows as a JSON array of `[rowNumber, values]` pairs (see parseProcess.ts's RowBatch). */
  records: string;
}

/**
 * Compares one batch of valid rows with the dataset, by key, in one statement: a row whose key is
 * new is CREATED, one whose key exists with other values UPDATED, one with the same values
 * UNCHANGED. The rows the mode allows (UNCHANGED always: it changes nothing) are recorded in
 * `import_changes` with the values before and after, and, unless it is a dry run, written to the
 * dataset and to the import's records. Returns the rows the mode refuses, as rejected rows.
 *
 * The caller holds the template's dataset lock (see {@link lockDataset}) when it saves, and the
 * file's keys are unique (repeatedRows.ts), so no two rows of a statement touch one key.
 */
export async function applyKeyedBatch(tx: pg.PoolClient, batch: KeyedBatch): Promise<InvalidRow[]> {
  // keys are identifiers (templateColumns.ts's KEY: letters, digits, _), so they are safe as literals
  const keyObject = `jsonb_build_object(${batch.keyColumns.map((key) => `'${key}', i.data->'${key}'`).join(", ")})`;
  const save = batch.dryRun
    ? ""
    : `, saved as (
         insert into dataset_records (template_id, key, data)
         select $2, key, data from allowed where kind <> 'UNCHANGED' order by row_number
         on conflict (template_id, key) do update set data = excluded.data
       ), records as (
         insert into records (import_id, row_number, data) select $1, row_number, data from allowed
       )`;
  const { rows } = await tx.query<{ row_number: number; kind: ChangeKind; data: Record<string, JsonValue> }>(
    `with incoming as (
       select (r->>0)::int as row_number, r->1 as data from jsonb_array_elements($3::jsonb) r
     ), compared as materialized (
       select i.row_number, i.data, ${keyObject} as key, d.data as before,
         case when d.data is null then 'CREATED' when d.data = i.data then 'UNCHANGED' else 'UPDATED' end::change_kind
           as kind
       from incoming i left join dataset_records d on d.template_id = $2 and d.key = ${keyObject}
     ), allowed as materialized (
       select * from compared
       where kind = 'UNCHANGED' or $4 = 'CREATE_OR_UPDATE' or (kind = 'CREATED') = ($4 = 'CREATE_ONLY')
     ), changes as (
       insert into import_changes (import_id, row_number, kind, key, before, after)
       -- an unchanged row's values before are its values after: not stored twice
       select $1, row_number, kind, key, case when kind = 'UPDATED' then before end, data from allowed
     )${save}
     select row_number, kind, data from compared where row_number not in (select row_number from allowed)`,
    [batch.importId, batch.templateId, batch.records, batch.mode],
  );
  const headers = new Map(batch.columns.map((column) => [column.key, column.header]));
  return rows.map(({ row_number: rowNumber, kind, data }) => {
    const key = describeKey(data, batch.keyColumns, headers);
    return rejectRow({ ok: true, rowNumber, values: data }, batch.columns, {
      ...keyCells(data, batch.keyColumns, headers),
      message:
        kind === "CREATED"
          ? `no record has the key ${key}, and this import only updates records`
          : `a record with the key ${key} already exists, and this import only creates records`,
    });
  });
}

/** A dry run without key columns: every valid row would be created, and the review shows them. */
export async function recordCreations(tx: pg.PoolClient, importId: string, records: string): Promise<void> {
  await tx.query(
    `insert into import_changes (import_id, row_number, kind, after)
     select $1, (r->>0)::int, 'CREATED', r->1 from jsonb_array_elements($2::jsonb) r`,
    [importId, records],
  );
}

/**
 * Takes the template's dataset for the rest of `tx`: two saving imports of one keyed template run
 * one after the other, the second comparing against what the first committed, so no update is lost.
 */
export async function lockDataset(tx: pg.PoolClient, templateId: string): Promise<void> {
  await tx.query("select pg_advisory_xact_lock(hashtextextended('dataset:' || $1, 0))", [templateId]);
}

/** The counts of an import's recorded changes by kind. */
export async function countChanges(tx: pg.PoolClient, importId: string): Promise<Record<ChangeKind, number>> {
  const { rows } = await tx.query<{ kind: ChangeKind; count: number }>(
    "select kind, count(*)::int as count from import_changes where import_id = $1 group by kind",
    [importId],
  );
  const counts: Record<ChangeKind, number> = { CREATED: 0, UPDATED: 0, UNCHANGED: 0 };
  for (const { kind, count } of rows) counts[kind] = count;
  return counts;
}
