import { PassThrough } from "node:stream";
import type pg from "pg";
import { cursorRows } from "../db/cursorRows.js";
import { parseColumns } from "../imports/templateColumns.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import type { JsonValue } from "../spreadsheet/index.js";
import { createSheetWriter, type SheetFormat } from "../spreadsheet/sheetWriter.js";
import { storeUpload } from "../storage/fileStore.js";
import { exportFileName } from "./exportFileName.js";

/** The graphile-worker job running an export, as far as the export cares. */
export interface ExportJob {
  id: string;
  attempts: number;
  maxAttempts: number;
}

interface ExportRow {
  id: string;
  user_id: string;
  template_id: string;
  import_id: string | null;
  format: SheetFormat;
  background_job_id: string | null;
  template_name: string;
  columns: unknown;
}

/**
 * Runs one export: streams the records from PostgreSQL through a cursor into a streaming xlsx or
 * csv writer, whose bytes are stored as uploads are, chunk by chunk, as they come. The file, the
 * row count and COMPLETED are committed together, so an export has its whole file or none.
 *
 * Returns normally when the export reached a final state; throws for a transient failure so that
 * graphile-worker retries with backoff, unless this was the last attempt, which ends FAILED.
 */
export async function runExport(
  pool: pg.Pool,
  logger: Logger,
  ttlHours: number,
  exportId: string,
  job: ExportJob,
): Promise<void> {
  const {
    rows: [found],
  } = await pool.query<ExportRow>(
    `select e.id, e.user_id, e.template_id, e.import_id, e.format, e.background_job_id,
       t.name as template_name, t.columns
     from exports e join import_templates t on t.id = e.template_id where e.id = $1`,
    [exportId],
  );
  // a job left over from an earlier run, or run again after its export finished, changes nothing
  if (!found || found.background_job_id !== job.id) {
    logger.info({ exportId, jobId: job.id }, "export is not this job's to run; skipping");
    return;
  }
  await pool.query(
    `update exports set status = 'PROCESSING', processing_started_at = now(), processing_completed_at = null,
       attempts = $2, error_message = null, row_count = null
     where id = $1`,
    [exportId, job.attempts],
  );

  // two connections, since a connection runs one query at a time and both sides work at once: the
  // cursor reads on one, the file's chunks are written on the other. The chunks and COMPLETED
  // commit together, so a failure anywhere leaves no half-stored file behind.
  const reader = await pool.connect();
  const client = await pool.connect().catch((err: unknown) => {
    reader.release();
    throw err;
  });
  try {
    // one snapshot for the whole read, so rows committed meanwhile cannot half-appear; the final
    // update uses clock_timestamp(), since now() would date it when this transaction began
    await reader.query("begin isolation level repeatable read read only");
    await client.query("begin");
    const written = await writeExport(reader, client, found);
    const { rowCount } = await client.query(
      `update exports set status = 'COMPLETED', processing_completed_at = clock_timestamp(), background_job_id = null,
         file_id = $3, file_name = $4, file_size = $5, row_count = $6,
         expires_at = clock_timestamp() + make_interval(hours => $7)
       where id = $1 and background_job_id = $2`,
      [
        exportId,
        job.id,
        written.fileId,
        exportFileName(found.template_name, found.format, new Date()),
        written.size,
        written.rows,
        ttlHours,
      ],
    );
    if (rowCount !== 1) throw new Error("The export was taken over by another job while it ran.");
    await client.query("commit");
    logger.info({ exportId, rows: written.rows, bytes: written.size }, "export completed");
  } catch (caught) {
    await client.query("rollback").catch(() => undefined);
    await fail(pool, logger, exportId, job, coerceError(caught));
  } finally {
    await reader.query("rollback").catch(() => undefined);
    reader.release();
    client.release();
  }
}

/**
 * Streams the records out of `reader` (a cursor) into a sheet writer whose bytes are stored on
 * `tx` as they come.
 */
async function writeExport(reader: pg.PoolClient, tx: pg.PoolClient, found: ExportRow) {
  const columns = parseColumns(found.columns);
  const out = new PassThrough();
  const writer = createSheetWriter(found.format, out, { sheetName: found.template_name, columns });
  // storage reads `out` while the writer fills it: a slow insert makes `out` full, which makes the
  // writer wait for 'drain', which stops the cursor fetching: memory stays flat end to end
  const stored = storeUpload(tx, found.user_id, out, () => undefined);
  const produced = (async () => {
    let rows = 0;
    const records = cursorRows<{ data: Record<string, JsonValue> }>(
      reader,
      "export_records",
      // records in the order people saw them: import by import, row by row
      `select r.data from records r join imports i on i.id = r.import_id
       where i.template_id = $1 and i.user_id = $2 and i.status = 'COMPLETED'
         and ($3::uuid is null or i.id = $3::uuid)
       order by i.created_at, i.id, r.row_number`,
      [found.template_id, found.user_id, found.import_id],
    );
    for await (const { data } of records) {
      await writer.addRow(columns.map((column) => data[column.key] ?? null));
      rows++;
    }
    await writer.end();
    return rows;
  })();
  // whichever side fails first must stop the other, or it would wait forever
  const abort = (err: unknown) => {
    out.destroy(coerceError(err));
    throw err;
  };
  const [file, rows] = await Promise.all([stored.catch(abort), produced.catch(abort)]).catch(async (err) => {
    await Promise.allSettled([stored, produced]);
    throw err;
  });
  return { fileId: file.fileId, size: file.size, rows };
}

/** Records why a run failed: FAILED for good after the last attempt, or PENDING while it will be retried. */
async function fail(pool: pg.Pool, logger: Logger, exportId: string, job: ExportJob, err: Error) {
  if (job.attempts >= job.maxAttempts) {
    logger.warn({ exportId, jobId: job.id, err }, "export failed");
    await pool.query(
      `update exports set status = 'FAILED', processing_completed_at = now(), background_job_id = null,
         error_message = $3
       where id = $1 and background_job_id = $2`,
      [exportId, job.id, `Export failed after ${job.attempts} attempts: ${err.message}`],
    );
    return;
  }
  await pool.query(
    `update exports set status = 'PENDING', error_message = $3 where id = $1 and background_job_id = $2`,
    [exportId, job.id, `Attempt ${job.attempts} of ${job.maxAttempts} failed (${err.message}); it will be retried.`],
  );
  throw err;
}
