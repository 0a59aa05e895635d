import type { JobHelpers, Task } from "graphile-worker";
import type pg from "pg";
import { withTransaction } from "../db/withTransaction.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import { observeJobRun, ROWS_COLUMN } from "../metrics/processMetrics.js";
import { JOB_KINDS, jobIdFromPayload, type JobKind } from "./jobKinds.js";

/** How a run ended when it did not throw. NEEDS_REVIEW keeps its message (or none) for the reviewer. */
export type JobOutcome =
  | { status: "COMPLETED" }
  | { status: "NEEDS_REVIEW"; errorMessage?: string }
  | { status: "FAILED"; errorMessage: string };

/** What a service can ask of its run. */
export interface RunningJob {
  /**
   * Throws JobCancelledError once the job was cancelled (or handed to another run): its row's
   * background_job_id is no longer this run's. Cheap to call per row: queries at most every 250 ms.
   */
  checkpoint(): Promise<void>;
}

/** Thrown by `checkpoint()` in a run whose job is no longer its own; the run ends quietly. */
export class JobCancelledError extends Error {}

/** How often `checkpoint()` asks the database at most: a cancel is noticed within this and a row. */
const CHECKPOINT_INTERVAL_MS = 250;

/** The work of one job kind; `runJob` does everything around it. */
export interface JobService {
  kind: JobKind;
  /**
   * SQL `set` items the run's start adds to the common ones (status, attempts, timestamps,
   * error_message): the kind's progress columns back to their start.
   */
  resetOnStart?: string;
  /**
   * Does the work inside `tx`, writes the kind's own result columns there too, and says how it
   * ended. Anything it throws rolls all of that back. Long work calls `job.checkpoint()` as it
   * goes, so a cancel stops it soon.
   */
  run(tx: pg.PoolClient, id: string, job: RunningJob): Promise<JobOutcome>;
  /** True for failures no retry can fix: the run ends FAILED at once with the error's message. */
  isPermanent?(err: Error): boolean;
}

/** What `runJob` needs from the running service. */
export interface JobRunDeps {
  pool: pg.Pool;
  logger: Logger;
}

/**
 * One run of a job, the same for every kind:
 * 1. the stale-job guard: a run whose graphile-worker job is no longer the row's (one left over
 *    from before a retry, or run again after its job finished) changes nothing;
 * 2. PENDING → PROCESSING;
 * 3. the service's work and the final status (COMPLETED, NEEDS_REVIEW, or FAILED with a reason)
 *    in ONE transaction, so after any crash or retry a job's results are all there or none are;
 * 4. on an error: FAILED for good when it is permanent or this was the last attempt; otherwise
 *    back to PENDING with the reason, and rethrown so graphile-worker retries with backoff.
 *
 * A run whose row stops being its own meanwhile (cancelled: background_job_id set null) ends
 * quietly: its transaction rolls back, nothing is written, and it returns, so graphile-worker
 * finishes its job rather than retrying it.
 */
