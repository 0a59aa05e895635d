import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { RequestExport } from "./exportOperations.js";
import { waitForExport } from "./helpers/exports.js";
import { jobHistory, recordJobHistory, type JobVersion } from "./helpers/jobHistory.js";
import { orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { spawnServer, stopAllServers, type Server } from "./helpers/processes.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, RetryImport, SignUp } from "./operations.js";

/**
 * Worker processes are killed with SIGKILL mid-import: no handler runs, nothing is cleaned up,
 * exactly as when the kernel's OOM killer or a power cut ends one. The workers say they are dead
 * after 3 s of silence instead of 30, so a test waits seconds, not half a minute.
 */
const DEAD_AFTER_SECONDS = "3";

/** Cold Node processes and a 200,000-row import on a busy 2-core machine; each test still ends on an event. */
const TEST_TIMEOUT_MS = 110_000;

const ROWS = 200_000;

/** Enough rows that a run is still going when the test kills its worker. */
const SOME_ROWS = 100_000;

const leftovers: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  await stopAllServers();
  for (const dispose of leftovers.splice(0).reverse()) await dispose();
});

/** An API in this process (it starts the imports) on a fresh database, with the job history recorded. */
async function startApi(): Promise<{ t: TestApp; sql: pg.Pool; token: string; templateId: string }> {
  const t = await startTestApp({ role: "api" });
  leftovers.push(() => t.stop());
  await recordJobHistory(t.database.url);
  const sql = new pg.Pool({ connectionString: t.database.url });
  leftovers.push(() => sql.end());
  const { token } = (await t.request(SignUp, { email: "crash@example.com", password: "long enough" })).data!.signUp;
  const template = await t.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  return { t, sql, token, templateId: template.data!.createImportTemplate.id };
}

/** A worker process (`--role worker`) on the API's database, once it has started; killed if the test leaves it running. */
function startWorker(t: TestApp): Promise<Server> {
  return spawnServer({
    role: "worker",
    env: { DATABASE_URL: t.database.url, WORKER_DEAD_AFTER_SECONDS: DEAD_AFTER_SECONDS },
  });
}

function csv(rows: number): Buffer {
  return Buffer.from(["Name,Unit Price", ...Array.from({ length: rows }, (_, i) => `Item ${i},${i}.5`)].join("\n"));
}

async function startImport(api: Awaited<ReturnType<typeof startApi>>, rows: number): Promise<string> {
  const started = await uploadFile(api.t, api.token, api.templateId, csv(rows), "orders.csv");
  expect(started.errors).toBeUndefined();
  return started.data!.startImport.id;
}

/** Resolves once run `attempt` of import `id` has processed some rows (and has not finished). */
function midRun(api: Awaited<ReturnType<typeof startApi>>, id: string, attempt: number) {
  return jobHistory(
    api.t.database.url,
    id,
    (v) => v.status === "PROCESSING" && v.attempts === attempt && (v.rows_processed ?? 0) > 0,
    60_000,
  );
}

async function countRecords(sql: pg.Pool, id: string): Promise<number> {
  return (await sql.query("select count(*)::int as n from records where import_id = $1", [id])).rows[0].n;
}

/** "status attempts crashes note" per committed version, repeats folded: how the import went. */
function story(versions: JobVersion[]): string[] {
  const lines = versions.map((v) => `${v.status} ${v.attempts} ${v.crashes as number} ${v.error_message ?? "-"}`);
  return lines.filter((line, i) => line !== lines[i - 1]);
}

const CRASHED = "The worker running this import stopped unexpectedly; it will run again.";
const FAILED = "This file stopped the worker twice (out of memory or a crash); it will not be retried.";

