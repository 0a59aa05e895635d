import { randomUUID } from "node:crypto";
import os from "node:os";
import type pg from "pg";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";

/**
 * SQL: true when graphile-worker job `jobId` (an SQL expression of its id as text, like a row's
 * `background_job_id`) is held by a worker that is alive. A worker is alive while its heartbeat is
 * younger than `deadAfter` (an SQL expression of seconds). A lock whose worker never recorded a
 * heartbeat (one still starting, or of a release before heartbeats) counts as alive for as long
 * after it was taken.
 */
export function heldByLiveWorker(jobId: string, deadAfter: string): string {
  return `exists (
    select from graphile_worker.jobs j
    where j.id = (${jobId})::bigint and j.locked_by is not null and (
      exists (
        select from worker_heartbeats h
        where j.locked_by = any(h.worker_ids) and h.last_seen >= now() - make_interval(secs => ${deadAfter})
      )
      or (
        j.locked_at >= now() - make_interval(secs => ${deadAfter})
        and not exists (select from worker_heartbeats h where j.locked_by = any(h.worker_ids))
      )
    )
  )`;
}

/** A heartbeat that keeps beating until disposed. */
export interface Heartbeat {
  /** Stops beating, waits for a beat under way, and removes the row: a clean stop is no crash. */
  dispose(): Promise<void>;
}

export interface HeartbeatOptions {
  pool: pg.Pool;
  logger: Logger;
  /** What graphile-worker writes to `locked_by` for the jobs this process runs. */
  workerIds: readonly string[];
  /** Time between beats; a third of WORKER_DEAD_AFTER_SECONDS leaves room for two late ones. */
  intervalMs: number;
  /** Runs after each beat (the sweep), so a process never sees itself silent. */
  afterBeat?: () => Promise<void>;
}

/**
 * Records this worker process in `worker_heartbeats` now and every `intervalMs`, so other workers
 * can tell it is alive; see sweepDeadWorkers.ts for what happens when it stops beating. Beats run
 * one after another, never overlapping; a failed one is logged and the next one tries again (the
 * database may be restarting).
 */
export function startHeartbeat({ pool, logger, workerIds, intervalMs, afterBeat }: HeartbeatOptions): Heartbeat {
  const id = randomUUID();
  const log = logger.child({ heartbeat: id });
  let beats = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const beat = async () => {
    const {
      rows: [row],
    } = await pool.query<{ inserted: boolean }>(
      `insert into worker_heartbeats (id, worker_ids, pid, host) values ($1, $2, $3, $4)
       on conflict (id) do update set last_seen = now(), worker_ids = excluded.worker_ids
       returning xmax = 0 as inserted`,
      [id, workerIds, process.pid, os.hostname()],
    );
    // another worker's sweep found this one silent (its event loop or the database stalled) and
    // handed its jobs on: say so, since a run here may now be repeated there
    if (row?.inserted && beats > 0) {
      log.warn("this worker was taken for dead after a silence; its running jobs may have been handed to another");
    }
    beats += 1;
  };

  const tick = async () => {
    try {
      await beat();
      await afterBeat?.();
    } catch (err) {
      log.warn({ err: coerceError(err) }, "worker heartbeat failed; trying again");
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), intervalMs);
  };
  let running = tick();

  let disposed: Promise<void> | undefined;
  return {
    dispose() {
      disposed ??= (async () => {
        stopped = true;
        clearTimeout(timer);
        await running;
        await pool
          .query("delete from worker_heartbeats where id = $1", [id])
          .catch((err: unknown) => log.warn({ err: coerceError(err) }, "could not remove the worker heartbeat"));
      })();
      return disposed;
    },
  };
}
