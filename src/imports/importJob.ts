import type pg from "pg";
import type { Config } from "../config.js";
import type { JobOutcome, JobService, RunningJob } from "../jobs/runJob.js";
import {
  MappingError,
  PermanentImportError,
  type InvalidRow,
  type SpreadsheetHeader,
  type SpreadsheetKind,
  type TemplateColumn,
  type DuplicateRows,
} from "../spreadsheet/index.js";
import { deleteStoredFile, openStoredFile } from "../storage/fileStore.js";
import { applyKeyedBatch, type ChangeKind, countChanges, lockDataset, recordCreations } from "./datasetChanges.js";
import type { ImportOptions } from "./importOptions.js";
import { storeErrorReport } from "./writeErrorReport.js";
import type { KeyedBatch } from "./datasetChanges.js";
import { type FileReaders, fileReaders, type IsolatedSpreadsheet } from "./parseProcess.js";

/** The settings reading a file obeys (see config.ts). */
export type ReadingConfig = Pick<Config, "parseMemoryMb" | "maxUncompressedBytes">;

/**
 * Rejected rows written per insert statement: big enough to amortise the round trip, small enough
 * to stay cheap (valid rows come in batches of parseProcess.ts's `ROWS_PER_BATCH` for this).
 */
const BATCH_ROWS = 2_000;
/** `rows_processed` is written at most this often, so progress never costs a write per row. */
const PROGRESS_INTERVAL_MS = 500;

interface ImportRow {
  user_id: string;
  template_id: string;
  file_id: string | null;
  file_type: SpreadsheetKind;
  /** the template's columns and locale as they were when the import was started */
  template_columns: TemplateColumn[];
  decimal_separator: "DOT" | "COMMA";
  date_order: "DMY" | "MDY" | "YMD";
  options: ImportOptions;
  /** the template's key columns and duplicates policy when the import was started */
  key_columns: string[];
  duplicates: DuplicateRows;
  /** the template's key columns now */
  template_key_columns: string[];
}

/**
 * The import kind's work: reads the stored file, matches its header row to the template (with the
 * uploader's mapping, if any), validates every row, and writes the valid rows, the row errors and
 * the counts in the run's transaction (runJob.ts commits them with the final status), with the
 * error report: the rejected rows as an xlsx, stored once for every download of it.
 *
 * A dry run (`options.dryRun`) writes no records and ends NEEDS_REVIEW; a header that cannot be
 * matched ends it NEEDS_REVIEW too, with the reason, so the mapping can be chosen. Otherwise a
 * file no retry can fix (damaged, unmatched columns, gone) fails at once. What the header row
 * holds and the mapping are written either way. The stored file is deleted on success and kept
 * otherwise, so the import can be confirmed or retried.
 *
 * On a template with key columns the valid rows are compared with its dataset, recorded as changes
 * and (unless a dry run) written to it, batch by batch, under the template's lock (datasetChanges.ts);
 * a confirmed review must make the changes it showed.
 *
 * The file is read in a child process with at most `reading.parseMemoryMb` of heap (see
 * parseProcess.ts); a file that needs more fails for good, and the server keeps running.
 */
