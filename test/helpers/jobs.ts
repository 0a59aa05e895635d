import pg from "pg";
import type { TestApp } from "./testApp.js";

/**
 * Resolves once a job's row (`columns` of `table`) satisfies `done`, re-reading it on every
 * `job_status` notification for it (the database announces each committed change), and rejecting
 * after `timeoutMs` with the last state seen.
 */
export async function waitForJobRow<Row extends object>(
  databaseUrl: string,
  table: "imports" | "exports",
  columns: string,
  id: string,
  done: (row: Row) => boolean,
  timeoutMs = 20_000,
): Promise<Row> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let last: Row | undefined;
  const read = async () => {
    const { rows } = await client.query<Row>(`select ${columns} from ${table} where id = $1`, [id]);
    last = rows[0];
    return last !== undefined && done(last);
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Row>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${table} ${id} did not get there; last state ${JSON.stringify(last)}`)),
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

/**
 * Adds a job now (as cron or a duplicate enqueue would) and resolves when the test app's worker
 * has completed it: listening before adding the job, since it may well finish before add_job answers.
 */
export async function runTaskNow(t: TestApp, sql: pg.Pool, identifier: string, payload: object = {}): Promise<void> {
  const finished = new Set<string>();
  let wake = () => {};
  const onComplete = ({ job }: { job: { id: string } }) => {
    finished.add(String(job.id));
    wake();
  };
  t.app.worker!.events.on("job:complete", onComplete);
  try {
    const { rows } = await sql.query("select id::text from graphile_worker.add_job($1, $2::json)", [
      identifier,
      JSON.stringify(payload),
    ]);
    const jobId = rows[0].id as string;
    while (!finished.has(jobId)) await new Promise<void>((resolve) => (wake = resolve));
  } finally {
    t.app.worker!.events.off("job:complete", onComplete);
  }
}
