import type { AddressInfo } from "node:net";
import type { Runner } from "graphile-worker";
import type { Config } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import type { Logger } from "./logger.js";
import { JobEvents } from "./realtime/jobEvents.js";
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
   * Graceful shutdown: stop accepting connections, close sockets, let running jobs finish (or
   * release them), then close the database and stop the embedded PostgreSQL.
   */
  stop(): Promise<void>;
}

/**
 * Starts what `config.role` asks for against a migrated database. Nothing listens until this is
 * called; each started part registers its own disposer, run in reverse order by `stop()`.
 */
export async function startApp(config: Config, logger: Logger): Promise<App> {
  const disposers: Array<() => Promise<void> | void> = [];
  const stop = async () => {
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

    let url: string | undefined;
    let fetchInProcess: App["fetch"];
    if (config.role !== "worker") {
      const jobEvents = await JobEvents.start(db.url, db.prisma, logger);
      disposers.push(() => jobEvents.dispose());
      const yoga = createGraphQL(config, db, jobEvents, logger);
      const server = createHttpServer(yoga, db, logger, config);
      const ws = attachGraphqlWs(server, yoga, db);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(config.port, config.host, resolve);
      });
      disposers.push(async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await ws.dispose();
        server.closeIdleConnections();
        // in-flight requests get a moment to finish; SSE streams never do, so they are cut after it
        const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        await closed;
        clearTimeout(cut);
      });
      const { port } = server.address() as AddressInfo;
      url = `http://localhost:${port}${yoga.graphqlEndpoint}`;
      fetchInProcess = async (request) => yoga.fetch(request);
      logger.info({ url }, `GraphQL (GraphiQL, graphql-ws, SSE) at ${url}`);
    }

    let runner: Runner | undefined;
    if (config.role !== "api") {
      runner = await startWorker(config, db, logger);
      disposers.push(() => runner?.stop());
      logger.info({ concurrency: config.workerConcurrency }, "worker started");
    }
    return { url, fetch: fetchInProcess, db, worker: runner, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
