import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { runMigrations } from "graphile-worker";
import pg from "pg";
import type { Config } from "../config.js";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embeddedPostgres.js";
import { coerceError } from "../lib.js";
import { migrate } from "./migrate.js";

export { PrismaClient };

/** The database the embedded PostgreSQL holds our data in. */
const EMBEDDED_DATABASE = "xls_importer";

/** A migrated database and the connections every part of the service shares. */
export interface Database {
  url: string;
  /** Pool for graphile-worker and raw SQL. */
  pool: pg.Pool;
  prisma: PrismaClient;
  dispose(): Promise<void>;
  /**
   * Resolves if the embedded PostgreSQL exits by itself (killed, crashed) rather than through
   * `dispose`: this process cannot serve without it, and does not restart it.
   */
  lost: Promise<void> | undefined;
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
    const db = connect(url, logger, async () => {
      disposing = true;
      await embedded?.stop();
    });
    const never = new Promise<void>(() => undefined);
    const lost = embedded?.exited.then(() => {
      if (disposing) return never;
      // we do not restart it, so waiting for it would only slow the shutdown that follows
      (db.pool as PatientPool).stopWaiting();
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

/** Opens the shared pool and Prisma client on the (migrated) database at `url`. */
function connect(url: string, logger: Logger, onDispose: () => Promise<void>): Omit<Database, "lost"> {
  const pool = new PatientPool({ connectionString: url, max: 20 }, logger);
  // an idle client's connection dropping (say, a PostgreSQL restart) must not crash the process
  pool.on("error", (err) => logger.warn({ err }, "idle database connection failed"));
  pool.on("connect", (client) => client.on("error", (err) => logger.warn({ err }, "database connection failed")));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    url,
    pool,
    prisma,
    async dispose() {
      await prisma.$disconnect();
      await pool.end();
      await onDispose();
    },
  };
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
  ) {
    super(config);
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
