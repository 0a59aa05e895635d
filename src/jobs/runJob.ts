import type { JobHelpers, Task } from "graphile-worker";
import type pg from "pg";
import { withTransaction } from "../db/withTransaction.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import { JOB_KINDS, jobIdFromPayload, type JobKind } from "./jobKinds.js";

/** How a run ended when it did not throw. */
export type JobOutcome = { status: "COMPLETED" } | { status: "FAILED"; errorMessage: string };

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
   * ended. Anything it throws rolls all of that back.
   */
  run(tx: pg.PoolClient, id: string): Promise<JobOutcome>;
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
 * 3. the service's work and the final status (COMPLETED, or FAILED with a reason) in ONE
 *    transaction, so after any crash or retry a job's results are all there or none are;
 * 4. on an error: FAILED for good when it is permanent or this was the last attempt; otherwise
 *    back to PENDING with the reason, and rethrown so graphile-worker retries with backoff.
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

  try {
    await withTransaction(pool, async (tx) => {
      // two runs of one job (a retry racing a stalled run) would otherwise wait on each other's rows
      const { rows } = await tx.query<{ locked: boolean }>(
        "select pg_try_advisory_xact_lock(hashtextextended($1, 0)) as locked",
        [id],
      );
      if (!rows[0]?.locked) throw new Error(`Another worker is already running this ${kind.toLowerCase()}.`);
      const outcome = await service.run(tx, id);
      const { rowCount } = await tx.query(
        `update ${table} set status = $3, error_message = $4, processing_completed_at = clock_timestamp(),
           background_job_id = null
         where id = $1 and background_job_id = $2`,
        [id, run.id, outcome.status, outcome.status === "FAILED" ? outcome.errorMessage : null],
      );
      if (rowCount !== 1) throw new Error(`The ${kind.toLowerCase()} was taken over by another job while it ran.`);
    });
  } catch (caught) {
    const err = coerceError(caught);
    const permanent = service.isPermanent?.(err) ?? false;
    if (permanent || run.attempts >= run.maxAttempts) {
      log.warn({ err }, `${kind} failed`);
      await pool.query(
        `update ${table} set status = 'FAILED', processing_completed_at = clock_timestamp(), background_job_id = null,
           error_message = $3
         where id = $1 and background_job_id = $2`,
        [id, run.id, permanent ? err.message : `${kind} failed after ${run.attempts} attempts: ${err.message}`],
      );
      return;
    }
    await pool.query(
      `update ${table} set status = 'PENDING', error_message = $3 where id = $1 and background_job_id = $2`,
      [id, run.id, `Attempt ${run.attempts} of ${run.maxAttempts} failed (${err.message}); it will be retried.`],
    );
    throw err;
  }
}

/** The graphile-worker task that runs `service`'s kind: a payload naming the row, one `runJob`. */
export function jobTask(deps: JobRunDeps, service: JobService): Task {
  return (payload, helpers) => runJob(deps, service, jobIdFromPayload(service.kind, payload), helpers.job);
}
