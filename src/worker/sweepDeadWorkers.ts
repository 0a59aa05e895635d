import type pg from "pg";
import type { Config } from "../config.js";
import { withTransaction } from "../db/withTransaction.js";
import type { Logger } from "../logger.js";
import { enqueueJob } from "../jobs/enqueueJob.js";
import { JOB_KINDS, jobKinds, type JobKind } from "../jobs/jobKinds.js";
import { removeQueuedJob } from "../jobs/runJob.js";
import { heldByLiveWorker } from "./heartbeat.js";

/** The second run of a job ended by its worker dying ends the job FAILED: the file is the likely cause. */
export const CRASHES_BEFORE_FAILED = 2;

/**
 * The advisory lock one sweep at a time holds (two-key form: its own key space, apart from the
 * one-key locks runJob takes per job).
 */
const SWEEP_LOCK = [0x776f726b, 1] as const;

/** What one sweep did. */
export interface SweepResult {
  /** The `locked_by` ids of the workers found dead, whose jobs were released. */
  deadWorkers: string[];
  /** Jobs sent back to PENDING to run again. */
  requeued: Array<{ kind: JobKind; id: string; crashed: boolean }>;
  /** Jobs ended FAILED after their second crash. */
  failed: Array<{ kind: JobKind; id: string }>;
}

/** What the row says while it waits to run again, and when it gives up. */
function messages(kind: JobKind) {
  const noun = kind.toLowerCase();
  return {
    crashed: `The worker running this ${noun} stopped unexpectedly; it will run again.`,
    orphaned: `The worker running this ${noun} stopped before it finished; it will run again.`,
    failed: `${kind === "Import" ? "This file" : `This ${noun}`} stopped the worker twice (out of memory or a crash); it will not be retried.`,
  };
}

/**
 * One sweep, run by every worker process after each heartbeat. In one transaction, and by one
 * process at a time (the others skip this round):
 * 1. workers silent for longer than `workerDeadAfterSeconds` are dead: their graphile-worker locks
 *    are released (graphile-worker's own `force_unlock_workers`, which `forceUnlockWorkers` calls:
 *    in SQL so it commits with the rest) and their heartbeats dropped. Left to graphile-worker,
 *    their jobs would wait 4 hours.
 * 2. a job of ours whose run ended with its worker (its graphile-worker job was held by a dead
 *    worker) counts a crash and goes back to PENDING with a note; its graphile-worker job runs
 *    again now, under the same id, so runJob's guard lets the new run take it. A crash is never a
 *    failure, except the second one of the same job: the file (say, one that needs more memory
 *    than the worker has) would otherwise kill every worker that tries it.
 * 3. a job left PROCESSING with no live run at all (its graphile-worker job released by a
 *    shutdown that ran out of time, or gone), for longer than a worker may be silent, goes back
 *    to PENDING too, without counting a crash, with a new graphile-worker job if it had none.
 */
export async function sweepDeadWorkers({
  pool,
  config,
  logger,
}: {
  pool: pg.Pool;
  config: Pick<Config, "workerDeadAfterSeconds" | "maxAttempts">;
  logger: Logger;
}): Promise<SweepResult | null> {
  const deadAfter = config.workerDeadAfterSeconds;
  const result = await withTransaction(pool, async (tx) => {
    const {
      rows: [lock],
    } = await tx.query<{ locked: boolean }>("select pg_try_advisory_xact_lock($1, $2) as locked", [...SWEEP_LOCK]);
    if (!lock?.locked) return null;

    const deadWorkers = await releaseDeadWorkers(tx, deadAfter);
    const swept: SweepResult = { deadWorkers: deadWorkers.ids, requeued: [], failed: [] };
    for (const kind of jobKinds()) await sweepJobs(tx, kind, deadWorkers.jobs, config, swept);
    return swept;
  });

  if (result?.deadWorkers.length) {
    logger.warn({ workers: result.deadWorkers }, `released the jobs of ${result.deadWorkers.length} dead worker(s)`);
  }
  for (const { kind, id, crashed } of result?.requeued ?? []) {
    logger.warn({ kind, id, crashed }, `${kind} ${id} lost its worker; it will run again`);
  }
  for (const { kind, id } of result?.failed ?? []) {
    logger.warn({ kind, id }, `${kind} ${id} lost its worker a second time; it is FAILED`);
  }
  return result;
}

