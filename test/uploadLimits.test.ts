import { randomUUID } from "node:crypto";
import { print, type GraphQLError } from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runTaskNow } from "./helpers/jobs.js";
import { orderColumns, uploadFile } from "./helpers/imports.js";
import { startTestApp, wsRequest, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, Me, MyJobsSubscription, SignUp, StartImport } from "./operations.js";
import { BOUNDARY, CLOSING, fileHead, multipart, openMultipart, type Answer } from "./helpers/rawMultipart.js";
import { until } from "./helpers/until.js";

const MiB = 1024 * 1024;
const MAX_STORED_BYTES = 5 * MiB;

let t: TestApp;
let sql: pg.Pool;
let origin: string;

beforeAll(async () => {
  // no worker: imports stay queued with their files, so what is stored is what the tests uploaded
  t = await startTestApp({
    role: "api",
    env: {
      UPLOAD_IDLE_TIMEOUT_SECONDS: "1",
      MAX_CONCURRENT_UPLOADS_PER_USER: "3",
      MAX_STORED_BYTES_PER_USER: String(MAX_STORED_BYTES),
      MAX_UPLOAD_BYTES: String(3 * MiB),
    },
  });
  sql = new pg.Pool({ connectionString: t.database.url });
  origin = new URL(t.url).origin;
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

/** A new user with a template; their token and the template's id. */
async function newUploader() {
  const email = `${randomUUID()}@example.com`;
  const signUp = await t.request(SignUp, { email, password: "long enough" });
  const token = signUp.data!.signUp.token;
  const created = await t.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  const userId = (await sql.query("select id from users where email = $1", [email])).rows[0].id;
  return { token, templateId: created.data!.createImportTemplate.id, userId: userId as string };
}

/** A csv of exactly `bytes` bytes. */
function csvOf(bytes: number): Buffer {
  const header = "Name,Quantity,Unit Price\n";
  const row = "Widget,1,2\n";
  const rows = Math.floor((bytes - header.length) / row.length);
  return Buffer.from(header + row.repeat(rows) + "x".repeat(bytes - header.length - rows * row.length));
}

const startImportOperations = (templateId: string) =>
  JSON.stringify({ query: print(StartImport), variables: { templateId, file: null } });
const FILE_MAP = JSON.stringify({ 0: ["variables.file"] });

/** A startImport whose file part has begun with `first` bytes; the rest is up to the test. */
function openUpload(token: string, templateId: string, first: Buffer = Buffer.from("Name,Quantity,Unit Price\n")) {
  const opened = openMultipart(t.url, token);
  const head = multipart([
    ["operations", startImportOperations(templateId)],
    ["map", FILE_MAP],
  ]);
  // the request's parts without the closing boundary, then the file part's head
  opened.req.write(head.subarray(0, head.length - CLOSING.length));
  opened.req.write(fileHead("0", "slow.csv"));
  opened.req.write(first);
  return opened;
}

async function unfinishedUploads(userId: string): Promise<number> {
  const { rows } = await sql.query("select count(*)::int as n from stored_files where user_id = $1 and not finished", [
    userId,
  ]);
  return rows[0].n;
}

async function storedFiles(userId: string): Promise<{ files: number; chunks: number; bytes: number }> {
  const { rows } = await sql.query(
    `select count(distinct f.id)::int as files, count(c.seq)::int as chunks, coalesce(sum(length(c.data)), 0)::int as bytes
     from stored_files f left join stored_file_chunks c on c.file_id = f.id where f.user_id = $1`,
    [userId],
  );
  return rows[0];
}

async function timedMe(token: string, url = t.url): Promise<{ ms: number; status: number; body: Answer["body"] }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(Me) }),
  });
  const body = (await response.json()) as Answer["body"];
  return { ms: performance.now() - started, status: response.status, body };
}