export function importJob(pool: pg.Pool, reading: ReadingConfig): JobService {
  const readers = fileReaders(reading.parseMemoryMb);
  return {
    kind: "Import",
    resetOnStart:
      "phase = 'PARSING', rows_processed = 0, rows_imported = 0, rows_failed = 0, rows_total = null, " +
      "sheet_name = null, sheets = '{}', header_row = null, encoding = null, delimiter = null, " +
      "source_columns = '[]', mapping = '[]', rows_created = 0, rows_updated = 0, rows_unchanged = 0, rows_duplicate = 0",
    isPermanent: (err) => err instanceof PermanentImportError,
    async run(tx, importId, job) {
      const {
        rows: [found],
      } = await tx.query<ImportRow>(
        `select i.user_id, i.template_id, i.file_id, i.file_type, i.template_columns, i.decimal_separator, i.date_order,
           i.options, i.key_columns, i.duplicates, t.key_columns as template_key_columns
         from imports i join import_templates t on t.id = i.template_id where i.id = $1`,
        [importId],
      );
      if (!found?.file_id) throw new PermanentImportError("FILE_MISSING", "The uploaded file is no longer stored.");
      const dryRun = found.options.dryRun === true;
      if (found.key_columns.join() !== found.template_key_columns.join()) {
        // the dataset is keyed by the template's key columns, which changed after this import started
        throw new PermanentImportError(
          "TEMPLATE_CHANGED",
          "The template's key columns changed after this import was started; upload the file again.",
        );
      }
      // saving imports of one keyed template take turns, so none compares against a dataset another changes
      if (found.key_columns.length > 0 && !dryRun) await lockDataset(tx, found.template_id);
      let counts: Counts & { encoding: string | null };
      try {
        counts = await importRows(
          pool,
          tx,
          importId,
          { ...found, file_id: found.file_id },
          job,
          dryRun,
          readers,
          reading,
        );
      } catch (err) {
        if (!(err instanceof MappingError)) throw err;
        // a dry run is done reading: the header is all a person needs to choose the mapping
        await recordHeader(pool, importId, err.header, dryRun ? "DONE" : undefined);
        if (dryRun) return { status: "NEEDS_REVIEW", errorMessage: err.message };
        throw err;
      }
      const changes: Record<ChangeKind, number> =
        found.key_columns.length > 0 || dryRun
          ? await countChanges(tx, importId)
          : { CREATED: counts.imported, UPDATED: 0, UNCHANGED: 0 };
      await tx.query(
        `update imports set phase = 'DONE', rows_total = $2, rows_processed = $2, rows_imported = $3, rows_failed = $4,
           encoding = $5, rows_created = $6, rows_updated = $7, rows_unchanged = $8, rows_duplicate = $9
         where id = $1`,
        [
          importId,
          counts.total,
          counts.imported,
          counts.failed,
          counts.encoding,
          changes.CREATED,
          changes.UPDATED,
          changes.UNCHANGED,
          counts.duplicate,
        ],
      );
      if (!dryRun && found.options.preview) checkPreview(found.options.preview, counts, changes);
      // exactly this run's rejected rows, committed with them: a download only streams the file
      await storeErrorReport(tx, importId, found.user_id, found.template_columns);
      const nothing = noValidRows(counts);
      if (dryRun) return nothing ? { status: "NEEDS_REVIEW", errorMessage: nothing } : { status: "NEEDS_REVIEW" };
      if (nothing) return { status: "FAILED", errorMessage: nothing };
      await deleteStoredFile(tx, found.file_id);
      return { status: "COMPLETED" } satisfies JobOutcome;
    },
  };
}

/**
 * A confirmed import must save what its review showed: the same rows, making the same changes. The
 * file is the same, so a difference in the changes means the dataset changed since the review.
 */
function checkPreview(
  preview: NonNullable<ImportOptions["preview"]>,
  counts: Counts,
  changes: Record<ChangeKind, number>,
) {
  if (preview.rowsTotal !== counts.total || preview.rowsImported !== counts.imported) {
    throw new PermanentImportError(
      "CORRUPT_FILE",
      `The file read differently than in the preview (${counts.imported} of ${counts.total} rows valid, ` +
        `the preview showed ${preview.rowsImported} of ${preview.rowsTotal}), so nothing was saved.`,
    );
  }
  const shown = (c: Record<ChangeKind, number>) =>
    `${c.CREATED} created, ${c.UPDATED} updated, ${c.UNCHANGED} unchanged`;
  const reviewed = preview.changes;
  if (
    reviewed &&
    (reviewed.CREATED !== changes.CREATED ||
      reviewed.UPDATED !== changes.UPDATED ||
      reviewed.UNCHANGED !== changes.UNCHANGED)
  ) {
    throw new PermanentImportError(
      "TEMPLATE_CHANGED",
      `The template's records changed since this import was reviewed (the review showed ${shown(reviewed)}; ` +
        `now ${shown(changes)}), so nothing was saved. Retry it as a dry run to review the changes again.`,
    );
  }
}

/** Why a file read to the end gives nothing to save, or `null` when some rows are valid. */
function noValidRows(counts: Counts): string | null {
  if (counts.imported > 0) return null;
  return counts.total === 0
    ? "The file has a header row but no data rows."
    : `No valid rows (${counts.failed} rows had errors)`;
}

/** What the header row holds and how it was matched, shown from the start of validation. */
async function recordHeader(pool: pg.Pool, importId: string, header: SpreadsheetHeader, phase?: "VALIDATING" | "DONE") {
  const { sheetName, sheets, rowNumber, encoding, delimiter, sourceColumns, mapping } = header;
  await pool.query(
    `update imports set sheet_name = $2, sheets = $3, header_row = $4, encoding = $5, delimiter = $6,
       source_columns = $7, mapping = $8, phase = coalesce($9, phase)
     where id = $1 and status = 'PROCESSING'`,
    [
      importId,
      sheetName,
      sheets,
      rowNumber,
      encoding,
      delimiter,
      JSON.stringify(sourceColumns),
      JSON.stringify(mapping),
      phase ?? null,
    ],
  );
}