/**
 * Unlocks the jobs of dead workers: heartbeats older than `deadAfter` seconds, and locks older
 * than that by a worker with no heartbeat at all. Returns their ids and the jobs they held.
 */
async function releaseDeadWorkers(tx: pg.PoolClient, deadAfter: number) {
  const {
    rows: [dead],
  } = await tx.query<{ ids: string[] }>(
    `select coalesce(array_agg(distinct id), '{}') as ids from (
       select unnest(worker_ids) as id from worker_heartbeats where last_seen < now() - make_interval(secs => $1)
       union
       select j.locked_by from graphile_worker.jobs j
       where j.locked_by is not null and j.locked_at < now() - make_interval(secs => $1)
         and not exists (select from worker_heartbeats h where j.locked_by = any(h.worker_ids))
     ) dead`,
    [deadAfter],
  );
  const ids = dead?.ids ?? [];
  if (ids.length === 0) return { ids, jobs: [] };
  const { rows } = await tx.query<{ id: string }>(
    "select id::text from graphile_worker.jobs where locked_by = any($1::text[])",
    [ids],
  );
  await tx.query("select graphile_worker.force_unlock_workers($1::text[])", [ids]);
  await tx.query("delete from worker_heartbeats where last_seen < now() - make_interval(secs => $1)", [deadAfter]);
  return { ids, jobs: rows.map((row) => row.id) };
}

/** Steps 2 and 3 for one kind's table; `crashedJobs` are the graphile-worker jobs dead workers held. */
async function sweepJobs(
  tx: pg.PoolClient,
  kind: JobKind,
  crashedJobs: string[],
  config: Pick<Config, "workerDeadAfterSeconds" | "maxAttempts">,
  swept: SweepResult,
): Promise<void> {
  const { table } = JOB_KINDS[kind];
  const say = messages(kind);
  // a run holds a key-share lock on its row (its records reference it): "no key update" does not
  // wait for it, so a run whose worker vanished without its connection closing does not hold
  // this up; "skip locked" passes over a row another request is changing right now
  const { rows } = await tx.query<{ id: string; job_id: string | null; crashes: number; crashed: boolean }>(
    `select t.id, t.background_job_id as job_id, t.crashes, coalesce(t.background_job_id = any($1::text[]), false) as crashed
     from ${table} t
     where t.status = 'PROCESSING' and (
       t.background_job_id = any($1::text[])
       or (t.updated_at < now() - make_interval(secs => $2) and not ${heldByLiveWorker("t.background_job_id", "$2")})
     )
     for no key update of t skip locked`,
    [crashedJobs, config.workerDeadAfterSeconds],
  );
  for (const row of rows) {
    const crashes = row.crashes + (row.crashed ? 1 : 0);
    if (crashes >= CRASHES_BEFORE_FAILED) {
      await tx.query(
        `update ${table} set status = 'FAILED', crashes = $2, error_message = $3, background_job_id = null,
           processing_completed_at = clock_timestamp()
         where id = $1`,
        [row.id, crashes, say.failed],
      );
      if (row.job_id) await removeQueuedJob(tx, row.job_id);
      swept.failed.push({ kind, id: row.id });
      continue;
    }
    await tx.query(`update ${table} set status = 'PENDING', crashes = $2, error_message = $3 where id = $1`, [
      row.id,
      crashes,
      row.crashed ? say.crashed : say.orphaned,
    ]);
    if (!(row.job_id && (await runAgainNow(tx, row.job_id)))) {
      await enqueueJob(tx, kind, row.id, config);
    }
    swept.requeued.push({ kind, id: row.id, crashed: row.crashed });
  }
}

/**
 * Makes an unlocked graphile-worker job due now, with one more run allowed if the lost one was its
 * last, and wakes the workers (as `add_job` does). False when the job is gone.
 */
async function runAgainNow(tx: pg.PoolClient, jobId: string): Promise<boolean> {
  const { rowCount } = await tx.query(
    `select from graphile_worker.jobs j,
       lateral graphile_worker.reschedule_jobs(
         array[j.id], run_at := now(), max_attempts := greatest(j.max_attempts, j.attempts + 1)
       ) r
     where j.id = $1::bigint`,
    [jobId],
  );
  if (rowCount !== 1) return false;
  await tx.query(`select pg_notify('jobs:insert', '{"count":1}')`);
  return true;
}
