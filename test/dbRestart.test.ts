import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../src/db/embeddedPostgres.js";
import { createLogger } from "../src/logger.js";
import { freePort } from "./helpers/freePort.js";
import { orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { spawnServer, stopAllServers, type LogLine } from "./helpers/processes.js";
import { subscribe } from "./helpers/subscriptions.js";
import { CreateTemplate, JobStatusSubscription, Me, SignUp } from "./operations.js";
import { until } from "./helpers/until.js";

/**
 * Starts PostgreSQL (initdb included) and two Node processes from cold, and imports 100,000 rows
 * twice over (the run the restart kills, then its retry): on a busy 2-core machine that takes far
 * longer than vitest's default. Each step still ends on an awaited event; this only bounds a hang.
 */
const RESTART_TEST_TIMEOUT_MS = 110_000;
const ROWS = 100_000;

const leftovers: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  await stopAllServers();
  for (const dispose of leftovers.splice(0).reverse()) await dispose();
});

/** A PostgreSQL of the test's own, which it may stop and start again on the same data and port. */
async function ownPostgres() {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "xls-importer-restart-"));
  leftovers.push(() => fs.rm(dataDir, { recursive: true, force: true }));
  const options = { dataDir, port: await freePort(), logger: createLogger("silent") };
  let server: EmbeddedPostgres = await startEmbeddedPostgres(options);
  // as root, a folder the postgres user cannot reach is placed elsewhere: remove that one too
  if (!server.dataDir.startsWith(dataDir))
    leftovers.push(() => fs.rm(path.dirname(server.dataDir), { recursive: true, force: true }));
  leftovers.push(() => server.stop());
  return {
    url: server.url,
    stop: () => server.stop(),
    async start() {
      server = await startEmbeddedPostgres(options);
    },
  };
}

function csv(rows: number): Buffer {
  const lines = ["Name,Quantity,Unit Price"];
  for (let i = 0; i < rows; i++) lines.push(`Item ${i},${i},${i / 100}`);
  return Buffer.from(lines.join("\n"));
}

const refused = (line: LogLine) =>
  line.msg.startsWith("database unreachable") && (line.err as { code?: string } | undefined)?.code === "ECONNREFUSED";

describe("a PostgreSQL restart", () => {
  it(
    "mid-import leaves both processes running; the import completes with every row, and requests wait it out",
    async () => {
      const postgres = await ownPostgres();
      const env = { DATABASE_URL: postgres.url, WORKER_CONCURRENCY: "2" };
      // one after the other: the first to start migrates the new database
      const api = await spawnServer({ env, role: "api" });
      const worker = await spawnServer({ env, role: "worker" });
      // either process dying fails the test at once, with its output
      const died = Promise.race(
        [api, worker].map((server) =>
          server.exited.then((exit) => {
            throw new Error(`a server exited (${JSON.stringify(exit)}):\n${server.output}`);
          }),
        ),
      );
      died.catch(() => undefined); // the servers' ends, when the test stops them

      const me = (await api.request(SignUp, { email: "restart@example.com", password: "long enough" })).data!.signUp;
      const template = await api.request(
        CreateTemplate,
        { input: { name: "Orders", columns: orderColumns } },
        me.token,
      );
      const started = await uploadFile(
        { url: api.url! },
        me.token,
        template.data!.createImportTemplate.id,
        csv(ROWS),
        "orders.csv",
      );
      expect(started.errors).toBeUndefined();
      const id = started.data!.startImport.id;
      const watcher = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });

      // the run is held mid-import, its first batch of records waiting for a lock the test holds
      const holder = new pg.Client({ connectionString: postgres.url });
      holder.on("error", () => undefined); // the restart ends it
      await holder.connect();
      leftovers.push(() => holder.end().catch(() => undefined));
      await holder.query("begin; lock table records in share mode");
      await until(
        "the import to wait for the lock",
        async () =>
          (await holder.query("select 1 from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))"))
            .rowCount === 1,
        60_000,
      );
      await watcher.waitFor((r) => r.data?.jobStatus.status === "PROCESSING");

      // down until the worker, whose run just lost its connection, has been refused a new one
      await postgres.stop();
      // a request while the database is down waits for it rather than failing
      const asked = api.request(Me, {}, me.token);
      await Promise.race([worker.waitForLog(refused), died]);
      await api.waitForLog(refused);
      await postgres.start();
      expect(await asked).toEqual({ data: { me: { id: me.user.id, email: "restart@example.com" } } });

      const done = await Promise.race([
        waitForImport(postgres.url, id, (row) => row.status !== "PROCESSING" && row.status !== "PENDING", 90_000),
        died,
      ]);
      expect(done).toMatchObject({ status: "COMPLETED", rows_imported: ROWS, rows_failed: 0 });
      expect(done.attempts).toBeGreaterThanOrEqual(2);
      const sql = new pg.Client({ connectionString: postgres.url });
      await sql.connect();
      try {
        const { rows } = await sql.query("select count(*)::int as n from records where import_id = $1", [id]);
        expect(rows[0].n).toBe(ROWS);
      } finally {
        await sql.end();
      }

      const last = await watcher.waitFor((r) => r.data?.jobStatus.status === "COMPLETED");
      expect(last.data?.jobStatus).toMatchObject({ rowsImported: ROWS, rowsFailed: 0 });
      await watcher.done;

      expect(api.logs.some((line) => line.msg === "job events: LISTEN connection back")).toBe(true);
      // both processes lived through it, and stop cleanly
      expect(worker.proc.exitCode).toBeNull();
      expect(api.proc.exitCode).toBeNull();
      expect(await worker.stop()).toEqual({ code: 0, signal: null });
      expect(await api.stop()).toEqual({ code: 0, signal: null });
    },
    RESTART_TEST_TIMEOUT_MS,
  );
});
