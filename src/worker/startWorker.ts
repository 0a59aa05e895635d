import { EventEmitter } from "node:events";
import { Logger as WorkerLogger, run, type LogLevel, type Runner, type WorkerEvents } from "graphile-worker";
import { crontab, taskList } from "../../tasks/index.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import { startHeartbeat } from "./heartbeat.js";
import { sweepDeadWorkers } from "./sweepDeadWorkers.js";

/**
 * The longest time between two heartbeats (and sweeps): a dead worker is found at most this long
 * after WORKER_DEAD_AFTER_SECONDS. Both are a few small queries.
 */
const MAX_BEAT_SECONDS = 5;

/** graphile-worker's log lines, as pino lines carrying the worker, task and job ids. */
function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger((scope) => {
    const child = logger.child({ worker: scope });
    return (level: LogLevel, message: string, meta?: unknown) => {
      const method = level === "warning" ? "warn" : level;
      child[method](meta && typeof meta === "object" ? meta : {}, message);
    };
  });
}

/**
 * Runs the graphile-worker pool in this process. Signals are ours to handle: `runner.stop()` lets
 * running jobs finish, and releases them for another worker if they do not finish in time.
 *
 * While it runs, the process records a heartbeat every third of `workerDeadAfterSeconds` (at most
 * every 5 s) and then sweeps: the jobs of workers that stopped beating (killed, out of memory,
 * their machine gone) are released and run again (see sweepDeadWorkers.ts). The heartbeat ends
 * when the pool does, and its row is removed once `stop()` has let the running jobs finish.
 */
export async function startWorker(config: Config, db: Database, logger: Logger): Promise<Runner> {
  // graphile-worker 0.17 locks jobs with its pool's id, announced as the pool is created
  const events: WorkerEvents = new EventEmitter();
  const workerIds: string[] = [];
  events.on("pool:create", ({ workerPool }) => workerIds.push(workerPool.id));

  const { pool, prisma } = db.worker;
  const runner = await run({
    pgPool: pool,
    concurrency: config.workerConcurrency,
    noHandleSignals: true,
    logger: workerLogger(logger),
    events,
    taskList: taskList({ pool, prisma, config, logger }),
    crontab,
  });

  const heartbeat = startHeartbeat({
    pool,
    logger,
    workerIds,
    intervalMs: Math.min(config.workerDeadAfterSeconds / 3, MAX_BEAT_SECONDS) * 1000,
    afterBeat: async () => void (await sweepDeadWorkers({ pool, config, logger })),
  });
  // a pool that ends runs no more jobs: its heartbeat stops, so the sweep hands its jobs on
  runner.promise.then(
    () => heartbeat.dispose(),
    (err: unknown) => {
      logger.error({ err: coerceError(err) }, "the worker pool stopped on an error; this process runs no more jobs");
      return heartbeat.dispose();
    },
  );

  return {
    ...runner,
    async stop(reason) {
      try {
        await runner.stop(reason);
      } finally {
        await heartbeat.dispose();
      }
    },
    async kill(reason) {
      try {
        await runner.kill(reason);
      } finally {
        await heartbeat.dispose();
      }
    },
  };
}
