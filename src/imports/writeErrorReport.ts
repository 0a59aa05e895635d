import type { Writable } from "node:stream";
import type pg from "pg";
import { cursorRows } from "../db/cursorRows.js";
import { createSheetWriter } from "../spreadsheet/sheetWriter.js";
import type { TemplateColumn } from "../spreadsheet/index.js";

interface RejectedRow {
  raw: Record<string, string | null>;
  errors: string | null;
}

/**
 * Writes an import's rejected rows as an xlsx into `out`: the template's columns with the cells as
 * they were uploaded (as text), in row order, plus an `Errors` column with one line per problem.
 * Fixing the cells and uploading the file again imports them: an importer ignores unknown columns.
 *
 * `tx` must be in a transaction (the rows are read through a cursor, never all at once).
 */
export async function writeErrorReport(
  tx: pg.PoolClient,
  importId: string,
  columns: readonly TemplateColumn[],
  out: Writable,
): Promise<number> {
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
  let count = 0;
  for await (const row of rows) {
    await writer.addRow([...columns.map((c) => row.raw[c.key] ?? null), row.errors]);
    count++;
  }
  await writer.end();
  return count;
}