async function readyz(base = origin): Promise<{ status: number; body: { status: string } }> {
  const response = await fetch(`${base}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string } };
}

const codes = (answer: { errors?: Array<{ extensions?: { code?: string } }> }) =>
  answer.errors?.map((e) => e.extensions?.code);

describe("uploads never hold the database", () => {
  it("40 slow uploads leave other users' requests and /readyz as fast as ever", async () => {
    // one attacker's 40 uploads, 3 users' worth of them each (the concurrency cap is tested below)
    const attackers = await Promise.all(Array.from({ length: 14 }, () => newUploader()));
    const other = await newUploader();
    await timedMe(other.token); // the connection and the code paths warmed up

    const uploads = Array.from({ length: 40 }, (_, i) => {
      const attacker = attackers[i % attackers.length]!;
      return openUpload(attacker.token, attacker.templateId);
    });
    // a byte every 250 ms: never idle for the 1 s timeout, never done
    const trickle = setInterval(() => uploads.forEach(({ req }) => req.write("W")), 250);
    try {
      await until("40 uploads streaming", async () => {
        const { rows } = await sql.query("select count(*)::int as n from stored_files where not finished");
        return rows[0].n === 40;
      });
      const { rows: idleInTransaction } = await sql.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
      );
      expect(idleInTransaction[0].n).toBe(0);

      const me = await timedMe(other.token);
      expect(me.body.errors).toBeUndefined();
      expect(me.ms).toBeLessThan(200);
      expect(await readyz()).toEqual({ status: 200, body: { status: "ready" } });
    } finally {
      clearInterval(trickle);
      uploads.forEach(({ req }) => req.destroy());
    }
    // the client gone, each upload deletes what it stored
    await until("uploads cleaned up", async () => {
      const { rows } = await sql.query("select count(*)::int as n from stored_files where not finished");
      return rows[0].n === 0;
    });
  });

  it("drops an upload that sends nothing for UPLOAD_IDLE_TIMEOUT_SECONDS with UPLOAD_TIMEOUT, keeping none of it", async () => {
    const user = await newUploader();
    // past 1 MiB, so a chunk is stored before the client stops
    const upload = openUpload(user.token, user.templateId, csvOf(MiB + 1000));
    await until("a chunk stored", async () => (await storedFiles(user.userId)).chunks === 1);
    const { status, body } = await upload.answer;
    expect(status).toBe(200);
    expect(codes(body)).toEqual(["UPLOAD_TIMEOUT"]);
    expect(body.errors![0]!.message).toBe("The upload stopped: nothing arrived for 1 s.");
    expect(await storedFiles(user.userId)).toEqual({ files: 0, chunks: 0, bytes: 0 });
    upload.req.destroy();
  });

  it("answers 408 UPLOAD_TIMEOUT to a request that stops before its file, having held nothing", async () => {
    const user = await newUploader();
    const { req, answer } = openMultipart(t.url, user.token);
    req.write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":`);
    const { status, body } = await answer;
    expect(status).toBe(408);
    expect(codes(body)).toEqual(["UPLOAD_TIMEOUT"]);
    expect(await storedFiles(user.userId)).toEqual({ files: 0, chunks: 0, bytes: 0 });
  });

  it("refuses a 4th upload at once with TOO_MANY_UPLOADS, and takes one again when one ends", async () => {
    const user = await newUploader();
    const uploads = [0, 1, 2].map(() => openUpload(user.token, user.templateId));
    const trickle = setInterval(() => uploads.forEach(({ req }) => req.write("W")), 250);
    try {
      await until("3 uploads streaming", async () => (await unfinishedUploads(user.userId)) === 3);
      const fourth = await uploadFile(t, user.token, user.templateId, csvOf(100), "fourth.csv");
      expect(codes(fourth)).toEqual(["TOO_MANY_UPLOADS"]);
      expect(fourth.errors![0]!.message).toBe(
        "At most 3 of your uploads may stream in at once; wait for one to finish.",
      );

      uploads[0]!.req.destroy();
      await until("the abandoned upload deleted", async () => (await unfinishedUploads(user.userId)) === 2);
      const fifth = await uploadFile(t, user.token, user.templateId, csvOf(100), "fifth.csv");
      expect(fifth.errors).toBeUndefined();
    } finally {
      clearInterval(trickle);
      uploads.forEach(({ req }) => req.destroy());
    }
  });

  it("refuses uploads past MAX_STORED_BYTES_PER_USER with QUOTA_EXCEEDED, while streaming and before", async () => {
    const user = await newUploader();
    const first = await uploadFile(t, user.token, user.templateId, csvOf(3 * MiB), "first.csv");
    expect(first.errors).toBeUndefined();
    // 3 MiB stored: the next 3 MiB passes its first chunk (4 MiB) and its second (5 MiB), not its third
    const second = await uploadFile(t, user.token, user.templateId, csvOf(3 * MiB), "second.csv");
    expect(codes(second)).toEqual(["QUOTA_EXCEEDED"]);
    expect(second.errors![0]!.message).toMatch(/^This upload would take your stored files past the 5 MiB limit\./);
    expect(await storedFiles(user.userId)).toMatchObject({ files: 1, bytes: 3 * MiB });

    const fits = await uploadFile(t, user.token, user.templateId, csvOf(2 * MiB), "fits.csv");
    expect(fits.errors).toBeUndefined();
    const full = await uploadFile(t, user.token, user.templateId, csvOf(100), "full.csv");
    expect(codes(full)).toEqual(["QUOTA_EXCEEDED"]);
    expect(full.errors![0]!.message).toMatch(/^Your stored files already take the 5 MiB you may store\./);
    expect(await storedFiles(user.userId)).toMatchObject({ files: 2, bytes: 5 * MiB });
  });

  it("sweeps the chunks of uploads that never finished, once past the upload deadline", async () => {
    // a worker on a database of its own: no queued import of the tests above runs first
    const worker = await startTestApp({ role: "worker" });
    const db = new pg.Pool({ connectionString: worker.database.url });
    try {
      const {
        rows: [user],
      } = await db.query("insert into users (email, password_hash) values ('sweep@example.com', 'x') returning id");
      const { rows: files } = await db.query(
        `insert into stored_files (user_id, size, finished, created_at) values
           ($1, 3, false, now() - interval '2 hours'), ($1, 3, false, now()), ($1, 3, true, now() - interval '2 hours')
         returning id`,
        [user.id],
      );
      for (const { id } of files) {
        await db.query("insert into stored_file_chunks (file_id, seq, data) values ($1, 0, 'abc')", [id]);
      }
      await runTaskNow(worker, db, "deleteAbandonedUploads");
      const { rows: left } = await db.query(
        "select f.id from stored_files f join stored_file_chunks c on c.file_id = f.id order by f.id",
      );
      // the abandoned one is gone; the one still streaming in and the finished one stay
      expect(left.map((row) => row.id)).toEqual([files[1].id, files[2].id].sort());
    } finally {
      await db.end();
      await worker.stop();
    }
  });
});