describe("a worker killed with SIGKILL mid-import", () => {
  it(
    "is found dead by the next worker, and the import runs again to exactly 200,000 records within 60 s of the kill",
    async () => {
      const api = await startApi();
      const first = await startWorker(api.t);
      const id = await startImport(api, ROWS);
      await midRun(api, id, 1);

      await first.stop("SIGKILL");
      const killedAt = Date.now();
      const second = await startWorker(api.t);
      const done = await waitForImport(api.t.database.url, id, (row) => row.status === "COMPLETED", 60_000);
      expect(Date.now() - killedAt).toBeLessThan(60_000);

      expect(done).toMatchObject({ rows_imported: ROWS, rows_failed: 0, error_message: null });
      expect(await countRecords(api.sql, id)).toBe(ROWS);
      expect(story(await jobHistory(api.t.database.url, id))).toEqual([
        "PENDING 0 0 -",
        "PROCESSING 1 0 -",
        // the sweep: the run lost with its worker is a crash, not a failure
        `PENDING 1 1 ${CRASHED}`,
        "PROCESSING 2 1 -",
        "COMPLETED 2 1 -",
      ]);
      // the second worker released the first's job, and dropped its heartbeat
      const released = await second.waitForLog((line) => line.msg.startsWith("released the jobs of 1 dead worker"));
      expect(released.workers).toHaveLength(1);
      const { rows: beating } = await api.sql.query<{ pid: number }>("select pid from worker_heartbeats");
      expect(beating).toEqual([{ pid: second.proc.pid }]);

      // a clean stop is no crash: its heartbeat goes with it
      expect(await second.stop("SIGTERM")).toEqual({ code: 0, signal: null });
      expect((await api.sql.query("select count(*)::int as n from worker_heartbeats")).rows[0].n).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "twice for the same import ends it FAILED for good, with nothing of it saved",
    async () => {
      const api = await startApi();
      const id = await startImport(api, SOME_ROWS);
      const first = await startWorker(api.t);
      await midRun(api, id, 1);
      await first.stop("SIGKILL");

      const second = await startWorker(api.t);
      await midRun(api, id, 2);
      await second.stop("SIGKILL");
      const { rows: held } = await api.sql.query<{ job: string }>(
        "select background_job_id as job from imports where id = $1",
        [id],
      );

      const third = await startWorker(api.t);
      const failed = await waitForImport(api.t.database.url, id, (row) => row.status === "FAILED", 30_000);
      expect(failed).toMatchObject({ error_message: FAILED, background_job_id: null, rows_imported: 0 });
      expect(await countRecords(api.sql, id)).toBe(0);
      expect(story(await jobHistory(api.t.database.url, id))).toEqual([
        "PENDING 0 0 -",
        "PROCESSING 1 0 -",
        `PENDING 1 1 ${CRASHED}`,
        "PROCESSING 2 1 -",
        `FAILED 2 2 ${FAILED}`,
      ]);
      // its graphile-worker job is gone: no worker will try the file again
      const { rowCount } = await api.sql.query("select 1 from graphile_worker.jobs where id = $1::bigint", [
        held[0]!.job,
      ]);
      expect(rowCount).toBe(0);
      await third.waitForLog((line) => line.msg.endsWith("lost its worker a second time; it is FAILED"));
    },
    TEST_TIMEOUT_MS,
  );
});

describe("retryImport on a PROCESSING import", () => {
  it(
    "is refused while its worker is alive, and taken once its worker is dead",
    async () => {
      const api = await startApi();
      const first = await startWorker(api.t);
      const id = await startImport(api, SOME_ROWS);
      await midRun(api, id, 1);

      const refused = await api.t.request(RetryImport, { id }, api.token);
      expect(refused.errors?.[0]?.message).toBe(
        "This import is running on a live worker; it can be retried once it ends, or if its worker stops.",
      );

      await first.stop("SIGKILL");
      // no other worker is there to sweep: the import stays PROCESSING. Its worker's silence is
      // aged in SQL rather than waited for (the API takes a worker for dead after 30 s)
      await api.sql.query("update worker_heartbeats set last_seen = now() - interval '1 hour'");
      const retried = await api.t.request(RetryImport, { id }, api.token);
      expect(retried.errors).toBeUndefined();
      expect(retried.data!.retryImport).toMatchObject({ status: "PENDING", phase: "QUEUED", attempts: 0 });

      const second = await startWorker(api.t);
      const done = await waitForImport(api.t.database.url, id, (row) => row.status === "COMPLETED", 60_000);
      expect(done.rows_imported).toBe(SOME_ROWS);
      await second.waitForLog((line) => line.msg === "Import is not this job's to run; skipping");
      expect(await countRecords(api.sql, id)).toBe(SOME_ROWS);
      // retried by a person, so no crash was counted; the dead worker's job ran and skipped itself
      expect(story(await jobHistory(api.t.database.url, id)).slice(-3)).toEqual([
        "PENDING 0 0 -",
        "PROCESSING 1 0 -",
        "COMPLETED 1 0 -",
      ]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("the sweep, with the crash staged in SQL", () => {
  /** A worker in this process, on the API's database, that takes a worker for dead after 3 s. */
  async function startInProcessWorker(api: Awaited<ReturnType<typeof startApi>>) {
    const worker = await startTestApp({
      role: "worker",
      database: api.t.database,
      env: { WORKER_DEAD_AFTER_SECONDS: DEAD_AFTER_SECONDS },
    });
    leftovers.push(() => worker.stop());
    return worker;
  }

  it("runs an export again whose worker stopped beating, counting the crash", async () => {
    const api = await startApi();
    const requested = await api.t.request(RequestExport, { templateId: api.templateId }, api.token);
    expect(requested.errors).toBeUndefined();
    const { id, backgroundJobId: jobId } = requested.data!.requestExport;
    // its worker took the job and then went silent an hour ago
    await api.sql.query(
      `insert into worker_heartbeats (worker_ids, pid, host, last_seen)
         values ('{pool-staged}', 1, 'gone', now() - interval '1 hour');
       update graphile_worker._private_jobs
         set locked_by = 'pool-staged', locked_at = now() - interval '1 hour', attempts = 1
         where id = ${Number(jobId)};
       update exports set status = 'PROCESSING', attempts = 1 where id = '${id}';`,
    );

    await startInProcessWorker(api);
    await waitForExport(api.t.database.url, id, (row) => row.status === "COMPLETED");
    expect(story(await jobHistory(api.t.database.url, id))).toEqual([
      "PENDING 0 0 -",
      "PROCESSING 1 0 -",
      "PENDING 1 1 The worker running this export stopped unexpectedly; it will run again.",
      "PROCESSING 2 1 -",
      "COMPLETED 2 1 -",
    ]);
    const { rowCount } = await api.sql.query("select 1 from worker_heartbeats where 'pool-staged' = any(worker_ids)");
    expect(rowCount).toBe(0);
  });

  it("sends an import left PROCESSING with no job at all back to PENDING with a new job, counting no crash", async () => {
    const api = await startApi();
    const id = await startImport(api, 10);
    const { rows } = await api.sql.query<{ job: string }>(
      `select background_job_id as job, graphile_worker.complete_jobs(array[background_job_id::bigint])
       from imports where id = $1`,
      [id],
    );
    await api.sql.query("update imports set status = 'PROCESSING', attempts = 1 where id = $1", [id]);

    // the sweep leaves it for as long as a worker may be silent, then queues it again
    await startInProcessWorker(api);
    const done = await waitForImport(api.t.database.url, id, (row) => row.status === "COMPLETED");
    expect(done.rows_imported).toBe(10);
    expect(done.background_job_id).not.toBe(rows[0]!.job);
    expect(story(await jobHistory(api.t.database.url, id)).slice(-4)).toEqual([
      "PROCESSING 1 0 -",
      "PENDING 1 0 The worker running this import stopped before it finished; it will run again.",
      "PROCESSING 1 0 -",
      "COMPLETED 1 0 -",
    ]);
  });
});
