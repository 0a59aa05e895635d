import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { runMigrations } from "graphile-worker";
import pg from "pg";
import type { Config } from "../config.js";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embeddedPostgres.js";
import { UserError } from "../errors.js";
import { coerceError } from "../lib.js";
import { migrate } from "./migrate.js";

export { PrismaClient };

/** The database the embedded PostgreSQL holds our data in. */
const EMBEDDED_DATABASE = "xls_importer";

/**
 * Connections of the uploads' pool. Each upload takes one only for a moment per 1 MiB chunk (and
 * for the transaction that ends it), so a few carry many uploads at once.
 */
const UPLOAD_POOL_SIZE = 4;

/** How long `/readyz` waits for `select 1` before calling the database unreachable. */
const READY_TIMEOUT_MS = 2_000;

/** What `/readyz` reports: see {@link Database.readiness}. */
export type Readiness = "ready" | "database unreachable" | "pool busy";

/**
 * A migrated database and the pools of this process. Each part has a bounded pool of its own, so
 * none can starve another: slow uploads do not hold the API's connections, and the worker's long
 * import transactions neither hold them nor are cut short by the API's statement timeout. (The
 * job-events listener holds a client of its own, see jobEvents.ts.)
 */
export interface Database {
  url: string;
  /**
   * The API's pool (GraphQL, downloads): `DATABASE_POOL_SIZE` connections, each statement and idle
   * transaction cut at `STATEMENT_TIMEOUT_SECONDS`; a wait for a connection past
   * `DATABASE_POOL_WAIT_SECONDS` fails with {@link DatabaseBusyError}.
   */
  pool: pg.Pool;
  /** Prisma on the API's pool. */
  prisma: PrismaClient;
  /** The uploads' pool: the same timeouts as the API's, {@link UPLOAD_POOL_SIZE} connections. */
  uploadPool: pg.Pool;
  /**
   * graphile-worker's runner and the tasks: two connections per concurrent job (its transaction
   * and its progress updates) and a few for the runner, heartbeat and cron; no statement timeout,
   * as an import is one long transaction, and no wait timeout, as a job waits its turn.
   */
  worker: { pool: pg.Pool; prisma: PrismaClient };
  /**
   * Whether the API can serve: the database answers `select 1` on a connection of its own (so the
   * check never queues behind a busy pool), and no request is waiting for one of the API's.
   */
  readiness(): Promise<Readiness>;
  dispose(): Promise<void>;
  /**
   * Resolves if the embedded PostgreSQL exits by itself (killed, crashed) rather than through
   * `dispose`: this process cannot serve without it, and does not restart it.
   */
  lost: Promise<void> | undefined;
}

/**
 * DATABASE_BUSY, 503 over HTTP: every connection of a pool stayed busy for the whole wait. Thrown
 * by the pool's `connect` (and so by queries and Prisma, which pass it on unchanged).
 */
export class DatabaseBusyError extends UserError {
  constructor(waitSeconds: number) {
    super("DATABASE_BUSY", `The service is busy: no database connection came free within ${waitSeconds} s. Try again.`);
    this.extensions.http = { status: 503 };
  }
}

/**
 * Connects to `DATABASE_URL`, or starts the embedded PostgreSQL when it is unset; then applies our
 * migrations and graphile-worker's, so every role can start against an empty server.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  let embedded: EmbeddedPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(config.dataDir, "postgres"),
      port: config.embeddedPostgresPort,
      logger,
    });
    url = await ensureDatabase(embedded.url, EMBEDDED_DATABASE);
    logger.info(
      { dataDir: embedded.dataDir, port: embedded.port, database: EMBEDDED_DATABASE },
      `embedded PostgreSQL ready on 127.0.0.1:${embedded.port}, data in ${embedded.dataDir}`,
    );
  }
  try {
    await migrateDatabase(url, logger);
    let disposing = false;
    const { db, pools } = connect(url, config, logger, async () => {
      disposing = true;
      await embedded?.stop();
    });
    const never = new Promise<void>(() => undefined);
    const lost = embedded?.exited.then(() => {
      if (disposing) return never;
      // we do not restart it, so waiting for it would only slow the shutdown that follows
      for (const pool of pools) pool.stopWaiting();
    });
    return { ...db, lost };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

/** Applies our migrations, then graphile-worker's, to the database at `url`. */
export async function migrateDatabase(url: string, logger: Logger): Promise<void> {
  await migrate(url, logger);
  await runMigrations({ connectionString: url });
}