describe("upload errors say what happened", () => {
  it("a request with two files for one is REQUEST_ENTITY_TOO_LARGE, not FILE_TOO_LARGE", async () => {
    const user = await newUploader();
    const { req, answer } = openMultipart(t.url, user.token);
    req.end(
      multipart([
        ["operations", startImportOperations(user.templateId)],
        ["map", FILE_MAP],
        ["0", { fileName: "a.csv", bytes: Buffer.from("Name,Quantity,Unit Price\nA,1,2\n") }],
        ["1", { fileName: "b.csv", bytes: Buffer.from("Name,Quantity,Unit Price\nB,1,2\n") }],
      ]),
    );
    const { body } = await answer;
    expect(codes(body)).toEqual(["REQUEST_ENTITY_TOO_LARGE"]);
    expect(body.errors![0]!.message).toBe("A request may carry one file only.");
  });

  it("a map naming two files is REQUEST_ENTITY_TOO_LARGE (413)", async () => {
    const user = await newUploader();
    const { req, answer } = openMultipart(t.url, user.token);
    req.end(
      multipart([
        ["operations", startImportOperations(user.templateId)],
        ["map", JSON.stringify({ 0: ["variables.file"], 1: ["variables.other"] })],
        ["0", { fileName: "a.csv", bytes: Buffer.from("Name\nA\n") }],
      ]),
    );
    const { status, body } = await answer;
    expect(status).toBe(413);
    expect(codes(body)).toEqual(["REQUEST_ENTITY_TOO_LARGE"]);
    expect(body.errors![0]!.message).toBe("A request may carry one file only.");
  });

  it("a map naming a file part the request lacks is BAD_USER_INPUT", async () => {
    const user = await newUploader();
    const { req, answer } = openMultipart(t.url, user.token);
    req.end(
      multipart([
        ["operations", startImportOperations(user.templateId)],
        ["map", FILE_MAP],
      ]),
    );
    const { body } = await answer;
    expect(codes(body)).toEqual(["BAD_USER_INPUT"]);
    expect(body.errors![0]!.message).toBe("The request's map names a file part that the request does not contain.");
  });

  it("a chunked upload past MAX_UPLOAD_BYTES is FILE_TOO_LARGE, keeping none of it", async () => {
    const user = await newUploader();
    const { req, answer } = openMultipart(t.url, user.token);
    const body = multipart([
      ["operations", startImportOperations(user.templateId)],
      ["map", FILE_MAP],
      ["0", { fileName: "big.csv", bytes: csvOf(4 * MiB) }],
    ]);
    for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.subarray(at, at + 64 * 1024));
    req.end();
    const answered = await answer;
    expect(codes(answered.body)).toEqual(["FILE_TOO_LARGE"]);
    expect(answered.body.errors![0]!.message).toBe("The file is larger than the 3 MiB limit.");
    expect(await storedFiles(user.userId)).toEqual({ files: 0, chunks: 0, bytes: 0 });
  });
});

