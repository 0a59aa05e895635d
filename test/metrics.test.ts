import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { spawnServer, stopAllServers, type Server } from "./helpers/processes.js";
import { subscribe } from "./helpers/subscriptions.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { until } from "./helpers/until.js";
import { CreateTemplate, MyJobsSubscription, SignUp } from "./operations.js";

/**
 * `/metrics` as an operator reads it: real HTTP requests to an API process (in this process) and
 * to a worker process of its own (spawned, scraped on METRICS_PORT), around a real import.
 */

const POOL_SIZE = 7;
const METRICS_TOKEN = randomBytes(24).toString("hex");

let api: TestApp;
let origin: string;
let token: string;
let templateId: string;

beforeAll(async () => {
  // every interface, so a request from another address of this machine can be made (see access)
  api = await startTestApp({ role: "api", env: { HOST: "0.0.0.0", DATABASE_POOL_SIZE: String(POOL_SIZE) } });
  origin = new URL(api.url).origin;
  const signUp = await api.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const template = await api.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  templateId = template.data!.createImportTemplate.id;
});

afterAll(async () => {
  await stopAllServers();
  await api.stop();
});

/** One sample of a Prometheus text exposition: the metric's name, its labels, its value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the text format (the subset prom-client writes: no timestamps). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? "").matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = value!;
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the sample named `name` whose labels include `labels`; undefined when there is none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** `GET <url>` as curl would send it; answers the samples (and checks the media type). */
async function scrape(url: string, headers: Record<string, string> = {}): Promise<Sample[]> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(text);
}

/** A csv of `rows` valid orders. */
function ordersCsv(rows: number): Buffer {
  const lines = ["Name,Quantity,Unit Price"];
  for (let i = 0; i < rows; i++) lines.push(`Item ${i},${i},${(i / 100).toFixed(2)}`);
  return Buffer.from(lines.join("\n"));
}