interface Counts {
  total: number;
  imported: number;
  failed: number;
  /** exact repeats of earlier rows, skipped */
  duplicate: number;
}

/**
 * Reads and validates every row; writes the valid ones unless `dryRun`, and the rejected ones
 * with their errors always (a dry run shows them for review).
 */
async function importRows(
  pool: pg.Pool,
  tx: pg.PoolClient,
  importId: string,
  row: ImportRow & { file_id: string },
  job: RunningJob,
  dryRun: boolean,
  readers: FileReaders,
  reading: ReadingConfig,
): Promise<Counts & { encoding: string | null }> {
  const { sheet: sheetName, headerRow, mapping } = row.options;
  const sheet = await readers.open(() => openStoredFile(pool, row.file_id), {
    kind: row.file_type,
    columns: row.template_columns,
    repeats: { keyColumns: row.key_columns, duplicates: row.duplicates },
    options: {
      sheet: sheetName,
      headerRow,
      mapping,
      decimalSeparator: row.decimal_separator,
      dateOrder: row.date_order,
      limits: { maxUncompressedBytes: reading.maxUncompressedBytes },
    },
  });
  try {
    return await readRows(pool, tx, importId, sheet, job, {
      dryRun,
      keyed: row.key_columns.length > 0 && {
        importId,
        templateId: row.template_id,
        columns: row.template_columns,
        keyColumns: row.key_columns,
        mode: row.options.mode ?? "CREATE_OR_UPDATE",
        dryRun,
      },
    });
  } finally {
    await sheet.close();
  }
}

async function readRows(
  pool: pg.Pool,
  tx: pg.PoolClient,
  importId: string,
  sheet: IsolatedSpreadsheet,
  job: RunningJob,
  { dryRun, keyed }: { dryRun: boolean; keyed: Omit<KeyedBatch, "records"> | false },
): Promise<Counts & { encoding: string | null }> {
  // what was found in the file, shown with the phase that starts once it is known
  await recordHeader(pool, importId, sheet.header, "VALIDATING");

  const counts: Counts = { total: 0, imported: 0, failed: 0, duplicate: 0 };
  let rejected: InvalidRow[] = [];
  // one batch is written while the next is parsed: PostgreSQL and this process work at once, and
  // at most two batches are ever in memory
  let writing: Promise<unknown> = Promise.resolve();
  const write = async (insert: () => Promise<unknown>) => {
    await writing;
    writing = insert();
    writing.catch(() => undefined); // observed by the next await; meanwhile not "unhandled"
  };
  let lastProgress = Date.now();
  for await (const batch of sheet.batches()) {
    await job.checkpoint();
    counts.total += batch.valid + batch.rejected.length + batch.duplicate;
    counts.imported += batch.valid;
    counts.failed += batch.rejected.length;
    counts.duplicate += batch.duplicate;
    rejected.push(...batch.rejected);
    // a batch's valid rows are one statement, as the child wrote them
    if (batch.valid > 0) {
      const { records } = batch;
      if (keyed) {
        await write(async () => {
          // rows the mode refuses are rejected after all
          const refused = await applyKeyedBatch(tx, { ...keyed, records });
          counts.imported -= refused.length;
          counts.failed += refused.length;
          rejected.push(...refused);
        });
      } else if (dryRun) await write(() => recordCreations(tx, importId, records));
      else await write(() => insertRecords(tx, importId, records));
    }
    if (rejected.length >= BATCH_ROWS) {
      const rows = rejected;
      rejected = [];
      await write(() => insertRejected(tx, importId, rows));
    }
    if (Date.now() - lastProgress >= PROGRESS_INTERVAL_MS) {
      lastProgress = Date.now();
      await pool.query("update imports set rows_processed = $2 where id = $1 and status = 'PROCESSING'", [
        importId,
        counts.total,
      ]);
    }
  }
  await pool.query("update imports set phase = 'SAVING' where id = $1 and status = 'PROCESSING'", [importId]);
  await writing;
  if (rejected.length) await insertRejected(tx, importId, rejected);
  // a text file can turn out to be Windows-1252 only past its start
  return { ...counts, encoding: sheet.encoding };
}

/** One statement per batch: the rows travel as a single json parameter, `[[rowNumber, values], …]`. */
async function insertRecords(tx: pg.PoolClient, importId: string, records: string) {
  await tx.query(
    `insert into records (import_id, row_number, data)
     select $1, (r->>0)::int, r->1 from jsonb_array_elements($2::jsonb) r`,
    [importId, records],
  );
}

async function insertRejected(tx: pg.PoolClient, importId: string, rows: InvalidRow[]) {
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
