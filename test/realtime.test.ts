import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LISTENER_APPLICATION_NAME } from "../src/realtime/jobEvents.js";
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from "../src/server/graphqlWs.js";
import { isFinal, orderColumns, uploadFile, waitForImport, xlsxFile } from "./helpers/imports.js";
import { IMPORT_STATES_IN_ORDER, jobHistory, recordJobHistory, type JobVersion } from "./helpers/jobHistory.js";
import { subscribe } from "./helpers/subscriptions.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, JobStatusSubscription, MyJobsSubscription, SignUp } from "./operations.js";

/**
 * The API runs alone, so uploaded jobs wait in PENDING until a test starts a worker process of
 * its own on the same database: that is how these tests see every state a job goes through.
 */
let api: TestApp;
let sql: pg.Pool;
let users = 0;

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
  token: string;
  templateId: string;
}

/** A new user with an "Orders" template: each describe block makes its own. */
async function newUser(): Promise<User> {
  const signUp = await api.request(SignUp, { email: `watcher${++users}@example.com`, password: "long enough" });
  const userToken = signUp.data!.signUp.token;
  const template = await api.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, userToken);
  return { token: userToken, templateId: template.data!.createImportTemplate.id };
}

async function upload(file: Buffer, name: string, as: User) {
  const started = await uploadFile(api, as.token, as.templateId, file, name);
  expect(started.errors).toBeUndefined();
  return started.data!.startImport.id;
}

/** A csv large enough that its import is still running when a test acts in the middle of it. */
function bigCsv(rows: number): Buffer {
  const lines = ["Name,Quantity,Unit Price"];
  for (let i = 0; i < rows; i++) lines.push(`Item ${i},${i},${i / 100}`);
  return Buffer.from(lines.join("\n"));
}

async function withWorker<T>(fn: () => Promise<T>): Promise<T> {
  const worker = await startTestApp({ role: "worker", database: api.database });
  try {
    return await fn();
  } finally {
    await worker.stop();
  }
}

/** The fields of an import a jobStatus result and a committed version share, as one comparable string. */
const stateOf = (job: {
  status: string;
  phase: string;
  rowsProcessed: number;
  rowsImported: number;
  rowsFailed: number;
  errorMessage: string | null;
}) => JSON.stringify([job.status, job.phase, job.rowsProcessed, job.rowsImported, job.rowsFailed, job.errorMessage]);

const committedStateOf = (v: JobVersion) =>
  stateOf({
    status: v.status,
    phase: v.phase!,
    rowsProcessed: v.rows_processed!,
    rowsImported: v.rows_imported as number,
    rowsFailed: v.rows_failed as number,
    errorMessage: v.error_message,
  });

/** `states` with each run of repeats folded into one. */
const folded = (states: string[]) => states.filter((state, i) => state !== states[i - 1]);

/**
 * True when `seen` is `committed` with some states left out but none added or reordered: what a
 * subscription, which coalesces, may deliver of a job's committed history.
 */
function isSubsequence(seen: string[], committed: string[]): boolean {
  let next = 0;
  for (const state of committed) if (next < seen.length && seen[next] === state) next++;
  return next === seen.length;
}

