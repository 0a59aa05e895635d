import type pg from "pg";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import { openSpreadsheet, PermanentImportError, type ParsedRow, type TemplateColumn } from "../spreadsheet/index.js";
import { deleteStoredFile, openStoredFile } from "../storage/fileStore.js";
import { parseColumns } from "./templateColumns.js";

/** Rows written per insert statement: big enough to amortise the round trip, small enough to stay cheap. */
const BATCH_ROWS = 2_000;
/** `rows_processed` is written at most this often, so progress never costs a write per row. */
const PROGRESS_INTERVAL_MS = 500;

/** The graphile-worker job running an import, as far as the import cares. */
export interface ImportJob {
  id: string;
  attempts: number;
  maxAttempts: number;
}

interface ImportRow {
  id: string;
  status: string;
  file_id: string | null;
  file_type: "xlsx" | "xls" | "csv";
  background_job_id: string | null;
  columns: unknown;
}

/**
 * Runs one import: reads the stored file, validates every row against the template, and writes
 * the valid rows, the row errors and the final status in a single transaction, so after any crash
 * or retry an import's rows are all there or none are.
 *
 * Returns normally when the import reached a final state (COMPLETED, or FAILED for a reason a
 * retry cannot fix). Throws for transient failures so that graphile-worker retries with backoff,
 * unless this was the last attempt, which ends FAILED with the reason.
 */
export async function runImport(pool: pg.Pool, logger: Logger, importId: string, job: ImportJob): Promise<void> {
  const {
    rows: [found],
  } = await pool.query<ImportRow>(
    `select i.id, i.status, i.file_id, i.file_type, i.background_job_id, t.columns
     from imports i join import_templates t on t.id = i.template_id where i.id = $1`,
    [importId],
  );
  // a job left over from before a retry, or run again after its import finished, changes nothing
  if (!found || found.background_job_id !== job.id) {
    logger.info({ importId, jobId: job.id }, "import is not this job's to run; skipping");
    return;
  }
  await pool.query(
    `update imports set status = 'PROCESSING', phase = 'PARSING', processing_started_at = now(),
       processing_completed_at = null, attempts = $2, error_message = null,
       rows_processed = 0, rows_imported = 0, rows_failed = 0, rows_total = null
     where id = $1`,
    [importId, job.attempts],
  );

  const client = await pool.connect();
  try {
    await client.query("begin");
    // two runs of one import (a retry racing a stalled run) would wait for each other's rows
    const {
      rows: [lock],
    } = await client.query<{ locked: boolean }>("select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked", [
      importId,
    ]);
    if (!lock?.locked) throw new Error("Another worker is already running this import.");
    if (!found.file_id) throw new PermanentImportError("EMPTY_FILE", "The uploaded file is no longer stored.");

    const counts = await importRows(
      pool,
      client,
      importId,
      found.file_id,
      found.file_type,
      parseColumns(found.columns),
    );
    await finish(client, importId, job.id, counts, found.file_id);
    await client.query("commit");
  } catch (caught) {
    await client.query("rollback").catch(() => undefined);
    await fail(pool, logger, importId, job, coerceError(caught));
  } finally {
    client.release();
  }
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
  fileId: string,
  fileType: ImportRow["file_type"],
  columns: TemplateColumn[],
): Promise<Counts> {
  const sheet = await openSpreadsheet({ open: () => openStoredFile(pool, fileId), kind: fileType }, columns);
  await setPhase(pool, importId, "VALIDATING");

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
  await setPhase(pool, importId, "SAVING");
  if (valid.length) await write(() => insertRecords(tx, importId, valid));
  if (rejected.length) await write(() => insertRejected(tx, importId, rejected));
  await writing;
  return counts;
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

function setPhase(pool: pg.Pool, importId: string, phase: "VALIDATING" | "SAVING") {
  return pool.query("update imports set phase = $2 where id = $1", [importId, phase]);
}

/** The final status, in the transaction that wrote the rows. */
async function finish(tx: pg.PoolClient, importId: string, jobId: string, counts: Counts, fileId: string) {
  const completed = counts.imported > 0;
  const { rowCount } = await tx.query(
    `update imports set status = $3, phase = 'DONE', processing_completed_at = clock_timestamp(), background_job_id = null,
       rows_total = $4, rows_processed = $4, rows_imported = $5, rows_failed = $6, error_message = $7
     where id = $1 and background_job_id = $2`,
    [
      importId,
      jobId,
      completed ? "COMPLETED" : "FAILED",
      counts.total,
      counts.imported,
      counts.failed,
      completed
        ? null
        : counts.total === 0
          ? "The file has a header row but no data rows."
          : `No valid rows (${counts.failed} rows had errors)`,
    ],
  );
  if (rowCount !== 1) throw new Error("The import was taken over by another job while it ran.");
  // the file is kept while FAILED, so retryImport can run it again
  if (completed) await deleteStoredFile(tx, fileId);
}

/** Records why a run failed: FAILED for good, or PENDING while graphile-worker will retry. */
async function fail(pool: pg.Pool, logger: Logger, importId: string, job: ImportJob, err: Error) {
  const permanent = err instanceof PermanentImportError;
  const lastAttempt = job.attempts >= job.maxAttempts;
  if (permanent || lastAttempt) {
    const message = permanent ? err.message : `Import failed after ${job.attempts} attempts: ${err.message}`;
    logger.warn({ importId, jobId: job.id, err }, "import failed");
    await pool.query(
      `update imports set status = 'FAILED', processing_completed_at = now(), background_job_id = null,
         error_message = $3
       where id = $1 and background_job_id = $2`,
      [importId, job.id, message],
    );
    return;
  }
  await pool.query(
    `update imports set status = 'PENDING', error_message = $3 where id = $1 and background_job_id = $2`,
    [importId, job.id, `Attempt ${job.attempts} of ${job.maxAttempts} failed (${err.message}); it will be retried.`],
  );
  throw err;
}
