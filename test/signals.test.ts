import { once } from "node:events";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { freePort } from "./helpers/freePort.js";
import { orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { spawnServer, stopAllServers, type LogLine, type Server } from "./helpers/processes.js";
import { CreateTemplate, SignUp } from "./operations.js";

/**
 * Real processes, real signals, and the embedded PostgreSQL (in a temp DATA_DIR, on a free port),
 * as `npm start` runs them. Four starts in all, on one cluster (initialised once): each start
 * takes a few seconds, more on a busy 2-core machine, so this bounds a hang, not a step.
 */
const TEST_TIMEOUT_MS = 110_000;
/** How long a process may take to go once it has been told to; polled, since it is not our child. */
const GONE_TIMEOUT_MS = 30_000;
const ROWS = 100_000;

let dataDir: string;
/** Where the cluster really lives: as root, a folder the postgres user can reach (see postgresDataDir). */
let clusterDir: string | undefined;
let env: NodeJS.ProcessEnv;
/** Every PostgreSQL seen, stopped after the file should a failed test leave one behind. */
const postmasters = new Set<number>();

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "xls-importer-signals-"));
  env = { DATABASE_URL: "", DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(await freePort()) };
});

afterEach(async () => {
  await stopAllServers();
});

afterAll(async () => {
  for (const pid of postmasters) if (alive(pid)) process.kill(pid, "SIGINT");
  await Promise.all([...postmasters].map((pid) => waitUntilGone(pid)));
  await fs.rm(dataDir, { recursive: true, force: true });
  if (clusterDir && !clusterDir.startsWith(dataDir)) {
    await fs.rm(path.dirname(clusterDir), { recursive: true, force: true });
  }
});

/** True while `pid` runs (a zombie, ended but not yet reaped by whoever adopted it, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return true; // no /proc: kill(pid, 0) has the last word
  }
}

/** Resolves once `pid` has gone; rejects if it is still there after GONE_TIMEOUT_MS. */
async function waitUntilGone(pid: number): Promise<void> {
  const deadline = Date.now() + GONE_TIMEOUT_MS;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} is still running`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for the server's embedded PostgreSQL; returns its postmaster's pid and a URL for our database. */
async function embeddedOf(server: Server): Promise<{ pid: number; url: string; port: number }> {
  const ready = await server.waitForLog(/^embedded PostgreSQL ready/);
  clusterDir = ready.dataDir as string;
  const pid = Number(readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[0]);
  postmasters.add(pid);
  // the port PostgreSQL itself wrote down: the one asked for, or the free one taken instead
  const port = Number(readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n")[3]);
  const password = readFileSync(path.join(clusterDir, "xls-importer.password"), "utf8").trim();
  return { pid, port, url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/xls_importer` };
}

const nodePid = (server: Server) => server.logs.find((line) => line.msg.startsWith("starting xls-importer"))!.pid;

/** `npm start`, as a person or a process manager runs it, leading a process group of its own. */
const npmStart = (extra: NodeJS.ProcessEnv = {}) =>
  spawnServer({ command: ["npm", "start", "--"], env: { ...env, ...extra }, detached: true });

const index = (logs: LogLine[], match: RegExp) => logs.findIndex((line) => match.test(line.msg));

