import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestExport } from "./exportOperations.js";
import { waitForExport } from "./helpers/exports.js";
import { isFinal, orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { jobHistory, recordJobHistory } from "./helpers/jobHistory.js";
import { subscribe } from "./helpers/subscriptions.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { graphql } from "./gql/index.js";
import { CreateTemplate, JobStatusSubscription, SignUp } from "./operations.js";

const CancelImport = graphql(`
  mutation CancelImport($id: ID!) {
    cancelImport(id: $id) {
      id
      status
      errorMessage
      backgroundJobId
      processingCompletedAt
    }
  }
`);

const CancelExport = graphql(`
  mutation CancelExport($id: ID!) {
    cancelExport(id: $id) {
      id
      status
      errorMessage
      backgroundJobId
      fileName
      downloadUrl
    }
  }
`);

/** The acceptance: a cancelled import has stopped within 2 s of the mutation. */
const CANCEL_WITHIN_MS = 2_000;

/**
 * The API runs alone, so a job waits in PENDING until a test starts a worker of its own on the
 * same database: that is how a test cancels a job before, or while, it runs.
 */
let api: TestApp;
let sql: pg.Pool;

beforeAll(async () => {
  api = await startTestApp({ role: "api" });
  sql = new pg.Pool({ connectionString: api.database.url });
  await recordJobHistory(api.database.url);
});

afterAll(async () => {
  await sql.end();
  await api.stop();
});

interface User {
  id: string;
  token: string;
  templateId: string;
}

/** A new user with an "Orders" template. */
async function newUser(): Promise<User> {
  const signUp = await api.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  expect(signUp.errors).toBeUndefined();
  const { token, user } = signUp.data!.signUp;
  const template = await api.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  expect(template.errors).toBeUndefined();
  return { id: user.id, token, templateId: template.data!.createImportTemplate.id };
}

/** A csv of `rows` valid orders, written here so its content is plain. */
function ordersCsv(rows: number): Buffer {
  const lines = ["Name,Quantity,Unit Price"];
  for (let i = 0; i < rows; i++) lines.push(`Item ${i},${i},${i / 100}`);
  return Buffer.from(lines.join("\n"));
}

async function upload(as: User, file: Buffer, name: string) {
  const started = await uploadFile(api, as.token, as.templateId, file, name);
  expect(started.errors).toBeUndefined();
  return started.data!.startImport;
}

async function withWorker<T>(fn: (worker: TestApp) => Promise<T>): Promise<T> {
  const worker = await startTestApp({ role: "worker", database: api.database });
  try {
    return await fn(worker);
  } finally {
    await worker.stop();
  }
}

/**
 * Resolves when `worker` has finished graphile-worker job `jobId` and written its result back:
 * with the error the run threw (null when it ended quietly) and when. Listens from the call on.
 */
function runEnd(worker: TestApp, jobId: string): Promise<{ error: unknown; at: number }> {
  const events = worker.app.worker!.events;
  return new Promise((resolve) => {
    const onComplete = ({ job, error }: { job: { id: string }; error: unknown }) => {
      if (String(job.id) !== jobId) return;
      events.off("job:complete", onComplete);
      resolve({ error: error ?? null, at: performance.now() });
    };
    events.on("job:complete", onComplete);
  });
}

/** What is left of an import: rows of it in every table a run or a dry run writes, and its file. */
async function leftoversOf(importId: string, userId: string) {
  const { rows } = await sql.query(
    `select (select count(*)::int from records where import_id = $1) as records,
       (select count(*)::int from import_row_errors where import_id = $1) as row_errors,
       (select count(*)::int from import_rejected_rows where import_id = $1) as rejected_rows,
       (select count(*)::int from stored_files where user_id = $2) as stored_files`,
    [importId, userId],
  );
  return rows[0] as { records: number; row_errors: number; rejected_rows: number; stored_files: number };
}

/** graphile-worker's row for a job, if it still has one, and every time it was released for a retry. */
async function graphileJob(jobId: string) {
  const { rows: jobs } = await sql.query("select attempts from graphile_worker._private_jobs where id = $1", [jobId]);
  const { rows: releases } = await sql.query("select 1 from test_job_releases where job_id = $1", [jobId]);
  return { job: jobs[0] as { attempts: number } | undefined, releases: releases.length };
}

const isCancelled = (version: { status: string }) => version.status === "CANCELLED";

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.map((e) => e.extensions?.code);

/** How many cancels race for one job, and how often a race is run. */
const RACERS = 10;
const RACES = 3;

/**
 * Sends `RACERS` cancels of one job at once and sorts out the answers: exactly one may succeed;
 * each of the others must be a BAD_USER_INPUT naming the CANCELLED the winner left, never a
 * deadlock's INTERNAL_SERVER_ERROR.
 */
async function race(
  cancel: () => Promise<{ errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }>,
  refused: string,
) {
  const results = await Promise.all(Array.from({ length: RACERS }, cancel));
  const won = results.filter((r) => r.errors === undefined);
  const lost = results.flatMap((r) => r.errors?.map((e) => `${String(e.extensions?.code)}: ${e.message}`) ?? []);
  expect(won).toHaveLength(1);
  expect(lost).toEqual(Array.from({ length: RACERS - 1 }, () => `BAD_USER_INPUT: ${refused}`));
}

describe("cancelImport", () => {
  let me: User;
  beforeAll(async () => {
    me = await newUser();
  });

  it("stops a 200,000-row import mid-run within 2 s: CANCELLED, nothing saved, its job gone and not retried", async () => {
    const started = await upload(me, ordersCsv(200_000), "orders.csv");
    const { id } = started;
    const jobId = started.backgroundJobId!;
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });

    await withWorker(async (worker) => {
      const ended = runEnd(worker, jobId);
      // mid-run: the header is read and rows are being validated
      const running = await waitForImport(api.database.url, id, (row) => row.phase === "VALIDATING" || isFinal(row));
      expect(running.status).toBe("PROCESSING");

      const cancelledAt = performance.now();
      const cancelled = await api.request(CancelImport, { id }, me.token);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.cancelImport).toMatchObject({
        status: "CANCELLED",
        errorMessage: null,
        backgroundJobId: null,
      });

      await sub.waitFor((r) => r.data?.jobStatus.status === "CANCELLED");
      expect(performance.now() - cancelledAt).toBeLessThan(CANCEL_WITHIN_MS);
      const { error, at } = await ended;
      expect(at - cancelledAt).toBeLessThan(CANCEL_WITHIN_MS);
      // a run that ends quietly is one graphile-worker does not retry
      expect(error).toBeNull();
    });
    // CANCELLED is final: the subscription completes
    await sub.done;

    expect(await leftoversOf(id, me.id)).toEqual({ records: 0, row_errors: 0, rejected_rows: 0, stored_files: 0 });
    expect(await graphileJob(jobId)).toEqual({ job: undefined, releases: 0 });
    const { rows } = await sql.query(
      "select status, attempts, error_message, background_job_id, file_id from imports where id = $1",
      [id],
    );
    expect(rows[0]).toEqual({
      status: "CANCELLED",
      attempts: 1,
      error_message: null,
      background_job_id: null,
      file_id: null,
    });
    // the run changed no status after the cancel: no FAILED, no PENDING for a retry
    const history = await jobHistory(api.database.url, id, isCancelled);
    const statuses: string[] = history.map((v) => v.status);
    expect(new Set(statuses.slice(statuses.indexOf("CANCELLED")))).toEqual(new Set(["CANCELLED"]));
  });

  it("removes a PENDING import's queued graphile-worker job, and its file, with no worker running", async () => {
    const started = await upload(me, ordersCsv(3), "pending.csv");
    const jobId = started.backgroundJobId!;
    expect((await graphileJob(jobId)).job).toEqual({ attempts: 0 });

    const cancelled = await api.request(CancelImport, { id: started.id }, me.token);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelImport).toMatchObject({ status: "CANCELLED", backgroundJobId: null });
    expect(cancelled.data!.cancelImport.processingCompletedAt).not.toBeNull();

    expect(await graphileJob(jobId)).toEqual({ job: undefined, releases: 0 });
    expect(await leftoversOf(started.id, me.id)).toEqual({
      records: 0,
      row_errors: 0,
      rejected_rows: 0,
      stored_files: 0,
    });
  });

  it("cancels a dry run waiting in NEEDS_REVIEW, which did not end its subscription: its file and row errors go", async () => {
    const csv = Buffer.from("Name,Quantity,Unit Price\nWidget,3,9.99\nBroken,1,not a price\n");
    const started = await uploadFile(api, me.token, me.templateId, csv, "review.csv", { options: { dryRun: true } });
    expect(started.errors).toBeUndefined();
    const { id } = started.data!.startImport;
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });
    await withWorker(() => waitForImport(api.database.url, id, (row) => row.status === "NEEDS_REVIEW" || isFinal(row)));
    await sub.waitFor((r) => r.data?.jobStatus.status === "NEEDS_REVIEW");
    // what a review keeps, so that its going is seen: the upload, and the error report of its rejected row
    expect(await leftoversOf(id, me.id)).toEqual({ records: 0, row_errors: 1, rejected_rows: 1, stored_files: 2 });

    const cancelled = await api.request(CancelImport, { id }, me.token);
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelImport).toMatchObject({ status: "CANCELLED", errorMessage: null });
    // NEEDS_REVIEW is not final, so the same subscription goes on to CANCELLED, which is
    await sub.waitFor((r) => r.data?.jobStatus.status === "CANCELLED");
    await sub.done;
    expect(await leftoversOf(id, me.id)).toEqual({ records: 0, row_errors: 0, rejected_rows: 0, stored_files: 0 });
  });

  it("refuses a COMPLETED import with BAD_USER_INPUT, and changes nothing", async () => {
    const started = await upload(me, ordersCsv(2), "done.csv");
    await withWorker(() => waitForImport(api.database.url, started.id, isFinal));

    const cancelled = await api.request(CancelImport, { id: started.id }, me.token);
    expect(codes(cancelled)).toEqual(["BAD_USER_INPUT"]);
    expect(cancelled.errors![0]!.message).toBe(
      "Only a pending, running or in-review import can be cancelled; this one is COMPLETED.",
    );
    const { rows } = await sql.query("select status from imports where id = $1", [started.id]);
    expect(rows[0].status).toBe("COMPLETED");
    expect((await leftoversOf(started.id, me.id)).records).toBe(2);
  });

  it("answers NOT_FOUND for someone else's import and for a missing id, and leaves the import queued", async () => {
    const started = await upload(me, ordersCsv(1), "mine.csv");
    const other = await newUser();

    expect(codes(await api.request(CancelImport, { id: started.id }, other.token))).toEqual(["NOT_FOUND"]);
    expect(codes(await api.request(CancelImport, { id: randomUUID() }, me.token))).toEqual(["NOT_FOUND"]);
    const { rows } = await sql.query("select status from imports where id = $1", [started.id]);
    expect(rows[0].status).toBe("PENDING");
    expect((await graphileJob(started.backgroundJobId!)).job).toBeDefined();
    // left for the next test's worker to find: cancel it, so it is nobody's business
    await api.request(CancelImport, { id: started.id }, me.token);
  });
  it(`lets one of ${RACERS} concurrent cancels of a PENDING import win, and refuses the rest, ${RACES} times over`, async () => {
    for (let i = 0; i < RACES; i++) {
      const started = await upload(me, ordersCsv(3), "raced.csv");
      await race(
        () => api.request(CancelImport, { id: started.id }, me.token),
        "Only a pending, running or in-review import can be cancelled; this one is CANCELLED.",
      );
      expect((await graphileJob(started.backgroundJobId!)).job).toBeUndefined();
    }
  });

  it(`lets one of ${RACERS} concurrent cancels of a running import win, and refuses the rest, ${RACES} times over`, async () => {
    for (let i = 0; i < RACES; i++) {
      const started = await upload(me, ordersCsv(200_000), "raced.csv");
      const { id } = started;
      await withWorker(async (worker) => {
        const ended = runEnd(worker, started.backgroundJobId!);
        const running = await waitForImport(api.database.url, id, (row) => row.phase === "VALIDATING" || isFinal(row));
        expect(running.status).toBe("PROCESSING");
        await race(
          () => api.request(CancelImport, { id }, me.token),
          "Only a pending, running or in-review import can be cancelled; this one is CANCELLED.",
        );
        expect((await ended).error).toBeNull();
      });
      expect(await leftoversOf(id, me.id)).toEqual({ records: 0, row_errors: 0, rejected_rows: 0, stored_files: 0 });
    }
  });
});

