import type { Writable } from "node:stream";
import type pg from "pg";
import { cursorRows } from "../db/cursorRows.js";
import { createSheetWriter } from "../spreadsheet/sheetWriter.js";
import type { TemplateColumn } from "../spreadsheet/index.js";
import type { StoredFile } from "../storage/fileStore.js";
import { storeWritten } from "../storage/storeWritten.js";

interface RejectedRow {
  raw: Record<string, string | null>;
  errors: string | null;
}

/**
 * Stores an import's error report (see {@link writeErrorReport}) as a new file of `userId`'s and
 * points the import at it, all on `tx`, which must be in a transaction. Written once, where the
 * rejected rows are (the import's run), so a download streams a file and holds no transaction.
 *
 * @returns the stored file, or null when no row of the import was rejected (nothing is stored).
 */
export async function storeErrorReport(
  tx: pg.PoolClient,
  importId: string,
  userId: string,
  columns: readonly TemplateColumn[],
): Promise<StoredFile | null> {
  const { rowCount } = await tx.query("select 1 from import_rejected_rows where import_id = $1 limit 1", [importId]);
  if (!rowCount) return null;
  const { fileId, size } = await storeWritten(tx, userId, (out) => writeErrorReport(tx, importId, columns, out));
  await tx.query("update imports set error_report_file_id = $2 where id = $1", [importId, fileId]);
  return { fileId, size };
}

/**
 * Writes an import's rejected rows as an xlsx into `out`: the template's columns with the cells as
 * they were uploaded (as text), in row order, plus an `Errors` column with one line per problem.
 * Fixing the cells and uploading the file again imports them: an importer ignores unknown columns.
 *
 * `tx` must be in a transaction (the rows are read through a cursor, never all at once).
 */
async function writeErrorReport(
  tx: pg.PoolClient,
  importId: string,
  columns: readonly TemplateColumn[],
  out: Writable,
): Promise<void> {
  const taken = new Set(columns.flatMap((c) => [c.header.toLowerCase(), c.key.toLowerCase()]));
  const errorsHeader = ["Errors", "Import Errors", "Row Errors"].find((h) => !taken.has(h.toLowerCase())) ?? "⚠ Errors";
  const writer = createSheetWriter("XLSX", out, {
    sheetName: "Rejected rows",
    columns: [
      ...columns.map((c) => ({ header: c.header, type: "STRING" as const })),
      { header: errorsHeader, type: "STRING" },
    ],
  });
  const rows = cursorRows<RejectedRow>(
    tx,
    "error_report_rows",
    `select r.raw,
       (select string_agg(coalesce(e."column" || ': ', '') || e.message, e'\\n' order by e.id)
        from import_row_errors e where e.import_id = r.import_id and e.row_number = r.row_number) as errors
     from import_rejected_rows r where r.import_id = $1 order by r.row_number`,
    [importId],
  );
  for await (const row of rows) {
    await writer.addRow([...columns.map((c) => row.raw[c.key] ?? null), row.errors]);
  }
  await writer.end();
}