describe("the embedded PostgreSQL", () => {
  it(
    "left running by a server killed with SIGKILL is stopped by the next start, which takes a free port when its own is taken; a second signal stops it too",
    async () => {
      const first = await spawnServer({ env });
      const stale = await embeddedOf(first);
      first.proc.kill("SIGKILL");
      await first.exited;
      // in a process group of its own, nothing took it down with the server: it is orphaned
      expect(alive(stale.pid)).toBe(true);

      const holder = net.createServer();
      await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
      const taken = (holder.address() as net.AddressInfo).port;
      try {
        const second = await spawnServer({ env: { ...env, EMBEDDED_POSTGRES_PORT: String(taken) } });
        const stopping = await second.waitForLog(/^stopping a stale embedded PostgreSQL/);
        expect(stopping.pid).toBe(stale.pid);
        expect(alive(stale.pid)).toBe(false);
        const moved = await second.waitForLog(/for the embedded PostgreSQL is taken/);
        const fresh = await embeddedOf(second);
        expect(moved).toMatchObject({ taken, port: fresh.port });
        expect(fresh.port).not.toBe(taken);
        expect(moved.msg).toBe(`port ${taken} for the embedded PostgreSQL is taken; using ${fresh.port} instead`);

        // it serves, on the same data
        const signUp = await second.request(SignUp, { email: "stale@example.com", password: "long enough" });
        expect(signUp.errors).toBeUndefined();

        // an impatient second signal exits at once, and still takes PostgreSQL down on the way out
        second.proc.kill("SIGTERM");
        second.proc.kill("SIGINT");
        expect(await second.exited).toEqual({ code: 1, signal: null });
        expect(second.logs.map((line) => line.msg)).toContain("second signal: exiting now");
        expect(second.logs.map((line) => line.msg)).not.toContain("stopped");
        await waitUntilGone(fresh.pid);
      } finally {
        holder.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});

describe("an embedded PostgreSQL that dies", () => {
  it(
    "stops the server, which exits 1 for its process manager to start it again",
    async () => {
      const server = await spawnServer({ env });
      const postgres = await embeddedOf(server);
      process.kill(postgres.pid, "SIGKILL");
      expect(await server.exited).toEqual({ code: 1, signal: null });
      const messages = server.logs.map((line) => line.msg);
      expect(messages).toContain("the embedded PostgreSQL exited unexpectedly; stopping");
      expect(messages).not.toContain("shutdown is taking too long; exiting now");
      // the next start runs on the same data
      const next = await spawnServer({ env });
      const signUp = await next.request(SignUp, { email: "again@example.com", password: "long enough" });
      expect(signUp.errors).toBeUndefined();
      await next.stop("SIGTERM");
    },
    TEST_TIMEOUT_MS,
  );
});

describe("npm start", () => {
  it(
    "stops in order on a Ctrl+C mid-import, releasing the job, which the next start completes; SIGTERM to npm's pid then leaves no process behind",
    async () => {
      // no grace: the running import is released at once, for the next start to run again
      const first = await npmStart({ SHUTDOWN_GRACE_SECONDS: "0" });
      const firstPostgres = await embeddedOf(first);
      const firstNode = nodePid(first);

      const signUp = await first.request(SignUp, { email: "signals@example.com", password: "long enough" });
      const token = signUp.data!.signUp.token;
      const template = await first.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
      const csv = ["Name,Unit Price", ...Array.from({ length: ROWS }, (_, i) => `Item ${i},${i}`)].join("\n");
      const started = await uploadFile(
        { url: first.url! },
        token,
        template.data!.createImportTemplate.id,
        Buffer.from(csv),
        "orders.csv",
      );
      const id = started.data!.startImport.id;
      await waitForImport(firstPostgres.url, id, (row) => row.status === "PROCESSING");

      // a graphql-ws client, told to go elsewhere when the server stops
      const socket = new WebSocket(first.url!.replace(/^http/, "ws"), "graphql-transport-ws");
      await once(socket, "open");
      socket.send(JSON.stringify({ type: "connection_init" }));
      await once(socket, "message");
      const socketClosed = once(socket, "close") as Promise<[number, Buffer]>;

      // Ctrl+C: the terminal signals the whole foreground group (npm, sh, node), not PostgreSQL
      first.signalGroup("SIGINT");
      await first.exited;
      expect((await socketClosed)[0]).toBe(1001);
      await waitUntilGone(firstNode as number);
      expect(alive(firstPostgres.pid)).toBe(false);

      const logs = first.logs;
      const order = [
        /^shutting down gracefully$/,
        /^jobs still running after 0 s; releasing them for another worker$/,
        /^worker stopped: running jobs released$/,
        /^HTTP server and sockets closed$/,
        /^embedded PostgreSQL stopped$/,
        /^stopped$/,
      ].map((match) => index(logs, match));
      expect(order.every((at) => at >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(logs.at(-1)?.msg).toBe("stopped");
      expect(logs.filter((line) => line.msg === "second signal: exiting now")).toEqual([]);

      const second = await npmStart();
      const secondPostgres = await embeddedOf(second);
      const secondNode = nodePid(second) as number;
      const done = await waitForImport(secondPostgres.url, id, (row) => row.status === "COMPLETED", 60_000);
      expect(done.rows_imported).toBe(ROWS);
      // released at shutdown: not left locked for the dead-worker sweep to find
      expect(second.logs.filter((line) => /dead worker/.test(line.msg))).toEqual([]);
      const sql = new pg.Client({ connectionString: secondPostgres.url });
      await sql.connect();
      try {
        const { rows } = await sql.query("select count(*)::int as n from records where import_id = $1", [id]);
        expect(rows[0].n).toBe(ROWS);
      } finally {
        await sql.end();
      }

      // a process manager's SIGTERM goes to npm's pid alone: npm and sh end, and node must notice
      second.proc.kill("SIGTERM");
      await waitUntilGone(secondNode);
      await waitUntilGone(secondPostgres.pid);
      await second.exited;
      expect(second.logs.find((line) => line.msg === "shutting down gracefully")?.reason).toBe(
        "the npm process that started us has exited",
      );
      expect(second.logs.at(-1)?.msg).toBe("stopped");
    },
    TEST_TIMEOUT_MS,
  );
});
