/**
 * `npm run bench`: every benchmark, each side by side with a baseline measured in the same run.
 *
 * BENCH_ROWS (default 100000) sets the import size; DATABASE_URL, if set, is used instead of an
 * embedded PostgreSQL (a scratch database is created on it and dropped afterwards).
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { ensureDatabase } from "../src/db/database.js";
import { startEmbeddedPostgres } from "../src/db/embeddedPostgres.js";
import { createLogger } from "../src/logger.js";
import { importThroughput } from "./importThroughput.js";
import { subscriptionLatency } from "./subscriptionLatency.js";

const logger = createLogger("silent");
const dir = await fs.mkdtemp(path.join(os.tmpdir(), "xls-importer-bench-"));
let stopDatabase: () => Promise<void> = async () => undefined;
let adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: 54399, logger, ephemeral: true });
  adminUrl = embedded.url;
  stopDatabase = () => embedded.stop();
}
const dbName = `xls_importer_bench_${randomBytes(4).toString("hex")}`;
const url = await ensureDatabase(adminUrl, dbName);
const app = await startApp(
  loadConfig({ DATABASE_URL: url, PORT: "0", HOST: "127.0.0.1", MAX_UPLOAD_BYTES: String(1024 ** 3) }, []),
  logger,
);
try {
  const { rows } = await app.db.pool.query<{ server_version: string }>("show server_version");
  console.log(
    `node ${process.version}, PostgreSQL ${rows[0]!.server_version}, ${os.cpus().length} cores, server and clients in one process\n`,
  );
  await importThroughput(app, url, dir);
  await subscriptionLatency(app, url);
} finally {
  await app.stop();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database ${admin.escapeIdentifier(dbName)} with (force)`);
  await admin.end();
  await stopDatabase();
  await fs.rm(dir, { recursive: true, force: true });
}
