import type pg from "pg";
import { withTransaction } from "../db/withTransaction.js";
import { CONTENT_TYPES } from "../spreadsheet/sheetWriter.js";
import { DownloadUnavailable, type Download } from "../storage/download.js";
import { parseColumns } from "./templateColumns.js";
import { writeErrorReport } from "./writeErrorReport.js";

/**
 * The xlsx of an import's rejected rows (see {@link writeErrorReport}), ready to stream: `owner`'s
 * import (or anyone's when `owner` is null, which a signed link allows). Throws
 * {@link DownloadUnavailable} NOT_FOUND when there is no such import for the caller or no row of
 * it was rejected.
 */
export async function openErrorReport(pool: pg.Pool, id: string, owner: string | null): Promise<Download> {
  const {
    rows: [found],
  } = await pool.query<{ file_name: string; columns: unknown; rejected: boolean }>(
    `select i.file_name, t.columns, exists (select 1 from import_rejected_rows r where r.import_id = i.id) as rejected
     from imports i join import_templates t on t.id = i.template_id
     where i.id = $1 and ($2::uuid is null or i.user_id = $2::uuid)`,
    [id, owner],
  );
  if (!found) throw new DownloadUnavailable("NOT_FOUND", "Not found.");
  if (!found.rejected) throw new DownloadUnavailable("NOT_FOUND", "No row of this import was rejected.");
  const columns = parseColumns(found.columns);
  return {
    fileName: `${found.file_name.replace(/\.[^.]*$/, "")} errors.xlsx`,
    contentType: CONTENT_TYPES.XLSX,
    // one snapshot, so the rows and their errors agree however long the client takes to read
    write: async (out) => {
      await withTransaction(
        pool,
        (tx) => writeErrorReport(tx, id, columns, out),
        "begin isolation level repeatable read read only",
      );
    },
  };
}
