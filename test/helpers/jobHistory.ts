import pg from "pg";
import { FINAL_STATUSES, namesJob, waitForNotified } from "./jobs.js";

/** One committed version of an import's or export's row, as `to_jsonb` spells it (snake_case). */
export interface JobVersion {
  status: "PENDING" | "PROCESSING" | "NEEDS_REVIEW" | "COMPLETED" | "FAILED" | "CANCELLED";
  attempts: number;
  error_message: string | null;
  /** Imports only. */
  phase?: string;
  /** Imports only. */
  rows_processed?: number;
  [column: string]: unknown;
}

/** A successful import's committed states ("status phase"), in order, repeats folded. */
export const IMPORT_STATES_IN_ORDER = [
  "PENDING QUEUED",
  "PROCESSING PARSING",
  "PROCESSING VALIDATING",
  "PROCESSING SAVING",
  "COMPLETED DONE",
];

/** The job has ended: no status follows. */
export const isFinalVersion = (v: JobVersion) => FINAL_STATUSES.includes(v.status);

/**
 * Installs, in a test's own database, the test-only triggers that `jobHistory` and `retryNow`
 * read. Call it before the jobs of interest are created.
 *
 * Why a table and not the NOTIFY stream: a `job_status` payload only names the job, so re-reading
 * the row on each notification sees it as it is at read time, maybe several commits later; and a
 * subscription coalesces by design. Here an AFTER trigger on imports and exports appends each
 * new row version in the transaction that made it, so:
 * - a rolled-back change leaves nothing;
 * - a transaction's later version of a row replaces its earlier ones, since only what it commits
 *   was ever visible to anyone;
 * - `seq` orders one job's versions in commit order: a row's next change waits for the row lock,
 *   which the previous change holds until it commits, so it draws a later `seq`.
 *
 * A second trigger records each time graphile-worker releases a failed job (with the backoff it
 * scheduled) and NOTIFYs `test_job_released`, which nothing in the app announces.
 */
export async function recordJobHistory(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`
      create table test_job_history (
        seq bigserial primary key,
        xid xid8 not null default pg_current_xact_id(),
        job_id uuid not null,
        version jsonb not null
      );
      create function test_record_job_version() returns trigger as $$
      begin
        delete from test_job_history where job_id = new.id and xid = pg_current_xact_id();
        insert into test_job_history (job_id, version) values (new.id, to_jsonb(new));
        return null;
      end;
      $$ language plpgsql;
      create trigger tg_imports__test_record_version after insert or update on imports
        for each row execute function test_record_job_version();
      create trigger tg_exports__test_record_version after insert or update on exports
        for each row execute function test_record_job_version();

      create table test_job_releases (
        seq bigserial primary key,
        job_id bigint not null,
        backoff interval not null
      );
      create function test_record_job_release() returns trigger as $$
      begin
        insert into test_job_releases (job_id, backoff) values (new.id, new.run_at - now());
        perform pg_notify('test_job_released', new.id::text);
        return null;
      end;
      $$ language plpgsql;
      create trigger tg__test_record_job_release after update on graphile_worker._private_jobs
        for each row when (old.locked_at is not null and new.locked_at is null)
        execute function test_record_job_release();`);
  } finally {
    await client.end();
  }
}

/**
 * Every committed version of job `id`'s row, in commit order, once the newest satisfies `until`
 * (by default: one of FINAL_STATUSES). `until` is checked on each `job_status` notification for the
 * job, so it should turn on a column that notifies (status, phase, counts, error_message).
 */
export function jobHistory(
  databaseUrl: string,
  id: string,
  until: (newest: JobVersion) => boolean = isFinalVersion,
  timeoutMs?: number,
): Promise<JobVersion[]> {
  return waitForNotified({
    databaseUrl,
    channel: "job_status",
    matches: namesJob(id),
    read: async (client) =>
      (
        await client.query<{ version: JobVersion }>(
          "select version from test_job_history where job_id = $1 order by seq",
          [id],
        )
      ).rows.map((r) => r.version),
    done: (versions) => versions.length > 0 && until(versions.at(-1)!),
    what: `job ${id}'s history`,
    timeoutMs,
  });
}

/**
 * Waits until graphile-worker has released job `jobId` after a failed attempt, then moves its
 * `run_at` to now and nudges the worker (as `add_job` does), so the retry runs at once instead of
 * after its backoff. Resolves with the backoff graphile-worker had scheduled, in milliseconds.
 * Needs `recordJobHistory` first.
 */
export async function retryNow(databaseUrl: string, jobId: string): Promise<{ backoffMs: number }> {
  const released = await waitForNotified({
    databaseUrl,
    channel: "test_job_released",
    matches: (payload) => payload === jobId,
    read: async (client) =>
      (
        await client.query<{ backoff_ms: number; locked: boolean }>(
          `select extract(epoch from r.backoff)::float * 1000 as backoff_ms, j.locked_at is not null as locked
           from test_job_releases r join graphile_worker._private_jobs j on j.id = r.job_id
           where r.job_id = $1 order by r.seq desc limit 1`,
          [jobId],
        )
      ).rows[0],
    done: (release) => release !== undefined && !release.locked,
    what: `the release of graphile-worker job ${jobId}`,
  });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `with moved as (
         update graphile_worker._private_jobs set run_at = now() where id = $1 and locked_at is null returning id
       )
       select pg_notify('jobs:insert', '{"count":1}') from moved`,
      [jobId],
    );
    if (rowCount !== 1) throw new Error(`graphile-worker job ${jobId} was not waiting for its retry`);
  } finally {
    await client.end();
  }
  return { backoffMs: released!.backoff_ms };
}
