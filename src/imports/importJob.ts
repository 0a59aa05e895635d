import type pg from "pg";
import type { JobService } from "../jobs/runJob.js";
import {
  openSpreadsheet,
  PermanentImportError,
  type ParsedRow,
  type ReadOptions,
  type SpreadsheetKind,
} from "../spreadsheet/index.js";
import { deleteStoredFile, openStoredFile } from "../storage/fileStore.js";
import { parseColumns } from "./templateColumns.js";

/** Rows written per insert statement: big enough to amortise the round trip, small enough to stay cheap. */
const BATCH_ROWS = 2_000;
/** `rows_processed` is written at most this often, so progress never costs a write per row. */
const PROGRESS_INTERVAL_MS = 500;

interface ImportRow {
  file_id: string | null;
  file_type: SpreadsheetKind;
  columns: unknown;
  /** the uploader's ImportOptions and the template's locale, as the reader takes them */
  read_options: ReadOptions;
}

/**
 * The import kind's work: reads the stored file, validates every row against the template, and
 * writes the valid rows, the row errors and the counts in the run's transaction (runJob.ts commits
 * them with the final status). A file no retry can fix (damaged, missing columns, gone) fails at
 * once; the stored file is deleted on success and kept on failure, so retryImport can run it again.
 */
export function importJob(pool: pg.Pool): JobService {
  return {
    kind: "Import",
    resetOnStart:
      "phase = 'PARSING', rows_processed = 0, rows_imported = 0, rows_failed = 0, rows_total = null, " +
      "sheet_name = null, sheets = '{}', header_row = null, encoding = null, delimiter = null",
    isPermanent: (err) => err instanceof PermanentImportError,
    async run(tx, importId) {
      const {
        rows: [found],
      } = await tx.query<ImportRow>(
        `select i.file_id, i.file_type, t.columns,
           i.options || jsonb_build_object('decimalSeparator', t.decimal_separator, 'dateOrder', t.date_order)
             as read_options
         from imports i join import_templates t on t.id = i.template_id where i.id = $1`,
        [importId],
      );
      if (!found?.file_id) throw new PermanentImportError("FILE_MISSING", "The uploaded file is no longer stored.");
      const counts = await importRows(pool, tx, importId, { ...found, file_id: found.file_id });
      await tx.query(
        `update imports set phase = 'DONE', rows_total = $2, rows_processed = $2, rows_imported = $3, rows_failed = $4,
           encoding = $5
         where id = $1`,
        [importId, counts.total, counts.imported, counts.failed, counts.encoding],
      );
      if (counts.imported === 0) {
        return {
          status: "FAILED",
          errorMessage:
            counts.total === 0
              ? "The file has a header row but no data rows."
              : `No valid rows (${counts.failed} rows had errors)`,
        };
      }
      await deleteStoredFile(tx, found.file_id);
      return { status: "COMPLETED" };
    },
  };
}

interface Counts {
  total: number;
  imported: number;
  failed: number;
}

async function importRows(
  pool: pg.Pool,
  tx: pg.PoolClient,
  importId: string,
  { file_id: fileId, file_type: kind, columns: template, read_options: options }: ImportRow & { file_id: string },
): Promise<Counts & { encoding: string | null }> {
  const columns = parseColumns(template);
  const sheet = await openSpreadsheet({ open: () => openStoredFile(pool, fileId), kind }, columns, options);
  // what was found in the file, shown with the phase that starts once it is known
  const { sheetName, sheets, rowNumber, encoding, delimiter } = sheet.header;
  await pool.query(
    `update imports set phase = 'VALIDATING', sheet_name = $2, sheets = $3, header_row = $4, encoding = $5, delimiter = $6
     where id = $1`,
    [importId, sheetName, sheets, rowNumber, encoding, delimiter],
  );

  const counts: Counts = { total: 0, imported: 0, failed: 0 };
  let valid: Array<[number, Record<string, unknown>]> = [];
  let rejected: Extract<ParsedRow, { ok: false }>[] = [];
  // one batch is written while the next is parsed: PostgreSQL and this process work at once, and
  // at most two batches are ever in memory
  let writing: Promise<unknown> = Promise.resolve();
  const write = async (insert: () => Promise<unknown>) => {
    await writing;
    writing = insert();
    writing.catch(() => undefined); // observed by the next await; meanwhile not "unhandled"
  };
  let lastProgress = Date.now();
  for await (const row of sheet.rows()) {
    counts.total++;
    if (row.ok) {
      counts.imported++;
      valid.push([row.rowNumber, row.values]);
      if (valid.length >= BATCH_ROWS) {
        const batch = valid;
        valid = [];
        await write(() => insertRecords(tx, importId, batch));
      }
    } else {
      counts.failed++;
      rejected.push(row);
      if (rejected.length >= BATCH_ROWS) {
        const batch = rejected;
        rejected = [];
        await write(() => insertRejected(tx, importId, batch));
      }
    }
    if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = Date.now();
      await pool.query("update imports set rows_processed = $2 where id = $1", [importId, counts.total]);
    }
  }
  await pool.query("update imports set phase = 'SAVING' where id = $1", [importId]);
  if (valid.length) await write(() => insertRecords(tx, importId, valid));
  if (rejected.length) await write(() => insertRejected(tx, importId, rejected));
  await writing;
  // a text file can turn out to be Windows-1252 only past its start
  return { ...counts, encoding: sheet.header.encoding };
}

/** One statement per batch: the rows travel as a single json parameter. */
async function insertRecords(tx: pg.PoolClient, importId: string, rows: Array<[number, Record<string, unknown>]>) {
  await tx.query(
    `insert into records (import_id, row_number, data)
     select $1, (r->>0)::int, r->1 from jsonb_array_elements($2::jsonb) r`,
    [importId, JSON.stringify(rows)],
  );
}

async function insertRejected(tx: pg.PoolClient, importId: string, rows: Extract<ParsedRow, { ok: false }>[]) {
  await tx.query(
    `insert into import_rejected_rows (import_id, row_number, raw)
     select $1, (r->>0)::int, r->1 from jsonb_array_elements($2::jsonb) r`,
    [importId, JSON.stringify(rows.map((row) => [row.rowNumber, row.raw]))],
  );
  const errors = rows.flatMap((row) => row.errors.map((e) => [e.rowNumber, e.column, e.message, e.value]));
  await tx.query(
    `insert into import_row_errors (import_id, row_number, "column", message, value)
     select $1, (e->>0)::int, e->>1, e->>2, e->>3 from jsonb_array_elements($2::jsonb) e`,
    [importId, JSON.stringify(errors)],
  );
}
