// first: .env's settings are in place before any other module (or library) is evaluated
import { envFileRead } from "./envFile.js";
import { startApp, type App } from "./app.js";
import { loadConfig, type Config } from "./config.js";
import { createLogger } from "./logger.js";
import { coerceError } from "./lib.js";

/** How long a stopped process may take to exit on its own before we force it. */
const EXIT_GRACE_MS = 10_000;
/**
 * Beyond the jobs' grace period, how long shutdown may take (releasing jobs, closing sockets and
 * the database, stopping PostgreSQL) before we exit anyway.
 */
const STOP_MARGIN_MS = 20_000;
/** How long an exit waits for the log to be written. */
const FLUSH_WAIT_MS = 500;
/** How often we look whether the process that started us (npm) is still there. */
const PARENT_CHECK_MS = 500;

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(`xls-importer: ${coerceError(err).message}`);
  process.exit(2);
}
const logger = createLogger(config.logLevel);
logger.info(
  { role: config.role, pid: process.pid, envFile: envFileRead },
  `starting xls-importer (role: ${config.role})`,
);

let app: App | undefined;

/**
 * Exits once the log lines so far are written (pino writes asynchronously; `process.exit` would
 * drop them), or after a moment should stdout be stuck.
 */
function exitNow(code?: number) {
  logger.flush(() => process.exit(code));
  setTimeout(() => process.exit(code), FLUSH_WAIT_MS).unref();
}
let stopping: string | undefined;

/**
 * Graceful shutdown (see `App.stop`), asked for by a signal, by our parent going away, or by an
 * uncaught exception. A second signal exits at once; the embedded PostgreSQL is still sent a fast
 * shutdown on the way out (spawnPostgres' exit hook), so nothing is left running.
 */
function shutdown(reason: string, exitCode = 0) {
  if (stopping) {
    if (!reason.startsWith("SIG")) return; // our parent going away while we stop changes nothing
    logger.warn({ signal: reason }, "second signal: exiting now");
    return exitNow(1);
  }
  stopping = reason;
  process.exitCode = exitCode;
  logger.info({ reason }, "shutting down gracefully");
  if (!app) return; // still starting: stopped as soon as it has started
  setTimeout(
    () => {
      logger.error("shutdown is taking too long; exiting now");
      exitNow(1);
    },
    config.shutdownGraceSeconds * 1000 + STOP_MARGIN_MS,
  ).unref();
  void app.stop().then(() => {
    logger.info("stopped");
    // everything is closed, so the event loop drains and the process exits by itself; if some
    // handle lingers, say so and exit anyway
    setTimeout(() => {
      logger.warn("something kept the process alive after shutdown; exiting");
      exitNow();
    }, EXIT_GRACE_MS).unref();
  });
}

// (a signal listener is also passed the signal's number, which is no exit code). SIGHUP: the
// terminal we run in was closed, which would otherwise end us at once and leave PostgreSQL behind
process.on("SIGTERM", (signal) => shutdown(signal));
process.on("SIGINT", (signal) => shutdown(signal));
process.on("SIGHUP", (signal) => shutdown(signal));

// a rejection nobody awaited (a dropped database connection deep in a library, say) fails that one
// piece of work, which its job's retry or its client's next request recovers from: log it and keep
// serving. An uncaught exception may have left any state half-changed, so we do not keep serving:
// we log it and stop as gracefully as we can (releasing jobs, stopping PostgreSQL), exiting 1 for
// the process manager to restart us.
process.on("unhandledRejection", (reason) => {
  logger.error({ err: coerceError(reason) }, "unhandled promise rejection; still serving");
});
process.on("uncaughtException", (err, origin) => {
  logger.fatal({ err, origin }, "uncaught exception; stopping");
  if (stopping) return exitNow(1);
  shutdown("uncaught exception", 1);
});

// `npm start` runs us under `sh -c`: a SIGTERM to npm's pid ends npm and sh but never reaches us.
// When a package manager started us, its going away (our parent pid changes) stops us too.
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown("the npm process that started us has exited");
  }, PARENT_CHECK_MS).unref();
}

try {
  app = await startApp(config, logger);
  // without its database this process cannot serve: stop, exiting 1 so a process manager (or a
  // person) starts it again, which starts PostgreSQL again
  void app.db.lost?.then(() => {
    logger.fatal("the embedded PostgreSQL exited unexpectedly; stopping");
    shutdown("the embedded PostgreSQL exited", 1);
  });
  if (stopping) {
    const reason = stopping;
    stopping = undefined;
    shutdown(reason, Number(process.exitCode ?? 0));
  }
} catch (err) {
  logger.fatal({ err: coerceError(err) }, "could not start");
  process.exitCode = 1;
}
