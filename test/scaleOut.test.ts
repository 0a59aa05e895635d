import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "./helpers/database.js";
import { orderColumns, uploadFile } from "./helpers/imports.js";
import { IMPORT_STATES_IN_ORDER, recordJobHistory, type JobVersion } from "./helpers/jobHistory.js";
import { spawnServer, stopAllServers, type Server } from "./helpers/processes.js";
import { subscribe, type Subscription } from "./helpers/subscriptions.js";
import { CreateTemplate, JobStatusSubscription, MyJobsSubscription, SignUp } from "./operations.js";
import type { JobStatusSubscription as JobStatusResult } from "./gql/graphql.js";

/**
 * Four Node processes from cold, then 200 imports through them: on a busy 2-core machine that takes
 * longer than vitest's default. Each step still ends on an awaited event; this only bounds a hang.
 */
const SCALE_OUT_TEST_TIMEOUT_MS = 110_000;
const IMPORTS = 200;
/** Uploads in flight at once, spread over both APIs. */
const UPLOADS_AT_ONCE = 8;
/** One socket per this many jobStatus subscriptions, well under the server's cap per socket. */
const SUBSCRIPTIONS_PER_SOCKET = 50;

const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  await stopAllServers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Import `n`'s file: 1 to 7 data rows, so a record counted under the wrong import shows. */
const rowsOf = (n: number) => (n % 7) + 1;

function csv(n: number): Buffer {
  const lines = ["Name,Quantity,Unit Price"];
  for (let i = 0; i < rowsOf(n); i++) lines.push(`Import ${n} item ${i},${i},${n}.${i}`);
  return Buffer.from(lines.join("\n"));
}

/** Runs `task(0)` … `task(count - 1)`, at most `limit` at a time; resolves with their results in order. */
async function pool<T>(count: number, limit: number, task: (n: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  const lane = async () => {
    for (let n = next++; n < count; n = next++) results[n] = await task(n);
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

/** Each `status … phase` a job's history went through, repeats folded (as IMPORT_STATES_IN_ORDER). */
function foldedStates(versions: JobVersion[]): string[] {
  const states = versions.map((v) => `${v.status} ${v.phase}`);
  return states.filter((state, i) => state !== states[i - 1]);
}

describe("two APIs and two workers on one database", () => {
  it(
    "process each of 200 imports exactly once, and subscribers on either API see every one end",
    async () => {
      const database = await createTestDatabase();
      cleanups.push(() => database.drop());
      await recordJobHistory(database.url);
      const env = { DATABASE_URL: database.url, WORKER_CONCURRENCY: "4" };
      const apis = await Promise.all([spawnServer({ env, role: "api" }), spawnServer({ env, role: "api" })]);
      const [apiA, apiB] = apis as [Server, Server];

      const me = (await apiA.request(SignUp, { email: "scale@example.com", password: "long enough" })).data!.signUp;
      const auth = { authorization: `Bearer ${me.token}` };
      const template = await apiB.request(
        CreateTemplate,
        { input: { name: "Orders", columns: orderColumns } },
        me.token,
      );
      const templateId = template.data!.createImportTemplate.id;

      // watching every job of the user on each API, from before the first upload
      const everyJob = apis.map((api) => subscribe(api.wsClient(auth), MyJobsSubscription));
      const completedOn = everyJob.map(() => new Set<string>());
      const allCompleted = everyJob.map((sub, i) =>
        sub.waitFor((result) => {
          const job = result.data?.myJobs;
          if (job?.status === "COMPLETED") completedOn[i]!.add(job.id);
          return completedOn[i]!.size === IMPORTS;
        }),
      );
      for (const waiting of allCompleted) waiting.catch(() => undefined); // awaited below, unless an earlier step fails

      // each import is uploaded to one API and watched on the other
      const sockets = new Map<Server, ReturnType<Server["wsClient"]>>();
      let opened = 0;
      const socketFor = (api: Server) => {
        if (opened++ % SUBSCRIPTIONS_PER_SOCKET === 0 || !sockets.has(api)) sockets.set(api, api.wsClient(auth));
        return sockets.get(api)!;
      };
      const imports = await pool(IMPORTS, UPLOADS_AT_ONCE, async (n) => {
        const [uploadTo, watchOn] = n % 2 === 0 ? [apiA, apiB] : [apiB, apiA];
        const started = await uploadFile({ url: uploadTo.url! }, me.token, templateId, csv(n), `orders-${n}.csv`);
        expect(started.errors).toBeUndefined();
        const id = started.data!.startImport.id;
        const watcher: Subscription<JobStatusResult> = subscribe(socketFor(watchOn), JobStatusSubscription, { id });
        return { n, id, watcher };
      });

      // the workers start once every import waits and both myJobs watchers have seen one: from here
      // on, each sees every change
      await Promise.all(everyJob.map((sub) => sub.waitFor((r) => r.data?.myJobs.status === "PENDING")));
      const [workerA, workerB] = await Promise.all([
        spawnServer({ env, role: "worker" }),
        spawnServer({ env, role: "worker" }),
      ]);

      // every watcher ends with its import COMPLETED and every row saved
      for (const { n, watcher } of imports) {
        await watcher.done;
        expect(watcher.results.at(-1)?.data?.jobStatus).toMatchObject({
          status: "COMPLETED",
          rowsImported: rowsOf(n),
          rowsFailed: 0,
        });
      }
      await Promise.all(allCompleted);
      const ids = imports.map((i) => i.id).sort();
      for (const completed of completedOn) expect([...completed].sort()).toEqual(ids);

      // exactly once: one run per import, each job completed by one worker, every record once
      const sql = new pg.Client({ connectionString: database.url });
      await sql.connect();
      cleanups.push(() => sql.end());
      const history = await sql.query<{ job_id: string; versions: JobVersion[] }>(
        "select job_id, jsonb_agg(version order by seq) as versions from test_job_history group by job_id",
      );
      expect(history.rowCount).toBe(IMPORTS);
      for (const { versions } of history.rows) {
        expect(foldedStates(versions)).toEqual(IMPORT_STATES_IN_ORDER);
        expect(versions.at(-1)!.attempts).toBe(1);
      }
      const records = await sql.query<{ import_id: string; n: number; distinct_rows: number }>(
        `select import_id, count(*)::int as n, count(distinct row_number)::int as distinct_rows
         from records group by import_id`,
      );
      const recordsOf = new Map(records.rows.map((r) => [r.import_id, r]));
      for (const { n, id } of imports)
        expect(recordsOf.get(id)).toMatchObject({ n: rowsOf(n), distinct_rows: rowsOf(n) });

      const completedBy = [workerA, workerB].map((worker) =>
        worker.logs
          .map((line) => /^Completed task (\d+) \(importSpreadsheet/.exec(line.msg)?.[1])
          .filter((jobId) => jobId !== undefined),
      );
      const jobIds = completedBy.flat();
      expect(jobIds).toHaveLength(IMPORTS);
      expect(new Set(jobIds).size).toBe(IMPORTS);
      // both workers took part
      for (const done of completedBy) expect(done.length).toBeGreaterThan(0);
      for (const worker of [workerA, workerB])
        expect(worker.logs.filter((l) => l.msg.startsWith("Failed task"))).toEqual([]);

      const exits = await Promise.all([apiA, apiB, workerA, workerB].map((server) => server.stop()));
      expect(exits).toEqual(Array(4).fill({ code: 0, signal: null }));
    },
    SCALE_OUT_TEST_TIMEOUT_MS,
  );
});