describe("jobStatus", () => {
  let me: User;
  beforeAll(async () => {
    me = await newUser();
  });

  it("follows a real import from PENDING to COMPLETED, delivering committed states in order, then completes", async () => {
    const id = await upload(bigCsv(5_000), "orders.csv", me);
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });
    await sub.waitFor((r) => r.data?.jobStatus.status === "PENDING");

    await withWorker(() => sub.done);

    expect(sub.results.every((r) => r.errors === undefined)).toBe(true);
    const states = sub.results.map((r) => {
      const job = r.data!.jobStatus;
      if (job.__typename !== "Import") throw new Error(`expected an Import, got ${job.__typename}`);
      return job;
    });
    expect(states[0]).toMatchObject({ __typename: "Import", id, status: "PENDING", phase: "QUEUED" });
    expect(states.at(-1)).toMatchObject({ status: "COMPLETED", phase: "DONE", rowsImported: 5_000 });

    // every state the job went through, as committed; the subscription may leave some out, as it
    // coalesces, but it delivers nothing else and nothing out of order
    const history = await jobHistory(api.database.url, id);
    expect(folded(history.map((v) => `${v.status} ${v.phase}`))).toEqual(IMPORT_STATES_IN_ORDER);
    const processed = history.map((v) => v.rows_processed!);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    const seen = folded(states.map(stateOf));
    expect(isSubsequence(seen, folded(history.map(committedStateOf))), JSON.stringify(seen)).toBe(true);
  });

  it("gives a subscriber who arrives after completion one COMPLETED event, then completes", async () => {
    const id = await upload(await xlsxFile([["Widget", 3, 9.99]]), "late.xlsx", me);
    await withWorker(() => waitForImport(api.database.url, id, isFinal));

    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });
    await sub.done;
    expect(sub.results.map((r) => r.data?.jobStatus.status)).toEqual(["COMPLETED"]);
  });

  it("answers NOT_FOUND for another user's job and for a missing id", async () => {
    const id = await upload(await xlsxFile([["Widget", 3, 9.99]]), "private.xlsx", me);
    const other = await newUser();
    for (const jobId of [id, "00000000-0000-4000-8000-000000000000"]) {
      const sub = subscribe(api.wsClient({ authorization: `Bearer ${other.token}` }), JobStatusSubscription, {
        id: jobId,
      });
      const errors = await sub.done.then(
        () => sub.results.flatMap((r) => r.errors ?? []),
        (err: unknown) => err as Array<{ extensions?: { code?: string } }>,
      );
      expect(errors.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
      expect(sub.results.every((r) => !r.data?.jobStatus)).toBe(true);
    }
  });

  it("closes a socket with a bad token with 4403", async () => {
    const client = api.wsClient({ authorization: "Bearer forged" });
    const closed = new Promise<number>((resolve) => client.on("closed", (e) => resolve((e as { code: number }).code)));
    const sub = subscribe(client, MyJobsSubscription);
    await expect(sub.done).rejects.toBeTruthy();
    expect(await closed).toBe(4403);
  });

  it("delivers a change made by plain SQL, by nobody but a person at psql", async () => {
    const id = await upload(await xlsxFile([["Widget", 3, 9.99]]), "operator.xlsx", me);
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });
    await sub.waitFor((r) => r.data?.jobStatus.status === "PENDING");
    await sql.query(
      `update imports set status = 'FAILED', error_message = 'Cancelled by an operator', background_job_id = null,
         processing_completed_at = now() where id = $1`,
      [id],
    );
    await sub.done;
    expect(sub.results.at(-1)?.data?.jobStatus).toMatchObject({
      status: "FAILED",
      errorMessage: "Cancelled by an operator",
    });
  });

  it("emits nothing for an update that was rolled back", async () => {
    const id = await upload(await xlsxFile([["Widget", 3, 9.99]]), "rollback.xlsx", me);
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });
    await sub.waitFor((r) => r.data?.jobStatus.status === "PENDING");

    const client = await sql.connect();
    try {
      await client.query("begin");
      await client.query("update imports set status = 'PROCESSING', phase = 'PARSING' where id = $1", [id]);
      await client.query("rollback");
    } finally {
      client.release();
    }
    // a committed change afterwards: once it arrives, anything the rollback caused would have too
    await sql.query("update imports set error_message = 'marker' where id = $1", [id]);
    await sub.waitFor((r) => r.data?.jobStatus.errorMessage === "marker");
    sub.unsubscribe();

    expect(sub.results.map((r) => r.data?.jobStatus.status)).toEqual(["PENDING", "PENDING"]);
    await sql.query("update imports set status = 'FAILED', background_job_id = null where id = $1", [id]);
  });

  it("still delivers the final status when the LISTEN connection is killed in the middle of a job", async () => {
    const id = await upload(bigCsv(3_000), "long.csv", me);
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });
    await sub.waitFor((r) => r.data?.jobStatus.status === "PENDING");

    const listeners = () =>
      sql.query<{ pid: number }>(
        "select pid from pg_stat_activity where application_name = $1 and datname = current_database()",
        [LISTENER_APPLICATION_NAME],
      );
    const [before] = (await listeners()).rows;
    expect(before).toBeDefined();

    // the job cannot write its rows while the test holds this lock: it stays PROCESSING until then
    const holder = new pg.Client({ connectionString: api.database.url });
    await holder.connect();
    try {
      await holder.query("begin");
      await holder.query("lock table records in share mode");
      await withWorker(async () => {
        await jobHistory(api.database.url, id, (v) => v.status === "PROCESSING");
        await sql.query("select pg_terminate_backend($1)", [before!.pid]);
        await holder.query("commit");
        await sub.done;
      });
    } finally {
      await holder.end();
    }
    expect(sub.results.at(-1)?.data?.jobStatus).toMatchObject({ status: "COMPLETED", rowsImported: 3_000 });

    // and the listener is back: a later change reaches a new subscriber (through the new LISTEN
    // connection, or the catch-up read after it connects), and exactly one listener exists again
    const probe = await upload(await xlsxFile([["Widget", 3, 9.99]]), "probe.xlsx", me);
    const probing = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, {
      id: probe,
    });
    await probing.waitFor((r) => r.data?.jobStatus.status === "PENDING");
    await sql.query("update imports set status = 'FAILED', background_job_id = null where id = $1", [probe]);
    await probing.done;
    const after = (await listeners()).rows;
    expect(after).toHaveLength(1);
    expect(after[0]!.pid).not.toBe(before!.pid);
  });

  it("catches up on a change committed while the listener was away", async () => {
    const id = await upload(await xlsxFile([["Widget", 3, 9.99]]), "away.xlsx", me);
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });
    await sub.waitFor((r) => r.data?.jobStatus.status === "PENDING");
    // kill the listener and finish the job in one statement: its NOTIFY goes to nobody
    await sql.query(
      `with killed as (
         select pg_terminate_backend(pid) from pg_stat_activity
         where application_name = $2 and datname = current_database()
       )
       update imports set status = 'FAILED', error_message = 'Finished while nobody listened',
         background_job_id = null from (select count(*) from killed) k where id = $1`,
      [id, LISTENER_APPLICATION_NAME],
    );
    await sub.done;
    expect(sub.results.at(-1)?.data?.jobStatus).toMatchObject({
      status: "FAILED",
      errorMessage: "Finished while nobody listened",
    });
  });
});