export async function runJob(
  { pool, logger }: JobRunDeps,
  service: JobService,
  id: string,
  job: JobHelpers["job"],
): Promise<void> {
  const { kind } = service;
  const { table } = JOB_KINDS[kind];
  const run = { id: String(job.id), attempts: job.attempts, maxAttempts: job.max_attempts };
  const log = logger.child({ kind, id, jobId: run.id });

  const { rowCount: started } = await pool.query(
    `update ${table} set status = 'PROCESSING', processing_started_at = now(), processing_completed_at = null,
       attempts = $3, error_message = null${service.resetOnStart ? `, ${service.resetOnStart}` : ""}
     where id = $1 and background_job_id = $2`,
    [id, run.id, run.attempts],
  );
  if (started !== 1) {
    log.info(`${kind} is not this job's to run; skipping`);
    return;
  }
  const startedAt = process.hrtime.bigint();

  try {
    const ended = await withTransaction(pool, async (tx) => {
      // two runs of one job (a retry racing a stalled run) would otherwise wait on each other's rows
      const { rows } = await tx.query<{ locked: boolean }>(
        "select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked",
        [id],
      );
      if (!rows[0]?.locked) throw new Error(`Another worker is already running this ${kind.toLowerCase()}.`);
      const outcome = await service.run(tx, id, runningJob(pool, kind, id, run.id));
      const { rowCount, rows: saved } = await tx.query<{ rows: number | null }>(
        `update ${table} set status = $3, error_message = $4, processing_completed_at = clock_timestamp(),
           background_job_id = null
         where id = $1 and background_job_id = $2
         returning ${ROWS_COLUMN[kind]}::float8 as rows`,
        [id, run.id, outcome.status, outcome.status === "COMPLETED" ? null : (outcome.errorMessage ?? null)],
      );
      if (rowCount !== 1) throw notOurs(kind);
      return { status: outcome.status, rows: saved[0]?.rows };
    });
    observeJobRun(kind, ended.status, startedAt, ended.rows);
  } catch (caught) {
    const err = coerceError(caught);
    if (err instanceof JobCancelledError) {
      observeJobRun(kind, "CANCELLED", startedAt);
      log.info(`${kind} was cancelled or taken over while it ran; nothing of this run is saved`);
      return;
    }
    const permanent = service.isPermanent?.(err) ?? false;
    if (permanent || run.attempts >= run.maxAttempts) {
      const { rowCount } = await pool.query(
        `update ${table} set status = 'FAILED', processing_completed_at = clock_timestamp(), background_job_id = null,
           error_message = $3
         where id = $1 and background_job_id = $2`,
        [id, run.id, permanent ? err.message : `${kind} failed after ${run.attempts} attempts: ${err.message}`],
      );
      observeJobRun(kind, rowCount === 1 ? "FAILED" : "CANCELLED", startedAt);
      if (rowCount === 1) log.warn({ err }, `${kind} failed`);
      else log.info({ err }, `${kind} failed after it was cancelled or taken over; nothing of this run is saved`);
      return;
    }
    const { rowCount } = await pool.query(
      `update ${table} set status = 'PENDING', error_message = $3 where id = $1 and background_job_id = $2`,
      [id, run.id, `Attempt ${run.attempts} of ${run.maxAttempts} failed (${err.message}); it will be retried.`],
    );
    observeJobRun(kind, rowCount === 1 ? "RETRYING" : "CANCELLED", startedAt);
    // a retry would only skip itself: the row is no longer this job's
    if (rowCount !== 1) {
      log.info({ err }, `${kind} failed after it was cancelled or taken over; nothing of this run is saved`);
      return;
    }
    throw err;
  }
}

/**
 * The run's view of its job. A check reads on the pool, not on the run's transaction, so it never
 * waits behind the service's own queries there.
 */
function runningJob(pool: pg.Pool, kind: JobKind, id: string, jobId: string): RunningJob {
  const { table } = JOB_KINDS[kind];
  // the start just found the row ours
  let checkedAt = Date.now();
  let cancelled = false;
  return {
    async checkpoint() {
      if (cancelled) throw notOurs(kind);
      if (Date.now() - checkedAt < CHECKPOINT_INTERVAL_MS) return;
      checkedAt = Date.now();
      const { rowCount } = await pool.query(`select 1 from ${table} where id = $1 and background_job_id = $2`, [
        id,
        jobId,
      ]);
      if (rowCount !== 1) {
        cancelled = true;
        throw notOurs(kind);
      }
    },
  };
}

function notOurs(kind: JobKind): JobCancelledError {
  return new JobCancelledError(
    `The ${kind.toLowerCase()} was cancelled or taken over by another run while this one ran.`,
  );
}

/**
 * For a cancel, after it cleared the row's background_job_id in `tx`: deletes graphile-worker job
 * `jobId` if no worker holds it (queued, or waiting for a retry). A job a worker holds is left to
 * it: its run sees at its next checkpoint that the row is no longer its own, ends quietly, and the
 * worker finishes the job. (`complete_jobs` is the one of graphile-worker's functions that does
 * this by id: `remove_job` needs a job key, `permanently_fail_jobs` keeps the job's row.)
 */
export async function removeQueuedJob(tx: pg.PoolClient, jobId: string): Promise<void> {
  await tx.query("select from graphile_worker.complete_jobs(array[$1::bigint])", [jobId]);
}

/** The graphile-worker task that runs `service`'s kind: a payload naming the row, one `runJob`. */
export function jobTask(deps: JobRunDeps, service: JobService): Task {
  return (payload, helpers) => runJob(deps, service, jobIdFromPayload(service.kind, payload), helpers.job);
}
