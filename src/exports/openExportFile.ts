import type pg from "pg";
import { CONTENT_TYPES, type SheetFormat } from "../spreadsheet/sheetWriter.js";
import { DownloadUnavailable, streamStoredFile, type Download } from "../storage/download.js";

/**
 * An export's file, ready to stream: `owner`'s export (or anyone's when `owner` is null, which a
 * signed link allows). Throws {@link DownloadUnavailable} when there is no such export for the
 * caller (one answer for missing and not theirs), when it is not COMPLETED, or when its file expired.
 */
export async function openExportFile(pool: pg.Pool, id: string, owner: string | null): Promise<Download> {
  const {
    rows: [found],
  } = await pool.query<{
    status: string;
    format: SheetFormat;
    file_id: string | null;
    file_name: string | null;
    file_size: number | null;
    expired: boolean;
  }>(
    `select status, format, file_id, file_name, file_size, coalesce(expires_at <= now(), false) as expired
     from exports where id = $1 and ($2::uuid is null or user_id = $2::uuid)`,
    [id, owner],
  );
  if (!found) throw new DownloadUnavailable("NOT_FOUND", "Not found.");
  if (found.status !== "COMPLETED") {
    throw new DownloadUnavailable(
      "NOT_READY",
      found.status === "FAILED" ? "This export failed; there is no file." : "This export is not ready yet.",
    );
  }
  const fileId = found.file_id;
  if (found.expired || !fileId) {
    throw new DownloadUnavailable("GONE", "This export has expired and its file was deleted. Request a new export.");
  }
  return {
    fileName: found.file_name ?? `export.${found.format.toLowerCase()}`,
    contentType: CONTENT_TYPES[found.format],
    size: found.file_size ?? undefined,
    write: (out) => streamStoredFile(pool, fileId, out),
  };
}
