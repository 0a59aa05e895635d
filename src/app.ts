import type { AddressInfo } from "node:net";
import type { Runner } from "graphile-worker";
import type pg from "pg";
import type { Config } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import type { Logger } from "./logger.js";
import { createMetrics } from "./metrics/createMetrics.js";
import { startMetricsServer } from "./metrics/startMetricsServer.js";
import { JobEvents } from "./realtime/jobEvents.js";
import { LiveSessions } from "./realtime/liveSessions.js";
import { ConnectionLimits } from "./server/connectionLimits.js";
import { attachGraphqlWs } from "./server/graphqlWs.js";
import { createHttpServer } from "./server/httpServer.js";
import { createGraphQL } from "./server/yoga.js";
import { startWorker } from "./worker/startWorker.js";
import { coerceError } from "./lib.js";

/** How long in-flight HTTP requests may take to finish once shutdown starts. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface App {
  /** The GraphQL endpoint's URL, when this process serves HTTP. */
  url: string | undefined;
  /**
   * Answers a request to the GraphQL endpoint in-process, as the socket would (no socket, so no
   * multipart uploads), when this process serves HTTP: for tests that are not about HTTP itself.
   */
  fetch: ((request: Request) => Promise<Response>) | undefined;
  db: Database;
  /** The graphile-worker runner, when this process runs jobs. */
  worker: Runner | undefined;
  /**
   * Graceful shutdown: stop accepting connections and jobs; let running jobs finish for up to
   * `config.shutdownGraceSeconds`, then release them; close sockets (1001); then close the database
   * and stop the embedded PostgreSQL.
   */
  stop(): Promise<void>;
}

/**
 * Starts what `config.role` asks for against a migrated database. Nothing listens until this is
 * called; each started part registers its own disposer, run in reverse order by `stop()`.
 */
export async function startApp(config: Config, logger: Logger): Promise<App> {
  // shutdown runs in two phases: every part stops taking new work at once (`halts`, in order), then
  // each is disposed in reverse order of start, so jobs drain while sockets still carry their
  // events, and the database (the embedded PostgreSQL with it) goes last
  const halts: Array<() => void> = [];
  const disposers: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const halt of halts.splice(0)) halt();
    for (const dispose of disposers.splice(0).reverse()) {
      try {
        await dispose();
      } catch (err) {
        logger.error({ err: coerceError(err) }, "error during shutdown");
      }
    }
  };
  try {
    const db = await openDatabase(config, logger);
    disposers.push(() => db.dispose());
    const metrics = createMetrics(db, logger);
    // its own port, for a worker (no HTTP otherwise); closed after the rest, so a drain can be watched
    if (config.metricsPort !== undefined) {
      const metricsServer = await startMetricsServer(metrics, config, logger);
      disposers.push(() => metricsServer.dispose());
    }

    let url: string | undefined;
    let fetchInProcess: App["fetch"];
    if (config.role !== "worker") {
      const sessions = new LiveSessions(db.prisma, logger);
      disposers.push(() => sessions.dispose());
      const jobEvents = await JobEvents.start(db.url, db.prisma, logger, sessions);
      disposers.push(() => jobEvents.dispose());
      const limits = new ConnectionLimits(config);
      const yoga = createGraphQL(config, db, jobEvents, logger, sessions, limits);
      const server = createHttpServer(yoga, db, logger, config, limits, metrics);
      const ws = attachGraphqlWs(server, yoga, db, sessions, limits);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, resolve);
      });
      let closed: Promise<void> | undefined;
      halts.push(() => {
        closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
      });
      disposers.push(async () => {
        await ws.dispose(); // 1001 Going Away: clients reconnect to another API process
        // in-flight requests get a moment to finish; SSE streams never do, so they are cut after it
        const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(cut);
        logger.info("HTTP server and sockets closed");
      });
      const { port } = server.address() as AddressInfo;
      url = `http://localhost:${port}${yoga.graphqlEndpoint}`;
      fetchInProcess = async (request) => yoga.fetch(request);
      logger.info({ url }, `GraphQL (GraphiQL, graphql-ws, SSE) at ${url}`);
    }

    let runner: Runner | undefined;
    if (config.role !== "api") {
      const started = await startWorker(config, db, logger);
      runner = started;
      // graphile-worker locks a job with its pool's id: remembered, to release the jobs of a shutdown
      const poolIds = new Set<string>();
      started.events.on("job:start", ({ worker }) => poolIds.add(worker.workerPool.id));
      let stopping: Promise<void> | undefined;
      halts.push(() => (stopping = started.stop()));
      disposers.push(() =>
        drainWorker(started, stopping ?? started.stop(), {
          graceSeconds: config.shutdownGraceSeconds,
          pool: db.worker.pool,
          poolIds,
          logger,
        }),
      );
      logger.info({ concurrency: config.workerConcurrency }, "worker started");
    }
    return { url, fetch: fetchInProcess, db, worker: runner, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Waits for the jobs running when `stopping` began to finish, for up to `graceSeconds`. Jobs still
 * running then are released with graphile-worker's `force_unlock_workers`, so another worker, or
 * this one's next start, runs them again at once. (graphile-worker's own graceful shutdown waits
 * for them however long they take, and its forceful one, once the graceful one has begun, no
 * longer sees them.) A run left behind here cannot save anything twice: `runJob` takes an advisory
 * lock per import or export, and a row finished by one run is skipped by the other.
 */
async function drainWorker(
  runner: Runner,
  stopping: Promise<void>,
  options: { graceSeconds: number; pool: pg.Pool; poolIds: ReadonlySet<string>; logger: Logger },
) {
  const { graceSeconds, pool, poolIds, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<"expired">(
    (resolve) => (timer = setTimeout(() => resolve("expired"), graceSeconds * 1000)),
  );
  const drained = stopping.then(
    () => "drained" as const,
    (err: unknown) => {
      logger.error({ err: coerceError(err) }, "the worker did not stop cleanly");
      return "drained" as const;
    },
  );
  const outcome = await Promise.race([drained, expired]);
  clearTimeout(timer);
  if (outcome === "drained") {
    logger.info("worker stopped: no job is running");
    return;
  }
  logger.warn({ graceSeconds }, `jobs still running after ${graceSeconds} s; releasing them for another worker`);
  await pool.query("select graphile_worker.force_unlock_workers($1::text[])", [[...poolIds]]);
  // and ends what is left of the pool (its heartbeat included) without waiting for those runs
  await runner.kill("shutdown grace period over");
  logger.info("worker stopped: running jobs released");
}