describe("identical subscriptions on many sockets (they share one execution)", () => {
  it("gives a socket that joins others on the same job the current state first, then every change", async () => {
    const me = await newUser();
    const id = await upload(await xlsxFile([["Widget", 3, 9.99]]), "shared.xlsx", me);
    const watch = () => subscribe(api.wsClient({ authorization: `Bearer ${me.token}` }), JobStatusSubscription, { id });
    const early = watch();
    await early.waitFor((r) => r.data?.jobStatus.status === "PENDING");
    await sql.query("update imports set error_message = 'first change' where id = $1", [id]);
    await early.waitFor((r) => r.data?.jobStatus.errorMessage === "first change");

    // joins after the change: its first result is that state, not the job as the others first saw it
    const late = watch();
    await late.waitFor(() => true);
    expect(late.results[0]?.data?.jobStatus).toMatchObject({ status: "PENDING", errorMessage: "first change" });

    // one leaving ends nothing for the other, and the final state ends both
    const third = watch();
    await third.waitFor(() => true);
    third.unsubscribe();
    await sql.query("update imports set error_message = 'second change' where id = $1", [id]);
    await late.waitFor((r) => r.data?.jobStatus.errorMessage === "second change");
    await sql.query("update imports set status = 'FAILED', background_job_id = null where id = $1", [id]);
    await Promise.all([early.done, late.done]);
    const messages = (sub: typeof early) => sub.results.map((r) => r.data?.jobStatus.errorMessage ?? null);
    expect(messages(early)).toEqual([null, "first change", "second change", "second change"]);
    expect(messages(late)).toEqual(["first change", "second change", "second change"]);
    expect(late.results.at(-1)?.data?.jobStatus.status).toBe("FAILED");
  });

  it("gives two users with the same document each their own results, and each of a user's sockets all of theirs", async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    const socket = (user: User) =>
      subscribe(api.wsClient({ authorization: `Bearer ${user.token}` }), MyJobsSubscription);
    const alices = [socket(alice), socket(alice)];
    const bobs = socket(bob);
    const [alicesJob, bobsJob] = [
      await upload(await xlsxFile([["Widget", 3, 9.99]]), "alice.xlsx", alice),
      await upload(await xlsxFile([["Gadget", 1, 1]]), "bob.xlsx", bob),
    ];
    // Bob's change is committed after Alice's: once it reaches him, hers would have too
    await sql.query("update imports set error_message = 'mine' where id = any($1)", [[alicesJob]]);
    await sql.query("update imports set error_message = 'mine' where id = any($1)", [[bobsJob]]);
    const changed = (job: string) => (r: { data?: { myJobs: { id: string } } | null }) => r.data?.myJobs.id === job;
    await Promise.all([...alices.map((sub) => sub.waitFor(changed(alicesJob))), bobs.waitFor(changed(bobsJob))]);
    await sql.query("update imports set status = 'FAILED', background_job_id = null where id = any($1)", [
      [alicesJob, bobsJob],
    ]);
    await Promise.all([
      ...alices.map((sub) => sub.waitFor((r) => changed(alicesJob)(r) && r.data?.myJobs.status === "FAILED")),
      bobs.waitFor((r) => changed(bobsJob)(r) && r.data?.myJobs.status === "FAILED"),
    ]);
    for (const sub of [...alices, bobs]) sub.unsubscribe();

    const ids = (sub: (typeof alices)[number]) => new Set(sub.results.map((r) => r.data?.myJobs.id));
    expect(alices.map(ids)).toEqual([new Set([alicesJob]), new Set([alicesJob])]);
    expect(ids(bobs)).toEqual(new Set([bobsJob]));

    // and jobStatus on Alice's job, with the very document Alice is watching it with: NOT_FOUND for Bob
    const other = await upload(await xlsxFile([["Widget", 3, 9.99]]), "other.xlsx", alice);
    const watching = subscribe(api.wsClient({ authorization: `Bearer ${alice.token}` }), JobStatusSubscription, {
      id: other,
    });
    await watching.waitFor(() => true);
    const theirs = subscribe(api.wsClient({ authorization: `Bearer ${bob.token}` }), JobStatusSubscription, {
      id: other,
    });
    const errors = (await theirs.done.then(
      () => theirs.results.flatMap((r) => r.errors ?? []),
      (err: unknown) => err,
    )) as Array<{ extensions?: { code?: string } }>;
    expect(errors.map((e) => e.extensions?.code)).toEqual(["NOT_FOUND"]);
    expect(theirs.results.every((r) => !r.data?.jobStatus)).toBe(true);
    watching.unsubscribe();
  });
});

