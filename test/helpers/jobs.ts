import pg from "pg";
import type { TestApp } from "./testApp.js";

/** The statuses a job ends in; NEEDS_REVIEW waits for the user instead. */
export const FINAL_STATUSES: readonly string[] = ["COMPLETED", "FAILED", "CANCELLED"];

/**
 * Resolves with `read`'s answer once `done` accepts it. `read` runs once after LISTEN `channel`
 * (so a change between the two is not missed) and again on each notification whose payload
 * `matches`; rejects after `timeoutMs` with the last answer seen.
 */
export async function waitForNotified<T>({
  databaseUrl,
  channel,
  matches,
  read,
  done,
  what,
  timeoutMs = 20_000,
}: {
  databaseUrl: string;
  channel: string;
  matches: (payload: string) => boolean;
  read: (client: pg.Client) => Promise<T>;
  done: (value: T) => boolean;
  /** Names what is awaited, for the timeout's message. */
  what: string;
  timeoutMs?: number;
}): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let last: T | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<T>((resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${what} did not get there; last seen ${JSON.stringify(last)}`)),
        timeoutMs,
      );
      // one read at a time: a connection runs one query at a time, and notifications come in bursts
      let reading = Promise.resolve();
      const check = () => {
        reading = reading
          .then(() => read(client))
          .then((value) => {
            last = value;
            if (done(value)) resolve(value);
          }, reject);
      };
      client.on("notification", (message) => {
        if (message.channel === channel && matches(message.payload ?? "")) check();
      });
      client.query(`listen ${client.escapeIdentifier(channel)}`).then(check, reject);
    });
  } finally {
    clearTimeout(timer);
    await client.end();
  }
}

/** True when a `job_status` payload names job `id`. */
export const namesJob = (id: string) => (payload: string) => JSON.parse(payload || "{}").id === id;

/**
 * Resolves once a job's row (`columns` of `table`) satisfies `done`, re-reading it on every
 * `job_status` notification for it (the database announces each committed change), and rejecting
 * after `timeoutMs` with the last state seen.
 */
export function waitForJobRow<Row extends object>(
  databaseUrl: string,
  table: "imports" | "exports",
  columns: string,
  id: string,
  done: (row: Row) => boolean,
  timeoutMs?: number,
): Promise<Row> {
  return waitForNotified<Row | undefined>({
    databaseUrl,
    channel: "job_status",
    matches: namesJob(id),
    read: async (client) => (await client.query<Row>(`select ${columns} from ${table} where id = $1`, [id])).rows[0],
    done: (row) => row !== undefined && done(row),
    what: `${table} ${id}`,
    timeoutMs,
  }) as Promise<Row>;
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
