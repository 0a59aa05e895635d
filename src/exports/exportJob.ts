import type pg from "pg";
import type { Config } from "../config.js";
import { cursorRows } from "../db/cursorRows.js";
import { parseColumns } from "../imports/templateColumns.js";
import { withTransaction } from "../db/withTransaction.js";
import type { JobService, RunningJob } from "../jobs/runJob.js";
import { UserError } from "../errors.js";
import type { JsonValue } from "../spreadsheet/index.js";
import { createSheetWriter, type SheetFormat } from "../spreadsheet/sheetWriter.js";
import { formatBytes, storageQuotaExceeded, storedBytes } from "../storage/storageQuota.js";
import { storeWritten } from "../storage/storeWritten.js";
import { exportFileName } from "./exportFileName.js";

interface ExportRow {
  user_id: string;
  template_id: string;
  import_id: string | null;
  format: SheetFormat;
  template_name: string;
  columns: unknown;
  key_columns: string[];
}

/**
 * The export kind's work: streams the records from PostgreSQL through a cursor into a streaming
 * xlsx or csv writer, whose bytes are stored chunk by chunk as they come, in the run's transaction.
 * The file, the row count and COMPLETED commit together (runJob.ts), so an export has its whole
 * file or none. Files are deleted `ttlHours` after they were written. A file that would take the
 * user's stored files past `MAX_STORED_BYTES_PER_USER` fails the export, and nothing is stored.
 */
export function exportJob(
  pool: pg.Pool,
  { exportTtlHours: ttlHours, maxStoredBytesPerUser }: Pick<Config, "exportTtlHours" | "maxStoredBytesPerUser">,
): JobService {
  return {
    kind: "Export",
    resetOnStart: "row_count = null",
    // past the quota: a retry would only find it full again
    isPermanent: (err) => err instanceof UserError,
    async run(tx, exportId, job) {
      const {
        rows: [found],
      } = await tx.query<ExportRow>(
        `select e.user_id, e.template_id, e.import_id, e.format, t.name as template_name, t.columns, t.key_columns
         from exports e join import_templates t on t.id = e.template_id where e.id = $1`,
        [exportId],
      );
      if (!found) throw new Error(`Export ${exportId} does not exist.`);
      // a second connection, since a connection runs one query at a time and both sides work at
      // once: the cursor reads on this one (one snapshot for the whole read, so rows committed
      // meanwhile cannot half-appear), the file's chunks are written on `tx`
      const written = await withTransaction(
        pool,
        (reader) => writeExport(reader, tx, found, job, maxStoredBytesPerUser),
        "begin isolation level repeatable read read only",
      );
      // clock_timestamp(): now() would date it when the transaction began
      await tx.query(
        `update exports set file_id = $2, file_name = $3, file_size = $4, row_count = $5,
           expires_at = clock_timestamp() + make_interval(hours => $6)
         where id = $1`,
        [
          exportId,
          written.fileId,
          exportFileName(found.template_name, found.format, new Date()),
          written.size,
          written.rows,
          ttlHours,
        ],
      );
      return { status: "COMPLETED" };
    },
  };
}

/**
 * Streams the records out of `reader` (a cursor) into a sheet writer whose bytes are stored on
 * `tx` as they come, stopping soon after the export is cancelled, or as soon as the file would
 * take the user's stored files past `quota` bytes (which fails it for good: see the kind's
 * `isPermanent`).
 */
async function writeExport(reader: pg.PoolClient, tx: pg.PoolClient, found: ExportRow, job: RunningJob, quota: number) {
  const columns = parseColumns(found.columns);
  const before = await storedBytes(tx, found.user_id);
  const stored = await storeWritten(
    tx,
    found.user_id,
    async (out) => {
      const writer = createSheetWriter(found.format, out, { sheetName: found.template_name, columns });
      let rows = 0;
      const query =
        found.key_columns.length > 0 && found.import_id === null
          ? // a keyed template's current dataset, one row per key, in the order the keys were created
            {
              text: "select data from dataset_records where template_id = $1 order by seq",
              values: [found.template_id],
            }
          : {
              // records in the order people saw them: import by import, row by row
              text: `select r.data from records r join imports i on i.id = r.import_id
                where i.template_id = $1 and i.user_id = $2 and i.status = 'COMPLETED'
                  and ($3::uuid is null or i.id = $3::uuid)
                order by i.created_at, i.id, r.row_number`,
              values: [found.template_id, found.user_id, found.import_id],
            };
      const records = cursorRows<{ data: Record<string, JsonValue> }>(
        reader,
        "export_records",
        query.text,
        query.values,
      );
      for await (const { data } of records) {
        await job.checkpoint();
        await writer.addRow(columns.map((column) => data[column.key] ?? null));
        rows++;
      }
      await writer.end();
      return rows;
    },
    (chunk, offset) => {
      if (before + offset + chunk.length <= quota) return;
      throw storageQuotaExceeded(
        `This export is larger than the ${formatBytes(Math.max(0, quota - before))} left of your ${formatBytes(quota)} ` +
          "quota for stored files, so it was not stored.",
      );
    },
  );
  return { fileId: stored.fileId, size: stored.size, rows: stored.written };
}
