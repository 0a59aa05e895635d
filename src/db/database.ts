import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { runMigrations } from "graphile-worker";
import pg from "pg";
import type { Config } from "../config.js";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embeddedPostgres.js";
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
      { dataDir: embedded.dataDir, port: config.embeddedPostgresPort, database: EMBEDDED_DATABASE },
      `embedded PostgreSQL ready on 127.0.0.1:${config.embeddedPostgresPort}, data in ${embedded.dataDir}`,
    );
  }
  try {
    await migrateDatabase(url, logger);
    return connect(url, logger, async () => embedded?.stop());
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
function connect(url: string, logger: Logger, onDispose: () => Promise<void>): Database {
  const pool = new pg.Pool({ connectionString: url, max: 20 });
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