describe("/metrics around a real import", () => {
  let worker: Server;

  it("counts the job queued on the API, then finished by a worker process, whose own /metrics has its run", async () => {
    const before = await scrape(`${origin}/metrics`);
    expect(valueOf(before, "xls_importer_database_up")).toBe(1);
    expect(valueOf(before, "xls_importer_jobs", { kind: "Import", status: "PENDING" })).toBe(0);
    expect(valueOf(before, "xls_importer_jobs", { kind: "Import", status: "COMPLETED" })).toBe(0);
    expect(valueOf(before, "xls_importer_queue_jobs", { task: "importSpreadsheet", state: "ready" })).toBe(0);
    expect(valueOf(before, "xls_importer_queue_oldest_ready_age_seconds")).toBe(0);

    // the API runs no jobs: the import waits in the queue until a worker comes
    const started = await uploadFile(api, token, templateId, ordersCsv(2_000), "orders.csv");
    expect(started.errors).toBeUndefined();
    const importId = started.data!.startImport.id;
    const queued = await scrape(`${origin}/metrics`);
    expect(valueOf(queued, "xls_importer_jobs", { kind: "Import", status: "PENDING" })).toBe(1);
    expect(valueOf(queued, "xls_importer_queue_jobs", { task: "importSpreadsheet", state: "ready" })).toBe(1);
    expect(valueOf(queued, "xls_importer_queue_oldest_ready_age_seconds")).toBeGreaterThan(0);

    worker = await spawnServer({
      role: "worker",
      env: { DATABASE_URL: api.database.url, METRICS_PORT: "0", METRICS_TOKEN },
    });
    const { url: workerMetrics } = (await worker.waitForLog(/^metrics at /)) as unknown as { url: string };
    await waitForImport(api.database.url, importId, (row) => row.status === "COMPLETED");

    const after = await scrape(`${origin}/metrics`);
    expect(valueOf(after, "xls_importer_jobs", { kind: "Import", status: "PENDING" })).toBe(0);
    expect(valueOf(after, "xls_importer_jobs", { kind: "Import", status: "COMPLETED" })).toBe(1);
    expect(valueOf(after, "xls_importer_queue_jobs", { task: "importSpreadsheet", state: "ready" })).toBe(0);
    expect(valueOf(after, "xls_importer_queue_oldest_ready_age_seconds")).toBe(0);
    // the API ran nothing itself
    expect(
      valueOf(after, "xls_importer_job_run_duration_seconds_count", { kind: "Import", outcome: "COMPLETED" }),
    ).toBe(undefined);

    const fromWorker = await scrape(workerMetrics, { authorization: `Bearer ${METRICS_TOKEN}` });
    // counted in the database: every process says the same
    expect(valueOf(fromWorker, "xls_importer_jobs", { kind: "Import", status: "COMPLETED" })).toBe(1);
    // measured where the run ended
    const runs = { kind: "Import", outcome: "COMPLETED" };
    expect(valueOf(fromWorker, "xls_importer_job_run_duration_seconds_count", runs)).toBe(1);
    expect(valueOf(fromWorker, "xls_importer_job_run_duration_seconds_sum", runs)).toBeGreaterThan(0);
    expect(valueOf(fromWorker, "xls_importer_job_run_duration_seconds_bucket", { ...runs, le: "+Inf" })).toBe(1);
    expect(valueOf(fromWorker, "xls_importer_job_run_rows_per_second_count", { kind: "Import" })).toBe(1);
    const seconds = valueOf(fromWorker, "xls_importer_job_run_duration_seconds_sum", runs)!;
    const rate = valueOf(fromWorker, "xls_importer_job_run_rows_per_second_sum", { kind: "Import" })!;
    expect(rate).toBeCloseTo(2_000 / seconds, 0);
    // a worker holds no client connections, so it shows none
    expect(valueOf(fromWorker, "xls_importer_websockets", { signed_in: "true" })).toBe(undefined);
    expect(valueOf(fromWorker, "xls_importer_db_pool_connections", { pool: "worker", state: "idle" })).toBeGreaterThan(
      0,
    );
    // Node's own metrics
    expect(valueOf(fromWorker, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("answers the worker's metrics port only with METRICS_TOKEN as a bearer token", async () => {
    const { url } = (await worker.waitForLog(/^metrics at /)) as unknown as { url: string };
    for (const authorization of [undefined, "Bearer wrong", `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN}x`]) {
      const response = await fetch(url, { headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    }
    const posted = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(posted.status).toBe(405);
    expect(((await posted.json()) as { error: { code: string } }).error.code).toBe("METHOD_NOT_ALLOWED");
    const healthz = await fetch(new URL("/healthz", url));
    expect(healthz.status).toBe(200);
  });
});

describe("/metrics of an API process", () => {
  it("counts open WebSockets, SSE streams and subscriptions, and they go back down", async () => {
    const read = async () => {
      const samples = await scrape(`${origin}/metrics`);
      return {
        sockets: valueOf(samples, "xls_importer_websockets", { signed_in: "true" }),
        streams: valueOf(samples, "xls_importer_sse_streams"),
        subscriptions: valueOf(samples, "xls_importer_subscriptions"),
        connections: valueOf(samples, "xls_importer_open_connections")!,
      };
    };
    expect(await read()).toMatchObject({ sockets: 0, streams: 0, subscriptions: 0 });

    const client = api.wsClient({ authorization: `Bearer ${token}` });
    const overWs = subscribe(client, MyJobsSubscription);
    const controller = new AbortController();
    const sse = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(MyJobsSubscription) }),
      signal: controller.signal,
    });
    expect(sse.status).toBe(200);
    await until("both subscriptions counted", async () => (await read()).subscriptions === 2);
    const open = await read();
    expect(open).toMatchObject({ sockets: 1, streams: 1, subscriptions: 2 });
    // the socket, the stream and this scrape's own connection at least
    expect(open.connections).toBeGreaterThanOrEqual(3);

    overWs.unsubscribe();
    controller.abort();
    await sse.body?.cancel().catch(() => undefined);
    await client.dispose();
    await until("everything closed", async () => {
      const now = await read();
      return now.sockets === 0 && now.streams === 0 && now.subscriptions === 0;
    });
  });

  it("shows its database pools: size, busy and idle connections, waiting requests", async () => {
    const samples = await scrape(`${origin}/metrics`);
    expect(valueOf(samples, "xls_importer_db_pool_max_connections", { pool: "api" })).toBe(POOL_SIZE);
    expect(valueOf(samples, "xls_importer_db_pool_max_connections", { pool: "uploads" })).toBe(4);
    const busy = valueOf(samples, "xls_importer_db_pool_connections", { pool: "api", state: "busy" })!;
    const idle = valueOf(samples, "xls_importer_db_pool_connections", { pool: "api", state: "idle" })!;
    // the API pool has served requests (and this scrape's counts) by now
    expect(busy + idle).toBeGreaterThan(0);
    expect(busy + idle).toBeLessThanOrEqual(POOL_SIZE);
    expect(valueOf(samples, "xls_importer_db_pool_waiting", { pool: "api" })).toBe(0);
  });

  it("names no user: every label is a kind, status, task, state, pool or bucket", async () => {
    const samples = await scrape(`${origin}/metrics`);
    const allowed = new Set(["kind", "status", "outcome", "task", "state", "pool", "le", "signed_in"]);
    const ours = samples.filter((s) => s.name.startsWith("xls_importer_"));
    expect(ours.length).toBeGreaterThan(0);
    for (const sample of ours) for (const label of Object.keys(sample.labels)) expect(allowed).toContain(label);
    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(text).not.toContain(templateId);
  });

  it("without METRICS_TOKEN answers this machine only: not another address, not a forwarded request", async () => {
    const forwarded = await fetch(`${origin}/metrics`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(forwarded.status).toBe(403);
    expect(((await forwarded.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");

    // this machine's own non-loopback address: the server sees a peer that is not loopback
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    if (!address) return; // a machine with loopback only has no other address to ask from
    const port = new URL(api.url).port;
    const remote = await fetch(`http://${address}:${port}/metrics`);
    expect(remote.status).toBe(403);
    expect(((await remote.json()) as { error: { code: string } }).error.code).toBe("FORBIDDEN");
    // the API itself still answers there
    expect((await fetch(`http://${address}:${port}/healthz`)).status).toBe(200);
  });
});

describe("metrics configuration", () => {
  it("refuses a short METRICS_TOKEN and a METRICS_PORT that is no port number", () => {
    expect(() => loadConfig({ METRICS_TOKEN: "short" }, [])).toThrow(/METRICS_TOKEN must be at least 32 characters/);
    expect(() => loadConfig({ METRICS_PORT: "metrics" }, [])).toThrow(/METRICS_PORT must be an integer/);
    expect(loadConfig({}, [])).toMatchObject({ metricsToken: undefined, metricsPort: undefined });
  });
});