describe("myJobs", () => {
  let me: User;
  beforeAll(async () => {
    me = await newUser();
  });

  it("sees every change to the viewer's jobs and none of another user's", async () => {
    const viewer = await newUser();
    const other = await newUser();
    const sub = subscribe(api.wsClient({ authorization: `Bearer ${viewer.token}` }), MyJobsSubscription);
    const stranger = await upload(await xlsxFile([["Secret", 1, 1]]), "theirs.xlsx", other);
    // the stranger's job finishes first; events reach us in commit order, so it would show up before ours
    const first = await upload(await xlsxFile([["Widget", 3, 9.99]]), "one.xlsx", viewer);
    const second = await upload(Buffer.from("Name,Unit Price\nGadget,1\n"), "two.csv", viewer);
    await withWorker(async () => {
      await waitForImport(api.database.url, stranger, isFinal);
      for (const id of [first, second]) {
        await sub.waitFor((r) => r.data?.myJobs.id === id && r.data.myJobs.status === "COMPLETED");
      }
    });
    sub.unsubscribe();

    const seen = sub.results.map((r) => r.data!.myJobs);
    expect(new Set(seen.map((job) => job.id))).toEqual(new Set([first, second]));
    for (const id of [first, second]) {
      // a tiny import can pass PROCESSING between two reads, and its PENDING insert can beat the
      // subscription's registration: what is certain is the end, and the order of what comes
      const statuses = folded(seen.filter((job) => job.id === id).map((job) => job.status));
      expect(statuses.at(-1)).toBe("COMPLETED");
      const committed = folded((await jobHistory(api.database.url, id)).map((v) => v.status));
      expect(committed).toEqual(["PENDING", "PROCESSING", "COMPLETED"]);
      expect(isSubsequence(statuses, committed), JSON.stringify(statuses)).toBe(true);
    }
  });

  it(`allows ${MAX_SUBSCRIPTIONS_PER_CONNECTION} open subscriptions on one socket, and refuses the next`, async () => {
    const client = api.wsClient({ authorization: `Bearer ${me.token}` });
    const open = Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION }, () => subscribe(client, MyJobsSubscription));
    const extra = subscribe(client, MyJobsSubscription);
    const errors = (await extra.done.then(
      () => [],
      (err: unknown) => err,
    )) as Array<{ extensions?: { code?: string } }>;
    expect(errors.map((e) => e.extensions?.code)).toEqual(["TOO_MANY_SUBSCRIPTIONS"]);
    // the open ones still work
    const id = await upload(await xlsxFile([["Widget", 3, 9.99]]), "cap.xlsx", me);
    await sql.query("update imports set status = 'FAILED', background_job_id = null where id = $1", [id]);
    await open[0]!.waitFor((r) => r.data?.myJobs.id === id && r.data.myJobs.status === "FAILED");
    await open.at(-1)!.waitFor((r) => r.data?.myJobs.id === id && r.data.myJobs.status === "FAILED");
    for (const sub of open) sub.unsubscribe();
  });
});

