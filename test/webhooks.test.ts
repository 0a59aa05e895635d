import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_URL_LENGTH } from "../src/webhooks/checkWebhookUrl.js";
import { MAX_WEBHOOKS_PER_USER } from "../src/webhooks/createWebhook.js";
import { DELIVERIES_KEPT } from "../src/webhooks/deliverWebhook.js";
import { MAX_RESPONSE_BYTES, sendWebhook } from "../src/webhooks/sendWebhook.js";
import { RequestExport } from "./exportOperations.js";
import { graphql } from "./gql/index.js";
import type { WebhookEvent } from "./gql/graphql.js";
import { waitForExport, isFinalExport } from "./helpers/exports.js";
import { isSettled, orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { until } from "./helpers/until.js";
import { CreateTemplate, SignUp } from "./operations.js";

const CreateWebhook = graphql(`
  mutation CreateWebhook($url: String!, $events: [WebhookEvent!]!) {
    createWebhook(url: $url, events: $events) {
      secret
      webhook {
        id
        url
        events
        createdAt
        disabledAt
      }
    }
  }
`);

const DeleteWebhook = graphql(`
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id)
  }
`);

const MyWebhooks = graphql(`
  query MyWebhooks {
    webhooks(first: 50) {
      totalCount
      edges {
        node {
          id
          url
        }
      }
    }
  }
`);

const WebhookDeliveries = graphql(`
  query WebhookDeliveries($id: ID!) {
    webhook(id: $id) {
      id
      disabledAt
      deliveries(first: 50) {
        edges {
          node {
            id
            event
            jobId
            jobKind
            status
            attemptCount
            lastStatusCode
            lastError
            payload
            createdAt
            deliveredAt
            nextAttemptAt
            attempts {
              at
              statusCode
              error
              durationMs
            }
          }
        }
      }
    }
  }
`);

const WebhookCancelImport = graphql(`
  mutation WebhookCancelImport($id: ID!) {
    cancelImport(id: $id) {
      status
    }
  }
`);

/** One request a receiver got, as it arrived. */
interface Received {
  headers: http.IncomingHttpHeaders;
  method: string;
  body: string;
}

interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/**
 * A webhook receiver on 127.0.0.1: records each request and answers it with `answer(index)`.
 * `received(n)` resolves once the n-th request (0-based) has arrived: tests wait for it, never sleep.
 */
async function startReceiver(answer: (index: number) => Answer = () => ({ status: 200 })) {
  const requests: Received[] = [];
  const waiters = new Map<number, Array<(request: Received) => void>>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const index = requests.length;
      const request = { headers: req.headers, method: req.method ?? "", body: Buffer.concat(chunks).toString("utf8") };
      requests.push(request);
      const { status, body = "", headers = {} } = answer(index);
      res.writeHead(status, headers).end(body);
      for (const resolve of waiters.get(index) ?? []) resolve(request);
      waiters.delete(index);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    port,
    requests,
    received(index: number): Promise<Received> {
      const arrived = requests[index];
      if (arrived) return Promise.resolve(arrived);
      return new Promise((resolve) => waiters.set(index, [...(waiters.get(index) ?? []), resolve]));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Checks a request's Standard Webhooks signature the way a receiver would, with node:crypto only. */
function verifySignature(request: Received, secret: string): boolean {
  const id = String(request.headers["webhook-id"]);
  const timestamp = String(request.headers["webhook-timestamp"]);
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${id}.${timestamp}.${request.body}`).digest();
  return String(request.headers["webhook-signature"])
    .split(" ")
    .some((entry) => {
      const [version, signature] = entry.split(",");
      const given = Buffer.from(signature ?? "", "base64");
      return version === "v1" && given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/** The README's `verifyWebhook`, as a client would paste it. */
async function readmeVerifier(): Promise<(secret: string, headers: unknown, body: string) => boolean> {
  const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("### Webhooks"), readme.indexOf("### Errors"));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("the README's Webhooks section has no js example");
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), "webhooks-readme-")), "verify.mjs");
  await writeFile(file, `${code}\nexport { verifyWebhook };\n`);
  return ((await import(pathToFileURL(file).href)) as { verifyWebhook: never }).verifyWebhook;
}

let t: TestApp;
let sql: pg.Pool;
const receivers: Receiver[] = [];

beforeAll(async () => {
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
  sql = new pg.Pool({ connectionString: t.database.url });
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await sql.end();
  await t.stop();
});

async function receiver(answer?: (index: number) => Answer): Promise<Receiver> {
  const started = await startReceiver(answer);
  receivers.push(started);
  return started;
}

async function newUser(app: TestApp = t) {
  const signUp = await app.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  expect(signUp.errors).toBeUndefined();
  const token = signUp.data!.signUp.token;
  const template = await app.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  expect(template.errors).toBeUndefined();
  return { token, userId: signUp.data!.signUp.user.id, templateId: template.data!.createImportTemplate.id };
}

type User = Awaited<ReturnType<typeof newUser>>;

async function createWebhook(user: User, url: string, events: WebhookEvent[], app: TestApp = t) {
  const created = await app.request(CreateWebhook, { url, events }, user.token);
  expect(created.errors).toBeUndefined();
  return created.data!.createWebhook;
}

const GOOD_CSV = "Name,Unit Price\nLamp,20\nChair,45.5\n";

/** Uploads a CSV and waits until its import has stopped (ended, or waiting for review). */
async function importCsv(user: User, csv = GOOD_CSV, options?: { dryRun: boolean }, app: TestApp = t) {
  const started = await uploadFile(app, user.token, user.templateId, Buffer.from(csv), "orders.csv", { options });
  expect(started.errors).toBeUndefined();
  const id = started.data!.startImport.id;
  const row = await waitForImport(app.database.url, id, isSettled);
  return { id, status: row.status };
}

async function deliveries(user: User, webhookId: string, app: TestApp = t) {
  const result = await app.request(WebhookDeliveries, { id: webhookId }, user.token);
  expect(result.errors).toBeUndefined();
  return result.data!.webhook!.deliveries.edges.map((edge) => edge.node);
}

/** Waits until the webhook's log satisfies `check`, and returns it. */
async function deliveriesWhen(
  user: User,
  webhookId: string,
  check: (log: Awaited<ReturnType<typeof deliveries>>) => boolean,
  app: TestApp = t,
) {
  let log = await deliveries(user, webhookId, app);
  await until("the delivery log", async () => check((log = await deliveries(user, webhookId, app))));
  return log;
}

describe("webhook deliveries", () => {
  it("POSTs a job.completed event, signed per Standard Webhooks, when an import completes", async () => {
    const hooks = await receiver();
    const user = await newUser();
    const { secret, webhook } = await createWebhook(user, hooks.url, ["JOB_COMPLETED"]);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(secret.slice(6), "base64").length).toBeGreaterThanOrEqual(24);
    expect(webhook).toMatchObject({ url: hooks.url, events: ["JOB_COMPLETED"], disabledAt: null });

    const imported = await importCsv(user);
    expect(imported.status).toBe("COMPLETED");
    const request = await hooks.received(0);

    expect(request.method).toBe("POST");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(verifySignature(request, secret)).toBe(true);
    // a signature under another secret, or of another body, does not verify
    expect(verifySignature(request, `whsec_${Buffer.alloc(32).toString("base64")}`)).toBe(false);
    expect(verifySignature({ ...request, body: request.body.replace("Import", "Export") }, secret)).toBe(false);
    // and so does the README's example
    const verifyWebhook = await readmeVerifier();
    expect(verifyWebhook(secret, request.headers, request.body)).toBe(true);
    expect(verifyWebhook(secret, request.headers, `${request.body} `)).toBe(false);
    const sentAt = Number(request.headers["webhook-timestamp"]);
    expect(Math.abs(sentAt - Date.now() / 1000)).toBeLessThan(60);

    const event = JSON.parse(request.body) as { type: string; timestamp: string; data: Record<string, unknown> };
    expect(Object.keys(event)).toEqual(["type", "timestamp", "data"]);
    expect(event.type).toBe("job.completed");
    expect(new Date(event.timestamp).toISOString().slice(0, 19)).toBe(event.timestamp.slice(0, 19));
    expect(event.data).toMatchObject({
      id: imported.id,
      kind: "Import",
      status: "COMPLETED",
      templateId: user.templateId,
      fileName: "orders.csv",
      rowsImported: 2,
      rowsFailed: 0,
      rowsCreated: 2,
      rowsUpdated: 0,
      rowsUnchanged: 0,
      rowsDuplicate: 0,
      errorMessage: null,
    });

    const [delivery] = await deliveriesWhen(user, webhook.id, (log) => log[0]?.status === "SUCCEEDED");
    expect(delivery).toMatchObject({
      id: request.headers["webhook-id"],
      event: "JOB_COMPLETED",
      jobId: imported.id,
      jobKind: "Import",
      attemptCount: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      payload: event,
    });
    expect(delivery!.deliveredAt).not.toBeNull();
    expect(delivery!.attempts).toEqual([expect.objectContaining({ statusCode: 200, error: null })]);
    expect(hooks.requests).toHaveLength(1);
  });

  it("retries after a 500 under the same webhook-id, and the log shows both attempts", async () => {
    const hooks = await receiver((index) =>
      index === 0 ? { status: 500, body: "  receiver\nbroken " } : { status: 204 },
    );
    const user = await newUser();
    const { secret, webhook } = await createWebhook(user, hooks.url, ["JOB_COMPLETED"]);
    const imported = await importCsv(user);

    const first = await hooks.received(0);
    const [waiting] = await deliveriesWhen(user, webhook.id, (log) => log[0]?.attemptCount === 1);
    expect(waiting).toMatchObject({ status: "PENDING", lastStatusCode: 500, lastError: "HTTP 500: receiver broken" });
    // the schedule's first wait: 5 s, give or take 10%
    const wait = Date.parse(waiting!.nextAttemptAt!) - Date.parse(waiting!.attempts[0]!.at);
    expect(wait).toBeGreaterThanOrEqual(4_400);
    expect(wait).toBeLessThanOrEqual(5_600);

    const second = await hooks.received(1);
    expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(second.body).toBe(first.body);
    expect(Number(second.headers["webhook-timestamp"])).toBeGreaterThanOrEqual(
      Number(first.headers["webhook-timestamp"]),
    );
    expect(verifySignature(first, secret)).toBe(true);
    expect(verifySignature(second, secret)).toBe(true);

    const [delivered] = await deliveriesWhen(user, webhook.id, (log) => log[0]?.status === "SUCCEEDED");
    expect(delivered).toMatchObject({ jobId: imported.id, attemptCount: 2, lastStatusCode: 204, lastError: null });
    expect(delivered!.attempts.map((a) => [a.statusCode, a.error])).toEqual([
      [500, "HTTP 500: receiver broken"],
      [204, null],
    ]);
    expect(Date.parse(delivered!.attempts[1]!.at)).toBeGreaterThanOrEqual(Date.parse(waiting!.nextAttemptAt!) - 50);
  });

  it("delivers nothing of another user's jobs, and shows no one else's webhooks", async () => {
    const hooks = await receiver();
    const owner = await newUser();
    const stranger = await newUser();
    const { webhook } = await createWebhook(owner, hooks.url, ["JOB_COMPLETED", "JOB_FAILED", "JOB_CANCELLED"]);

    const theirs = await importCsv(stranger);
    expect(theirs.status).toBe("COMPLETED");
    // deliveries are queued in the transaction that completes the job: there would be one by now
    const { rows } = await sql.query("select 1 from webhook_deliveries where job_id = $1", [theirs.id]);
    expect(rows).toHaveLength(0);

    const mine = await importCsv(owner);
    const request = await hooks.received(0);
    expect(JSON.parse(request.body).data.id).toBe(mine.id);
    const log = await deliveriesWhen(owner, webhook.id, (entries) => entries[0]?.status === "SUCCEEDED");
    expect(log.map((d) => d.jobId)).toEqual([mine.id]);

    const listed = await t.request(MyWebhooks, {}, stranger.token);
    expect(listed.data?.webhooks).toEqual({ totalCount: 0, edges: [] });
    const peek = await t.request(WebhookDeliveries, { id: webhook.id }, stranger.token);
    expect(peek.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const deleted = await t.request(DeleteWebhook, { id: webhook.id }, stranger.token);
    expect(deleted.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    expect((await t.request(MyWebhooks, {}, owner.token)).data?.webhooks.totalCount).toBe(1);
  });

  it("sends each event a webhook asked for, from every place a job ends, and only those", async () => {
    const reviews = await receiver();
    const endings = await receiver();
    const user = await newUser();
    const reviewHook = await createWebhook(user, reviews.url, ["JOB_NEEDS_REVIEW", "JOB_CANCELLED"]);
    const endingHook = await createWebhook(user, endings.url, ["JOB_COMPLETED", "JOB_FAILED"]);

    // a dry run stops for review (a worker's run), then the user cancels it (the API)
    const dryRun = await importCsv(user, GOOD_CSV, { dryRun: true });
    expect(dryRun.status).toBe("NEEDS_REVIEW");
    expect(JSON.parse((await reviews.received(0)).body)).toMatchObject({
      type: "job.needs_review",
      data: { id: dryRun.id, kind: "Import", status: "NEEDS_REVIEW", rowsImported: 2 },
    });
    const cancelled = await t.request(WebhookCancelImport, { id: dryRun.id }, user.token);
    expect(cancelled.data?.cancelImport.status).toBe("CANCELLED");
    expect(JSON.parse((await reviews.received(1)).body)).toMatchObject({
      type: "job.cancelled",
      data: { id: dryRun.id, status: "CANCELLED" },
    });

    // a file without the required columns fails; a good one completes, and so does its export
    const failed = await importCsv(user, "Colour\nred\n");
    expect(failed.status).toBe("FAILED");
    expect(JSON.parse((await endings.received(0)).body)).toMatchObject({
      type: "job.failed",
      data: {
        id: failed.id,
        kind: "Import",
        status: "FAILED",
        errorMessage: expect.stringContaining("None of the expected columns"),
      },
    });
    const completed = await importCsv(user);
    await endings.received(1);
    const exported = await t.request(
      RequestExport,
      { templateId: user.templateId, importId: completed.id, format: "CSV" },
      user.token,
    );
    expect(exported.errors).toBeUndefined();
    const exportId = exported.data!.requestExport.id;
    await waitForExport(t.database.url, exportId, isFinalExport);
    expect(JSON.parse((await endings.received(2)).body)).toMatchObject({
      type: "job.completed",
      data: { id: exportId, kind: "Export", status: "COMPLETED", format: "CSV", rowCount: 2, importId: completed.id },
    });

    const reviewLog = await deliveriesWhen(user, reviewHook.webhook.id, (log) =>
      log.every((d) => d.status === "SUCCEEDED"),
    );
    expect(reviewLog.map((d) => d.event)).toEqual(["JOB_CANCELLED", "JOB_NEEDS_REVIEW"]);
    const endingLog = await deliveriesWhen(user, endingHook.webhook.id, (log) =>
      log.every((d) => d.status === "SUCCEEDED"),
    );
    expect(endingLog.map((d) => [d.event, d.jobKind])).toEqual([
      ["JOB_COMPLETED", "Export"],
      ["JOB_COMPLETED", "Import"],
      ["JOB_FAILED", "Import"],
    ]);
    expect(reviews.requests).toHaveLength(2);
    expect(endings.requests).toHaveLength(3);
  });

  it("stops sending to a receiver that answers 410 Gone", async () => {
    const hooks = await receiver(() => ({ status: 410 }));
    const user = await newUser();
    const { webhook } = await createWebhook(user, hooks.url, ["JOB_COMPLETED"]);
    await importCsv(user);
    await hooks.received(0);
    const [gone] = await deliveriesWhen(user, webhook.id, (log) => log[0]?.status === "FAILED");
    expect(gone).toMatchObject({ attemptCount: 1, lastStatusCode: 410, nextAttemptAt: null });

    const result = await t.request(WebhookDeliveries, { id: webhook.id }, user.token);
    expect(result.data?.webhook?.disabledAt).not.toBeNull();
    const later = await importCsv(user);
    const { rows } = await sql.query("select 1 from webhook_deliveries where job_id = $1", [later.id]);
    expect(rows).toHaveLength(0);
    expect(hooks.requests).toHaveLength(1);
  });
});

describe("webhook limits", () => {
  it(`keeps a webhook's newest ${DELIVERIES_KEPT} finished deliveries`, async () => {
    const hooks = await receiver();
    const user = await newUser();
    const { webhook } = await createWebhook(user, hooks.url, ["JOB_COMPLETED"]);
    // an old log, written directly: a day of finished deliveries, one a second
    await sql.query(
      `insert into webhook_deliveries (webhook_id, event, job_kind, job_id, payload, status, attempt_count, created_at)
       select $1, 'JOB_COMPLETED', 'Import', gen_random_uuid(), '{}', 'SUCCEEDED', 1, now() - interval '1 day' + make_interval(secs => n)
       from generate_series(1, $2::int) n`,
      [webhook.id, DELIVERIES_KEPT + 5],
    );
    const { rows: old } = await sql.query<{ id: string }>(
      "select id from webhook_deliveries where webhook_id = $1 order by created_at, id",
      [webhook.id],
    );
    const imported = await importCsv(user);
    await hooks.received(0);
    await until("the log pruned", async () => {
      const { rows } = await sql.query("select count(*)::int as count from webhook_deliveries where webhook_id = $1", [
        webhook.id,
      ]);
      return rows[0].count === DELIVERIES_KEPT;
    });
    const { rows } = await sql.query<{ id: string; job_id: string }>(
      "select id, job_id from webhook_deliveries where webhook_id = $1 order by created_at, id",
      [webhook.id],
    );
    // the new delivery is kept, and the oldest six of the old log are gone
    expect(rows.at(-1)!.job_id).toBe(imported.id);
    expect(rows.map((row) => row.id).slice(0, -1)).toEqual(old.slice(6).map((row) => row.id));
  });

  it(`refuses a webhook past ${MAX_WEBHOOKS_PER_USER} with QUOTA_EXCEEDED, until one is deleted`, async () => {
    const user = await newUser();
    const ids: string[] = [];
    for (let i = 0; i < MAX_WEBHOOKS_PER_USER; i++) {
      ids.push((await createWebhook(user, `http://127.0.0.1:9/hooks/${i}`, ["JOB_FAILED"])).webhook.id);
    }
    const refused = await t.request(
      CreateWebhook,
      { url: "http://127.0.0.1:9/more", events: ["JOB_FAILED"] },
      user.token,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe("QUOTA_EXCEEDED");
    expect(refused.errors?.[0]?.message).toContain(`${MAX_WEBHOOKS_PER_USER} webhooks`);

    const deleted = await t.request(DeleteWebhook, { id: ids[0]! }, user.token);
    expect(deleted.data?.deleteWebhook).toBe(true);
    await createWebhook(user, "http://127.0.0.1:9/more", ["JOB_FAILED"]);
    expect((await t.request(MyWebhooks, {}, user.token)).data?.webhooks.totalCount).toBe(MAX_WEBHOOKS_PER_USER);
  });

  it("refuses a URL that is too long, not http(s), or carries credentials, and an empty list of events", async () => {
    const user = await newUser();
    const cases: Array<[string, WebhookEvent[], RegExp]> = [
      [`http://127.0.0.1:9/${"a".repeat(MAX_URL_LENGTH)}`, ["JOB_FAILED"], /at most 2048 characters/],
      ["ftp://127.0.0.1/hooks", ["JOB_FAILED"], /must start with https/],
      ["not a url", ["JOB_FAILED"], /is not a URL/],
      ["http://user:secret@127.0.0.1:9/hooks", ["JOB_FAILED"], /user name or password/],
      ["http://127.0.0.1:9/hooks", [], /at least one event/],
    ];
    for (const [url, events, message] of cases) {
      const result = await t.request(CreateWebhook, { url, events }, user.token);
      expect(result.errors?.[0]?.extensions?.code, url).toBe("BAD_USER_INPUT");
      expect(result.errors?.[0]?.message, url).toMatch(message);
    }
    expect((await t.request(MyWebhooks, {}, user.token)).data?.webhooks.totalCount).toBe(0);
  });

  it("refuses private, loopback and link-local addresses, and plain http, while WEBHOOK_ALLOW_PRIVATE is off", async () => {
    const strict = await startTestApp({ role: "api", database: t.database });
    try {
      const user = await newUser(strict);
      for (const url of [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://[::1]/hooks",
        "https://10.1.2.3/hooks",
        "https://172.20.0.1/hooks",
        "https://192.168.1.10/hooks",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/hooks",
        "https://0.0.0.0/hooks",
        "https://[fd00::1]/hooks",
        "https://[fe80::1]/hooks",
        "https://[::ffff:10.0.0.1]/hooks",
        "https://0x7f000001/hooks",
        `http://127.0.0.1:${(await receiver()).port}/hooks`,
      ]) {
        const result = await strict.request(CreateWebhook, { url, events: ["JOB_COMPLETED"] }, user.token);
        expect(result.errors?.[0]?.extensions?.code, url).toBe("BAD_USER_INPUT");
        expect(result.errors?.[0]?.message, url).toMatch(/not a public address/);
      }
      // a public address: accepted over https, refused over http (192.0.43.10 is IANA's, no DNS needed)
      const plain = await strict.request(
        CreateWebhook,
        { url: "http://192.0.43.10/hooks", events: ["JOB_FAILED"] },
        user.token,
      );
      expect(plain.errors?.[0]?.message).toMatch(/must use https/);
      const created = await createWebhook(user, "https://192.0.43.10/hooks", ["JOB_FAILED"], strict);
      expect(created.webhook.url).toBe("https://192.0.43.10/hooks");
    } finally {
      await strict.stop();
    }
  });

  it("checks the address again at delivery: a name that resolves inside is refused, and nothing is sent", async () => {
    // the API allows private addresses, the worker does not: what a name resolves to can change
    // between the two (DNS rebinding), and the worker's check is the one that counts
    const api = await startTestApp({ role: "api", env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
    const worker = await startTestApp({
      role: "worker",
      database: api.database,
      env: { WEBHOOK_ALLOW_PRIVATE: "false" },
    });
    try {
      const hooks = await receiver();
      const user = await newUser(api);
      const { webhook } = await createWebhook(user, `https://localhost:${hooks.port}/hooks`, ["JOB_COMPLETED"], api);
      await importCsv(user, GOOD_CSV, undefined, api);
      const [refused] = await deliveriesWhen(user, webhook.id, (log) => log[0]?.attemptCount === 1, api);
      expect(refused).toMatchObject({ status: "PENDING", lastStatusCode: null });
      expect(refused!.lastError).toMatch(
        /^refused: localhost resolves to (127\.0\.0\.1|::1), which is not a public address/,
      );
      expect(hooks.requests).toHaveLength(0);
    } finally {
      await worker.stop();
      await api.stop();
    }
  });

  it(`bounds an attempt: one deadline, no redirect followed, at most ${MAX_RESPONSE_BYTES} bytes of the answer read`, async () => {
    const options = { timeoutMs: 300, allowPrivate: true };
    // a receiver that never answers
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const timedOut = await sendWebhook(`http://127.0.0.1:${port}/`, {}, "{}", options);
      expect(timedOut).toMatchObject({ statusCode: null, error: "no answer within 0.3 s" });
      expect(timedOut.durationMs).toBeGreaterThanOrEqual(290);
      expect(timedOut.durationMs).toBeLessThan(3_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }

    const moved = await receiver(() => ({ status: 302, headers: { location: "http://127.0.0.1:9/elsewhere" } }));
    const redirected = await sendWebhook(moved.url, {}, "{}", options);
    expect(redirected).toMatchObject({ statusCode: 302 });
    expect(redirected.error).toMatch(
      /redirects are not followed; point the webhook at http:\/\/127\.0\.0\.1:9\/elsewhere/,
    );
    expect(moved.requests).toHaveLength(1);

    // a receiver that would send 64 MiB: the answer is dropped after the first few KiB
    let written = 0;
    let finished = false;
    const flood = http.createServer((_req, res) => {
      res.writeHead(500);
      const chunk = Buffer.alloc(64 * 1024, "x");
      const pump = () => {
        while (written < 64 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end(() => (finished = true));
      };
      pump();
    });
    await new Promise<void>((resolve) => flood.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = flood.address() as AddressInfo;
      const cut = await sendWebhook(`http://127.0.0.1:${port}/`, {}, "{}", { ...options, timeoutMs: 10_000 });
      expect(cut.statusCode).toBe(500);
      expect(cut.error).toBe(`HTTP 500: ${"x".repeat(200)}…`);
      expect(finished).toBe(false);
      expect(written).toBeLessThan(64 * 1024 * 1024);
    } finally {
      flood.closeAllConnections();
      flood.close();
    }
  });
});
