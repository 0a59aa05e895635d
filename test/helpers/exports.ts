import ExcelJS from "exceljs";
import pg from "pg";
import type { TestApp } from "./testApp.js";

export interface ExportState {
  status: string;
  attempts: number;
  error_message: string | null;
  row_count: number | null;
  background_job_id: string | null;
  file_id: string | null;
}

/**
 * Resolves once the export's row satisfies `done`, re-reading it on every `job_status`
 * notification for it (the database announces each committed change), and rejecting after
 * `timeoutMs` with the last state seen.
 */
export async function waitForExport(
  databaseUrl: string,
  id: string,
  done: (row: ExportState) => boolean = isFinalExport,
  timeoutMs = 20_000,
): Promise<ExportState> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let last: ExportState | undefined;
  const read = async () => {
    const { rows } = await client.query<ExportState>(
      "select status, attempts, error_message, row_count, background_job_id, file_id from exports where id = $1",
      [id],
    );
    last = rows[0];
    return last !== undefined && done(last);
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<ExportState>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`export ${id} did not get there; last state ${JSON.stringify(last)}`)),
        timeoutMs,
      );
      // one read at a time: a connection runs one query at a time, and notifications come in bursts
      let reading = Promise.resolve();
      const check = () => {
        reading = reading.then(read).then((ok) => void (ok && resolve(last!)), reject);
      };
      client.on("notification", (message) => {
        if (JSON.parse(message.payload ?? "{}").id === id) check();
      });
      // listen first, then read, so a change between the two is not missed
      client.query("listen job_status").then(check, reject);
    });
  } finally {
    clearTimeout(timer);
    await client.end();
  }
}

export const isFinalExport = (row: ExportState) => row.status === "COMPLETED" || row.status === "FAILED";

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

/**
 * Runs a task now, as cron would, and resolves when the worker has completed it: listening before
 * adding the job, since it may well finish before add_job answers.
 */
export async function runTaskNow(t: TestApp, sql: pg.Pool, identifier: string): Promise<void> {
  const finished = new Set<string>();
  let wake = () => {};
  const onComplete = ({ job }: { job: { id: string } }) => {
    finished.add(String(job.id));
    wake();
  };
  t.app.worker!.events.on("job:complete", onComplete);
  try {
    const { rows } = await sql.query("select id::text from graphile_worker.add_job($1)", [identifier]);
    const jobId = rows[0].id as string;
    while (!finished.has(jobId)) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    t.app.worker!.events.off("job:complete", onComplete);
  }
}
