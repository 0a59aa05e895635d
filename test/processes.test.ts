import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "./helpers/database.js";
import { freePort } from "./helpers/freePort.js";
import { startService, type Service } from "./helpers/service.js";
import { orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { CreateTemplate, LogIn, SignUp } from "./operations.js";

/**
 * These tests start Node processes (and PostgreSQL, initdb included) from cold and import 60,000
 * rows: on a busy 2-core machine that takes longer than vitest's default 30 s. Each still ends on
 * an awaited event; this only bounds a hang.
 */
const PROCESS_TEST_TIMEOUT_MS = 180_000;

const leftovers: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const dispose of leftovers.splice(0).reverse()) await dispose();
});

function start(args: string[], env: NodeJS.ProcessEnv): Service {
  const service = startService(args, env);
  leftovers.push(() => service.stop("SIGKILL"));
  return service;
}

const isListening = (line: { msg: string }) => line.msg.startsWith("GraphQL");
const isWorking = (line: { msg: string }) => line.msg.startsWith("Worker connected");

async function graphql<R, V>(url: string, document: TypedDocumentNode<R, V>, variables: V, token?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as ExecutionResult<R>;
}

/** An API process and a worker process on a fresh database of their own, both ready. */
async function startApiAndWorker() {
  const database = await createTestDatabase();
  leftovers.push(() => database.drop());
  const env = { DATABASE_URL: database.url, PORT: "0", HOST: "127.0.0.1" };
  const api = start(["--role", "api"], env);
  const worker = start(["--role", "worker"], env);
  const url = (await api.waitForLine(isListening)).url as string;
  await worker.waitForLine(isWorking);
  return { database, api, worker, url };
}

describe("roles", () => {
  it(
    "runs the API and the worker as separate processes against one database",
    async () => {
      const { database, api, worker, url } = await startApiAndWorker();

      expect((await fetch(url.replace("/graphql", "/readyz"))).status).toBe(200);
      const signUp = await graphql(url, SignUp, { email: "roles@example.com", password: "long enough" });
      expect(signUp.errors).toBeUndefined();

      // a job the API side enqueues in SQL is run by the worker process
      const sql = new pg.Client({ connectionString: database.url });
      await sql.connect();
      leftovers.push(() => sql.end());
      await sql.query("update sessions set expires_at = now() - interval '1 minute'");
      await sql.query("select graphile_worker.add_job('purgeExpiredSessions')");
      await worker.waitForLine((line) => line.msg === "purged 1 expired session(s)");
      expect((await sql.query("select count(*)::int as n from sessions")).rows[0].n).toBe(0);

      expect(api.lines.some(isWorking)).toBe(false);
      expect(worker.lines.some(isListening)).toBe(false);

      const [apiCode, workerCode] = await Promise.all([api.stop(), worker.stop()]);
      expect([apiCode, workerCode]).toEqual([0, 0]);
      expect(api.lines.at(-1)?.msg).toBe("stopped");
      expect(worker.lines.at(-1)?.msg).toBe("stopped");
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});

describe("graceful shutdown", () => {
  it(
    "lets a running import finish before a SIGTERMed worker exits",
    async () => {
      const { database, worker, url } = await startApiAndWorker();

      const { token } = (await graphql(url, SignUp, { email: "drain@example.com", password: "long enough" })).data!
        .signUp;
      const template = await graphql(url, CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
      const csv = ["Name,Unit Price", ...Array.from({ length: 60_000 }, (_, i) => `Item ${i},${i}`)].join("\n");
      const started = await uploadFile(
        { url },
        token,
        template.data!.createImportTemplate.id,
        Buffer.from(csv),
        "a.csv",
      );
      const id = started.data!.startImport.id;
      await waitForImport(database.url, id, (row) => row.status === "PROCESSING");

      expect(await worker.stop("SIGTERM")).toBe(0);
      const after = await waitForImport(database.url, id, () => true);
      expect(after).toMatchObject({ status: "COMPLETED", rows_imported: 60_000 });
      const messages = worker.lines.map((line) => line.msg);
      expect(messages.indexOf("shutting down gracefully")).toBeLessThan(messages.indexOf("stopped"));
      expect(messages.at(-1)).toBe("stopped");
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});

describe("with no DATABASE_URL", () => {
  it(
    "starts an embedded PostgreSQL whose data survives a restart",
    async () => {
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "xls-importer-start-"));
      leftovers.push(() => fs.rm(dataDir, { recursive: true, force: true }));
      const env = {
        DATABASE_URL: "",
        DATA_DIR: dataDir,
        EMBEDDED_POSTGRES_PORT: String(await freePort()),
        PORT: "0",
        HOST: "127.0.0.1",
      };

      const first = start([], env);
      const ready = await first.waitForLine((line) => line.msg.startsWith("embedded PostgreSQL ready"));
      expect(ready.port).toBe(Number(env.EMBEDDED_POSTGRES_PORT));
      // as root, a data folder the postgres user cannot reach is placed elsewhere (and logged): remove it too
      const placed = ready.dataDir as string;
      if (!placed.startsWith(dataDir))
        leftovers.push(() => fs.rm(path.dirname(placed), { recursive: true, force: true }));
      const url = (await first.waitForLine(isListening)).url as string;
      await first.waitForLine(isWorking);
      const signUp = await graphql(url, SignUp, { email: "persist@example.com", password: "long enough" });
      expect(signUp.errors).toBeUndefined();
      expect(await first.stop("SIGINT")).toBe(0);

      const second = start([], env);
      const url2 = (await second.waitForLine(isListening)).url as string;
      const logIn = await graphql(url2, LogIn, { email: "persist@example.com", password: "long enough" });
      expect(logIn.data?.logIn.user.email).toBe("persist@example.com");
      expect(await second.stop()).toBe(0);
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