describe("over SSE", () => {
  let me: User;
  beforeAll(async () => {
    me = await newUser();
  });

  it("streams the same events to an EventSource-style request", async () => {
    const id = await upload(bigCsv(2_000), "sse.csv", me);
    const response = await fetch(api.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "text/event-stream",
        authorization: `Bearer ${me.token}`,
      },
      body: JSON.stringify({
        query: "subscription ($id: ID!) { jobStatus(id: $id) { __typename status ... on Import { phase } } }",
        variables: { id },
      }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events: Array<{ event: string; data: string }> = [];
    let buffer = "";
    const decoder = new TextDecoder();
    let workerStarted: Promise<unknown> | undefined;
    let stopWorker = async () => {};
    const reader = response.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? "";
        if (event) events.push({ event, data });
      }
      // once the first state is in, let a worker run the job
      if (!workerStarted && events.some((e) => e.event === "next")) {
        workerStarted = startTestApp({ role: "worker", database: api.database }).then((w) => {
          stopWorker = () => w.stop();
        });
      }
    }
    await workerStarted;
    await stopWorker();

    expect(events.at(-1)?.event).toBe("complete");
    const states = events.filter((e) => e.event === "next").map((e) => JSON.parse(e.data).data.jobStatus);
    expect(states[0]).toEqual({ __typename: "Import", status: "PENDING", phase: "QUEUED" });
    expect(states.at(-1)).toEqual({ __typename: "Import", status: "COMPLETED", phase: "DONE" });
    // in between, committed states in order, some maybe coalesced away
    const history = await jobHistory(api.database.url, id);
    const seen = folded(states.map((job: { status: string; phase: string }) => `${job.status} ${job.phase}`));
    expect(isSubsequence(seen, folded(history.map((v) => `${v.status} ${v.phase}`))), JSON.stringify(seen)).toBe(true);
  });

  it("requires a token over SSE too", async () => {
    const response = await fetch(api.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream" },
      body: JSON.stringify({ query: "subscription { myJobs { id } }" }),
    });
    const text = await response.text();
    expect(text).toMatch(/UNAUTHENTICATED/);
  });
});
