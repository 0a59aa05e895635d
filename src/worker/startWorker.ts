import { Logger as WorkerLogger, run, type LogLevel, type Runner } from "graphile-worker";
import { crontab, taskList } from "../../tasks/index.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../logger.js";

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
 */
export function startWorker(config: Config, db: Database, logger: Logger): Promise<Runner> {
  return run({
    pgPool: db.pool,
    concurrency: config.workerConcurrency,
    noHandleSignals: true,
    logger: workerLogger(logger),
    taskList: taskList({ pool: db.pool, prisma: db.prisma, config, logger }),
    crontab,
  });
}