describe("the API's pool", () => {
  let api: TestApp;
  let apiOrigin: string;
  let token: string;

  beforeAll(async () => {
    api = await startTestApp({ role: "api", env: { DATABASE_POOL_SIZE: "2", DATABASE_POOL_WAIT_SECONDS: "1" } });
    apiOrigin = new URL(api.url).origin;
    const signUp = await api.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
    token = signUp.data!.signUp.token;
  });

  afterAll(async () => {
    await api.stop();
  });

  it("answers 503 DATABASE_BUSY within DATABASE_POOL_WAIT_SECONDS when every connection stays busy, and /readyz says pool busy", async () => {
    const socket = api.wsClient({ authorization: `Bearer ${token}` });
    // a subscription keeps the (lazy) client connected from before the pool is held
    const watching = socket.subscribe(
      { query: print(MyJobsSubscription) },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    expect((await wsRequest(socket, Me, {})).data?.me).not.toBeNull();
    const held = [await api.app.db.pool.connect(), await api.app.db.pool.connect()];
    try {
      const waiting = timedMe(token, api.url);
      await until("a request waiting for a connection", async () => api.app.db.pool.waitingCount > 0);
      expect(await readyz(apiOrigin)).toMatchObject({
        status: 503,
        body: { status: "pool busy", error: { code: "DATABASE_BUSY" } },
      });
      const busy = await waiting;
      expect(busy.status).toBe(503);
      expect(codes(busy.body)).toEqual(["DATABASE_BUSY"]);
      expect(busy.ms).toBeGreaterThan(900);
      expect(busy.ms).toBeLessThan(2_500);
      // over graphql-ws the operation is refused DATABASE_BUSY, and the socket stays open for the next
      const refused = (await wsRequest(socket, Me, {}).catch((errors: unknown) => errors)) as GraphQLError[];
      expect(refused.map((e) => e.extensions?.code)).toEqual(["DATABASE_BUSY"]);
      expect(refused[0]!.extensions).not.toHaveProperty("http");
    } finally {
      held.forEach((client) => client.release());
    }
    expect(await readyz(apiOrigin)).toEqual({ status: 200, body: { status: "ready" } });
    expect((await timedMe(token, api.url)).body.errors).toBeUndefined();
    expect((await wsRequest(socket, Me, {})).data?.me).not.toBeNull();
    watching();
  });

  it("/readyz tells a database that takes no connections from a busy pool", async () => {
    const name = new URL(api.database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: inject("adminUrl") });
    await admin.connect();
    try {
      await admin.query(`alter database ${admin.escapeIdentifier(name)} allow_connections false`);
      await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1", [name]);
      expect(await readyz(apiOrigin)).toMatchObject({
        status: 503,
        body: { status: "database unreachable", error: { code: "DATABASE_UNREACHABLE" } },
      });
    } finally {
      await admin.query(`alter database ${admin.escapeIdentifier(name)} allow_connections true`);
      await admin.end();
    }
    expect(await readyz(apiOrigin)).toEqual({ status: 200, body: { status: "ready" } });
  });
});