/** Opens the pools and Prisma clients on the (migrated) database at `url`; none connects until used. */
function connect(
  url: string,
  config: Config,
  logger: Logger,
  onDispose: () => Promise<void>,
): { db: Omit<Database, "lost">; pools: PatientPool[] } {
  const timeoutMs = config.statementTimeoutSeconds * 1000;
  const bounded = { statement_timeout: timeoutMs, idle_in_transaction_session_timeout: timeoutMs };
  const waitSeconds = config.databasePoolWaitSeconds;
  const pool = new PatientPool(
    { connectionString: url, max: config.databasePoolSize, ...bounded },
    logger,
    waitSeconds,
  );
  const uploadPool = new PatientPool({ connectionString: url, max: UPLOAD_POOL_SIZE, ...bounded }, logger, waitSeconds);
  const workerPool = new PatientPool({ connectionString: url, max: config.workerConcurrency * 2 + 4 }, logger);
  const pools = [pool, uploadPool, workerPool];
  for (const each of pools) {
    // an idle client's connection dropping (say, a PostgreSQL restart) must not crash the process
    each.on("error", (err) => logger.warn({ err }, "idle database connection failed"));
    each.on("connect", (client) => client.on("error", (err) => logger.warn({ err }, "database connection failed")));
  }
  const probe = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: READY_TIMEOUT_MS,
    query_timeout: READY_TIMEOUT_MS,
  });
  probe.on("error", () => undefined); // the next check reports it
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const workerPrisma = new PrismaClient({ adapter: new PrismaPg(workerPool) });
  const db: Omit<Database, "lost"> = {
    url,
    pool,
    prisma,
    uploadPool,
    worker: { pool: workerPool, prisma: workerPrisma },
    async readiness() {
      try {
        await probe.query("select 1");
      } catch {
        return "database unreachable";
      }
      return pool.waitingCount > 0 ? "pool busy" : "ready";
    },
    async dispose() {
      await Promise.all([prisma.$disconnect(), workerPrisma.$disconnect()]);
      await Promise.all([...pools, probe].map((each) => each.end()));
      await onDispose();
    },
  };
  return { db, pools };
}

/** How long a new connection is retried while the database cannot be reached (a restart, a failover). */
const RECONNECT_WINDOW_MS = 60_000;
const RECONNECT_MAX_DELAY_MS = 2_000;

/**
 * Errors that say the server cannot be reached or is not taking connections right now, as opposed
 * to a wrong password or a missing database: refused, reset, unresolvable, or PostgreSQL starting
 * up or shutting down (57P03) or terminating the backend as it shuts down (57P01).
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01",
  "57P03",
]);

function unavailable(err: unknown): boolean {
  const { code, message } = coerceError(err) as Error & { code?: string };
  return (code !== undefined && UNAVAILABLE_CODES.has(code)) || /Connection terminated/i.test(message);
}

/**
 * A pool whose new connections wait out a database that cannot be reached for up to
 * {@link RECONNECT_WINDOW_MS}, retrying with backoff, instead of failing at once.
 *
 * Why: while PostgreSQL restarts (a couple of seconds), everything that needs a connection would
 * otherwise fail, and some of those failures cannot be taken back. graphile-worker records a job's
 * end with an unawaited query that does not retry ECONNREFUSED: when it fails the job stays locked
 * by a worker that is alive and has forgotten it. A request or job that merely waits a moment
 * instead sees nothing of the restart. Everything goes through `connect` (`pool.query` too, and
 * Prisma's adapter and graphile-worker), so this is the one place to wait.
 *
 * A query on a connection that is open when the server goes away still fails: it may have been
 * half done, and only its caller knows whether to retry it (a job is retried by graphile-worker).
 *
 * A server that is merely busy is another matter: given `waitSeconds`, a wait for a connection
 * while all of them are in use ends after that long with {@link DatabaseBusyError}, so a request
 * is answered at once rather than queued behind every other one.
 */
class PatientPool extends pg.Pool {
  /**
   * The outage going on, if any: logged when it begins and when its error changes (shutting down,
   * refused, starting up), and once when it ends.
   */
  private outage: { since: number; code: string | undefined } | undefined;
  /** False once the server is known not to come back (our embedded PostgreSQL died). */
  private patient = true;

  constructor(
    config: pg.PoolConfig,
    private readonly logger: Logger,
    private readonly waitSeconds?: number,
  ) {
    // pg-pool times out both a wait in its queue and a connection attempt with this; the latter is
    // one more way of the server being unreachable, which is waited out below
    super(waitSeconds === undefined ? config : { ...config, connectionTimeoutMillis: waitSeconds * 1000 });
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(
    callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    const connected = this.connectPatiently();
    if (!callback) return connected;
    connected.then(
      (client) => callback(undefined, client, (release) => client.release(release as boolean | Error | undefined)),
      (err: Error) => callback(err, undefined, () => undefined),
    );
  }

  /** New connections fail at once from now on, as the server will not come back. */
  stopWaiting(): void {
    this.patient = false;
  }

  private async connectPatiently(): Promise<pg.PoolClient> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const client = await super.connect();
        if (this.outage) {
          this.logger.info({ downMs: Date.now() - this.outage.since }, "database reachable again");
          this.outage = undefined;
        }
        return client;
      } catch (err) {
        // pg-pool's words for a wait in its queue that timed out
        if (this.waitSeconds !== undefined && coerceError(err).message === "timeout exceeded when trying to connect") {
          throw new DatabaseBusyError(this.waitSeconds);
        }
        if (!unavailable(err) || this.ending || !this.patient || Date.now() - started >= RECONNECT_WINDOW_MS) {
          throw err;
        }
        const error = coerceError(err) as Error & { code?: string };
        if (!this.outage || this.outage.code !== error.code) {
          this.outage ??= { since: Date.now(), code: error.code };
          this.outage.code = error.code;
          this.logger.warn(
            { err: error },
            `database unreachable (${error.message}); new connections wait for it for up to ${RECONNECT_WINDOW_MS / 1000} s`,
          );
        }
        // exponential with jitter, so the processes sharing a server do not knock all at once
        const delay = Math.min(RECONNECT_MAX_DELAY_MS, 50 * 2 ** attempt) * (0.5 + Math.random() / 2);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

/** Creates `name` on the server behind `adminUrl` unless it exists; returns its connection string. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
