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
} from "../spreadsheet/index.js";
import { deleteStoredFile, openStoredFile } from "../storage/fileStore.js";
import type { ImportOptions } from "./importOptions.js";
import { storeErrorReport } from "./writeErrorReport.js";
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
  file_id: string | null;
  file_type: SpreadsheetKind;
  /** the template's columns and locale as they were when the import was started */
  template_columns: TemplateColumn[];
  decimal_separator: "DOT" | "COMMA";
  date_order: "DMY" | "MDY" | "YMD";
  options: ImportOptions;
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
      "source_columns = '[]', mapping = '[]'",
    isPermanent: (err) => err instanceof PermanentImportError,
    async run(tx, importId, job) {
      const {
        rows: [found],
      } = await tx.query<ImportRow>(
        `select user_id, file_id, file_type, template_columns, decimal_separator, date_order, options from imports where id = $1`,
        [importId],
      );
      if (!found?.file_id) throw new PermanentImportError("FILE_MISSING", "The uploaded file is no longer stored.");
      const dryRun = found.options.dryRun === true;
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
      await tx.query(
        `update imports set phase = 'DONE', rows_total = $2, rows_processed = $2, rows_imported = $3, rows_failed = $4,
           encoding = $5
         where id = $1`,
        [importId, counts.total, counts.imported, counts.failed, counts.encoding],
      );
      const { preview } = found.options;
      if (!dryRun && preview && (preview.rowsTotal !== counts.total || preview.rowsImported !== counts.imported)) {
        throw new PermanentImportError(
          "CORRUPT_FILE",
          `The file read differently than in the preview (${counts.imported} of ${counts.total} rows valid, ` +
            `the preview showed ${preview.rowsImported} of ${preview.rowsTotal}), so nothing was saved.`,
        );
      }
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
    return await readRows(pool, tx, importId, sheet, job, dryRun);
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
  dryRun: boolean,
): Promise<Counts & { encoding: string | null }> {
  // what was found in the file, shown with the phase that starts once it is known
  await recordHeader(pool, importId, sheet.header, "VALIDATING");

  const counts: Counts = { total: 0, imported: 0, failed: 0 };
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
    counts.total += batch.valid + batch.rejected.length;
    counts.imported += batch.valid;
    counts.failed += batch.rejected.length;
    // a batch's valid rows are one statement, as the child wrote them
    if (batch.valid > 0 && !dryRun) await write(() => insertRecords(tx, importId, batch.records));
    rejected.push(...batch.rejected);
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
  if (rejected.length) await write(() => insertRejected(tx, importId, rejected));
  await writing;
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
