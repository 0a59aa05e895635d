import ExcelJS from "exceljs";
import { FINAL_STATUSES, waitForJobRow } from "./jobs.js";
import type { TestApp } from "./testApp.js";

export interface ExportState {
  status: string;
  attempts: number;
  error_message: string | null;
  row_count: number | null;
  background_job_id: string | null;
  file_id: string | null;
}

/** Resolves once the export's row satisfies `done` (by default: it has ended, see FINAL_STATUSES). */
export function waitForExport(
  databaseUrl: string,
  id: string,
  done: (row: ExportState) => boolean = isFinalExport,
  timeoutMs?: number,
): Promise<ExportState> {
  const columns = "status, attempts, error_message, row_count, background_job_id, file_id";
  return waitForJobRow(databaseUrl, "exports", columns, id, done, timeoutMs);
}

export const isFinalExport = (row: ExportState) => FINAL_STATUSES.includes(row.status);

/** A GET of a download path (`/exports/…` or a `downloadUrl`) on the test app, as a bearer of `token` when given. */
export async function download(t: TestApp, path: string, token?: string) {
  const response = await fetch(new URL(path, t.url), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { response, status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** The first worksheet of an xlsx, as rows of exceljs cells (row 1 first). */
export async function readXlsx(file: Buffer): Promise<ExcelJS.Row[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: ExcelJS.Row[] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => rows.push(row));
  return rows;
}

/** The cells of a row from column 1 to `width`, empty ones included. */
export function cellsOf(row: ExcelJS.Row, width: number): ExcelJS.Cell[] {
  return Array.from({ length: width }, (_, i) => row.getCell(i + 1));
}