describe("cancelExport", () => {
  let me: User;
  let importId: string;
  beforeAll(async () => {
    me = await newUser();
    const started = await upload(me, ordersCsv(1), "one.csv");
    importId = started.id;
    await withWorker(() => waitForImport(api.database.url, importId, isFinal));
    // enough records that the export is still writing when it is cancelled
    await sql.query(
      `insert into records (import_id, row_number, data)
       select $1, n, jsonb_build_object('name', 'Item ' || n, 'quantity', n, 'unitPrice', n / 100.0)
       from generate_series(3, 200002) n`,
      [importId],
    );
  });

  it("stops an export mid-run: CANCELLED, no stored file, its job gone and not retried", async () => {
    const requested = await api.request(
      RequestExport,
      { templateId: me.templateId, format: "XLSX", importId },
      me.token,
    );
    expect(requested.errors).toBeUndefined();
    const { id, backgroundJobId } = requested.data!.requestExport;
    const jobId = backgroundJobId!;
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });

    await withWorker(async (worker) => {
      const ended = runEnd(worker, jobId);
      const running = await waitForExport(api.database.url, id, (row) => row.status !== "PENDING");
      expect(running.status).toBe("PROCESSING");

      const cancelledAt = performance.now();
      const cancelled = await api.request(CancelExport, { id }, me.token);
      expect(cancelled.errors).toBeUndefined();
      expect(cancelled.data!.cancelExport).toMatchObject({
        status: "CANCELLED",
        backgroundJobId: null,
        fileName: null,
        downloadUrl: null,
      });
      const { error, at } = await ended;
      expect(at - cancelledAt).toBeLessThan(CANCEL_WITHIN_MS);
      expect(error).toBeNull();
    });
    await sub.done;
    expect(sub.results.at(-1)?.data?.jobStatus.status).toBe("CANCELLED");

    const { rows } = await sql.query(
      "select status, attempts, file_id, row_count, background_job_id from exports where id = $1",
      [id],
    );
    expect(rows[0]).toEqual({
      status: "CANCELLED",
      attempts: 1,
      file_id: null,
      row_count: null,
      background_job_id: null,
    });
    const { rows: files } = await sql.query("select count(*)::int as n from stored_files where user_id = $1", [me.id]);
    expect(files[0].n).toBe(0);
    expect(await graphileJob(jobId)).toEqual({ job: undefined, releases: 0 });
  });

  it("refuses a CANCELLED export with BAD_USER_INPUT, and someone else's with NOT_FOUND", async () => {
    const requested = await api.request(
      RequestExport,
      { templateId: me.templateId, format: "CSV", importId },
      me.token,
    );
    const { id } = requested.data!.requestExport;
    expect((await api.request(CancelExport, { id }, me.token)).errors).toBeUndefined();

    const again = await api.request(CancelExport, { id }, me.token);
    expect(codes(again)).toEqual(["BAD_USER_INPUT"]);
    expect(again.errors![0]!.message).toBe("Only a pending or running export can be cancelled; this one is CANCELLED.");
    const other = await newUser();
    expect(codes(await api.request(CancelExport, { id }, other.token))).toEqual(["NOT_FOUND"]);
  });

  it(`lets one of ${RACERS} concurrent cancels of a PENDING export win, and refuses the rest, ${RACES} times over`, async () => {
    for (let i = 0; i < RACES; i++) {
      const requested = await api.request(
        RequestExport,
        { templateId: me.templateId, format: "CSV", importId },
        me.token,
      );
      expect(requested.errors).toBeUndefined();
      const { id, backgroundJobId } = requested.data!.requestExport;
      await race(
        () => api.request(CancelExport, { id }, me.token),
        "Only a pending or running export can be cancelled; this one is CANCELLED.",
      );
      expect((await graphileJob(backgroundJobId!)).job).toBeUndefined();
    }
  });
});
