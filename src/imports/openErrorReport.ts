import type pg from "pg";
import { withTransaction } from "../db/withTransaction.js";
import { CONTENT_TYPES } from "../spreadsheet/sheetWriter.js";
import { DownloadUnavailable, streamStoredFile, type Download } from "../storage/download.js";
import type { StoredFile } from "../storage/fileStore.js";
import { parseColumns } from "./templateColumns.js";
import { storeErrorReport } from "./writeErrorReport.js";

/**
 * The xlsx of an import's rejected rows, ready to stream: `owner`'s import (or anyone's when
 * `owner` is null, which a signed link allows). The file was stored by the import's run (see
 * {@link storeErrorReport}), so streaming it holds no transaction, however slowly the client
 * reads. Throws {@link DownloadUnavailable} NOT_FOUND when there is no such import for the caller
 * or no row of it was rejected.
 */
export async function openErrorReport(pool: pg.Pool, id: string, owner: string | null): Promise<Download> {
  const {
    rows: [found],
  } = await pool.query<{
    file_name: string;
    user_id: string;
    template_columns: unknown;
    file_id: string | null;
    size: string | null;
    unwritten: boolean;
  }>(
    `select i.file_name, i.user_id, i.template_columns, f.id as file_id, f.size,
       f.id is null and exists (select 1 from import_rejected_rows r where r.import_id = i.id) as unwritten
     from imports i left join stored_files f on f.id = i.error_report_file_id
     where i.id = $1 and ($2::uuid is null or i.user_id = $2::uuid)`,
    [id, owner],
  );
  if (!found) throw new DownloadUnavailable("NOT_FOUND", "Not found.");
  const file = found.file_id
    ? { fileId: found.file_id, size: Number(found.size) }
    : found.unwritten
      ? await storeMissingReport(pool, id, found.user_id, found.template_columns)
      : null;
  if (!file) throw new DownloadUnavailable("NOT_FOUND", "No row of this import was rejected.");
  return {
    fileName: `${found.file_name.replace(/\.[^.]*$/, "")} errors.xlsx`,
    contentType: CONTENT_TYPES.XLSX,
    size: file.size,
    write: (out) => streamStoredFile(pool, file.fileId, out),
  };
}

/**
 * Writes the report of an import whose rejected rows were saved before reports were stored with
 * them (migration 20261201010000), once: concurrent first downloads wait for the one writing it,
 * then find it. Its transaction lasts as long as the server takes to write the file, before the
 * response starts, never as long as a client takes to read it.
 */
function storeMissingReport(
  pool: pg.Pool,
  id: string,
  userId: string,
  templateColumns: unknown,
): Promise<StoredFile | null> {
  return withTransaction(pool, async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`error-report:${id}`]);
    const {
      rows: [written],
    } = await tx.query<{ file_id: string; size: string }>(
      `select f.id as file_id, f.size from imports i join stored_files f on f.id = i.error_report_file_id
       where i.id = $1`,
      [id],
    );
    if (written) return { fileId: written.file_id, size: Number(written.size) };
    return storeErrorReport(tx, id, userId, parseColumns(templateColumns));
  });
}
