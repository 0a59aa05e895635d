/**
 * `npm run bench`: every scenario of issue 14, each beside a baseline measured in the same run.
 *
 *   npm run bench                      1M rows, a 100 MiB upload, 1,000 subscribers
 *   npm run bench -- --quick           100k rows, meant to finish in under 3 minutes
 *   npm run bench -- import-csv …      only the scenarios named
 *   --rows N, --upload-mb N, --subscribers N override the sizes.
 *
 * The server runs as its own process (`node --import tsx src/main.ts`) on a scratch database, on
 * DATABASE_URL's server when set, else on an embedded PostgreSQL started for the run; this process
 * is the client, through the public API only. Results go to bench/results/<scenario>.json.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { ensureDatabase } from "../src/db/database.js";
import { startEmbeddedPostgres } from "../src/db/embeddedPostgres.js";
import { createLogger } from "../src/logger.js";
import { exportXlsx } from "./exportXlsx.js";
import { startServer, writeResult, machine, type Scenario, type Sizes } from "./harness.js";
import { importCsv } from "./importCsv.js";
import { importSharedStrings } from "./importSharedStrings.js";
import { importXlsx } from "./importXlsx.js";
import { subscriptionsFanOut, subscriptionsManyJobs } from "./subscriptions.js";
import { taskStart } from "./taskStart.js";
import { upload } from "./upload.js";

const SCENARIOS: Scenario[] = [
  importXlsx,
  importSharedStrings,
  importCsv,
  upload,
  exportXlsx,
  subscriptionsFanOut,
  subscriptionsManyJobs,
  taskStart,
];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: "boolean", default: false },
    rows: { type: "string" },
    "upload-mb": { type: "string" },
    subscribers: { type: "string" },
  },
});
const sizes: Sizes = {
  rows: Number(values.rows ?? (values.quick ? 100_000 : 1_000_000)),
  uploadBytes: Number(values["upload-mb"] ?? 100) * 1024 * 1024,
  subscribers: Number(values.subscribers ?? 1_000),
};
const unknown = positionals.filter((name) => !SCENARIOS.some((scenario) => scenario.name === name));
if (unknown.length) {
  console.error(`unknown scenario ${unknown.join(", ")}; the scenarios: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  process.exit(2);
}
const selected = positionals.length ? SCENARIOS.filter((s) => positionals.includes(s.name)) : SCENARIOS;

const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "xls-importer-bench-"));
let adminUrl = process.env.DATABASE_URL;
let stopPostgres = async () => {};
if (!adminUrl) {
  // durable settings, as `npm start` runs it (an ephemeral cluster would skip fsync)
  const embedded = await startEmbeddedPostgres({
    dataDir: path.join(tmpDir, "postgres"),
    port: 54398,
    logger: createLogger("warn"),
  });
  adminUrl = embedded.url;
  stopPostgres = async () => {
    await embedded.stop();
    fs.rmSync(embedded.dataDir, { recursive: true, force: true });
  };
}
const dbName = `xls_importer_bench_${randomBytes(4).toString("hex")}`;
const databaseUrl = await ensureDatabase(adminUrl, dbName);
const server = await startServer(databaseUrl);
try {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const postgresVersion = (await db.query<{ server_version: string }>("show server_version")).rows[0]!.server_version;
  await db.end();
  const m = machine(postgresVersion);
  console.log(
    `${m.cores} cores (${m.model}), ${m.memory}, node ${m.node}, PostgreSQL ${m.postgres}; ` +
      `server and client in separate processes\n`,
  );
  // a scenario that fails (an import the server could not finish, say) is a result too: the
  // others still run, and the run exits 1
  for (const scenario of selected) {
    try {
      writeResult(scenario.name, postgresVersion, await scenario.run({ server, databaseUrl, sizes, tmpDir }));
    } catch (err) {
      console.error(`${scenario.name} failed: ${(err as Error).message}\n`);
      writeResult(scenario.name, postgresVersion, { sizes, error: (err as Error).message });
      process.exitCode = 1;
    }
  }
} finally {
  await server.stop();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database ${admin.escapeIdentifier(dbName)} with (force)`);
  await admin.end();
  await stopPostgres();
  fs.rmSync(tmpDir, { recursive: true, force: true });
}
