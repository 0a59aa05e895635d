import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApp, type App } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { createTestDatabase, type TestDatabase } from "./helpers/database.js";
import { orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { TEST_LIMITS } from "./helpers/testLimits.js";
import { CreateTemplate, Me, SignUp } from "./operations.js";

/**
 * The server's own log, as its logger writes it (a destination stream instead of stdout): one line
 * per HTTP request with its request id, user and operation, and no key twice in any line.
 */

/** Every line the server logged, as written. */
const lines: string[] = [];
const waiters: Array<{
  match: (line: Record<string, unknown>) => boolean;
  resolve: (line: Record<string, unknown>) => void;
}> = [];
const destination = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const text of chunk.toString("utf8").split("\n").filter(Boolean)) {
      lines.push(text);
      const line = JSON.parse(text) as Record<string, unknown>;
      for (const waiter of waiters.filter((w) => w.match(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
    done();
  },
});

/** The first log line (written already or still to come) that matches. */
function waitForLine(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const seen = lines.map((text) => JSON.parse(text) as Record<string, unknown>).find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise((resolve) => waiters.push({ match, resolve }));
}

/** The request line of the request whose id is `requestId`. */
const requestLine = (requestId: string) =>
  waitForLine((line) => line.msg === "request" && line.requestId === requestId);

/** The top-level keys of one JSON log line, in order, repeats kept (JSON.parse would drop them). */
function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') {
        inString = false;
        if (depth === 1 && json[i + 1] === ":") keys.push(JSON.parse(json.slice(start, i + 1)) as string);
      }
    } else if (c === '"') {
      inString = true;
      start = i;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  return keys;
}

const repeated = (keys: string[]) => keys.filter((key, i) => keys.indexOf(key) !== i);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let database: TestDatabase;
let app: App;
let url: string;
let token: string;
let userId: string;

/** POSTs one GraphQL request over real HTTP. */
async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { response, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: database.url, ...TEST_LIMITS }, []);
  app = await startApp(config, createLogger("info", destination));
  url = app.url!;
  const { body } = await post(
    { query: print(SignUp), variables: { email: `${randomUUID()}@example.com`, password: "long enough" } },
    { "x-request-id": "signup-1" },
  );
  const signedUp = (body.data as { signUp: { token: string; user: { id: string } } }).signUp;
  token = signedUp.token;
  userId = signedUp.user.id;
});

afterAll(async () => {
  await app.stop();
  await database.drop();
});

describe("request ids", () => {
  it("echoes a valid x-request-id and logs it with the operation's name (no user yet for signUp)", async () => {
    const line = await requestLine("signup-1");
    expect(line).toMatchObject({ method: "POST", path: "/graphql", status: 200, operation: "SignUp" });
    expect(line.userId).toBeUndefined();
    expect(typeof line.ms).toBe("number");

    const { response } = await post({ query: print(Me) }, { "x-request-id": "Root=1-5759e988-bd862e3f;x" });
    // ';' is not among the characters we take as they are: a new id replaces it
    expect(response.headers.get("x-request-id")).toMatch(UUID);
  });

  it("logs the signed-in user and the operation that ran", async () => {
    const { response, body } = await post(
      { query: print(Me) },
      { authorization: `Bearer ${token}`, "x-request-id": "3f2a9c1e-me" },
    );
    expect(body.errors).toBeUndefined();
    expect(response.headers.get("x-request-id")).toBe("3f2a9c1e-me");
    expect(await requestLine("3f2a9c1e-me")).toMatchObject({ userId, operation: "Me", status: 200 });
  });

  it("replaces an id that is too long or holds other characters, and logs the one it answers with", async () => {
    for (const sent of ["x".repeat(129), "two words", 'quote"d', "tab\there", ""]) {
      const { response } = await post({ query: "{ __typename }" }, { "x-request-id": sent });
      const echoed = response.headers.get("x-request-id")!;
      expect(echoed).toMatch(UUID);
      expect(await requestLine(echoed)).toMatchObject({ path: "/graphql", status: 200 });
    }
  });

  it("gives a request without one an id of its own, a new one each time", async () => {
    const first = (await post({ query: "{ __typename }" })).response.headers.get("x-request-id")!;
    const second = (await post({ query: "{ __typename }" })).response.headers.get("x-request-id")!;
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
    await requestLine(first);
    await requestLine(second);
  });

  it("names the operation chosen by operationName, and the one a client named even when it fails to validate", async () => {
    await post(
      { query: "query First { __typename } query Second { me { id } }", operationName: "Second" },
      { authorization: `Bearer ${token}`, "x-request-id": "two-ops" },
    );
    expect(await requestLine("two-ops")).toMatchObject({ operation: "Second", userId });

    const { body } = await post(
      { query: "query Broken { nope }", operationName: "Broken" },
      { authorization: `Bearer ${token}`, "x-request-id": "broken" },
    );
    expect(body.errors).toHaveLength(1);
    expect(await requestLine("broken")).toMatchObject({ operation: "Broken" });
  });

  it("logs the user of a download made with a bearer token", async () => {
    const origin = new URL(url).origin;
    const response = await fetch(`${origin}/exports/${randomUUID()}/download`, {
      headers: { authorization: `Bearer ${token}`, "x-request-id": "download-1" },
    });
    expect(response.status).toBe(404);
    await response.arrayBuffer();
    expect(await requestLine("download-1")).toMatchObject({ userId, status: 404, method: "GET" });
    expect((await requestLine("download-1")).operation).toBeUndefined();
  });

  it("answers every route with it: health checks, metrics, downloads, the web page", async () => {
    const origin = new URL(url).origin;
    for (const path of ["/healthz", "/readyz", "/metrics", `/exports/${randomUUID()}/download`, "/"]) {
      const id = `route-${path.length}-${randomUUID().slice(0, 8)}`;
      const response = await fetch(`${origin}${path}`, { headers: { "x-request-id": id } });
      await response.arrayBuffer();
      expect(response.headers.get("x-request-id"), path).toBe(id);
      expect(await requestLine(id), path).toMatchObject({ path, method: "GET", status: response.status });
    }
  });
});

describe("log lines", () => {
  it("never repeat a key, through imports that complete and fail on the worker", async () => {
    const template = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: print(CreateTemplate),
        variables: { input: { name: "Orders", columns: orderColumns } },
      }),
    });
    const templateId = ((await template.json()) as { data: { createImportTemplate: { id: string } } }).data
      .createImportTemplate.id;
    const good = Buffer.from("Name,Quantity,Unit Price\nTea,1,2.50\nCoffee,2,3.75\n");
    // no Unit Price column, which the template requires: the run fails for good, and says so in the log
    const bad = Buffer.from("Name,Quantity\nTea,1\n");
    const ids: string[] = [];
    for (const file of [good, bad]) {
      const started = await uploadFile({ url }, token, templateId, file, "orders.csv", {
        headers: { "x-graphql-yoga-csrf": "1", "x-request-id": `upload-${ids.length}` },
      });
      ids.push(started.data!.startImport.id);
    }
    await waitForImport(database.url, ids[0]!, (row) => row.status === "COMPLETED");
    await waitForImport(database.url, ids[1]!, (row) => row.status === "FAILED");
    // the upload's line has its user and operation
    expect(await requestLine("upload-0")).toMatchObject({ userId, operation: "StartImport", status: 200 });
    // the failed run's warning: its logger binds kind, id and jobId, and the call adds err
    const failed = await waitForLine((line) => line.msg === "Import failed" && line.id === ids[1]);
    expect(failed).toMatchObject({ kind: "Import", err: { message: expect.stringMatching(/Unit Price/) } });

    expect(lines.length).toBeGreaterThan(10);
    const withRepeats = lines.filter((text) => repeated(topLevelKeys(text)).length > 0);
    expect(withRepeats).toEqual([]);
  });

  it("keep the call's value when a call or a child repeats a key its logger binds", () => {
    const written: string[] = [];
    const logger = createLogger(
      "info",
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          written.push(chunk.toString("utf8").trim());
          done();
        },
      }),
    );
    const job = logger.child({ kind: "Import", id: "a1", jobId: "7" });
    job.warn({ id: "b2", err: new Error("boom") }, "one");
    job.child({ jobId: "8" }).child({ kind: "Export" }).info("two");
    logger.info({ msg: "a field named msg", time: 1, level: "x" }, "three");
    // graphile-worker's key for errors: serialized as pino serializes err, not as {}
    logger.error({ error: new Error("from the queue") }, "four");

    for (const text of written) expect(repeated(topLevelKeys(text)), text).toEqual([]);
    const [one, two, three, four] = written.map((text) => JSON.parse(text) as Record<string, unknown>);
    expect(one).toMatchObject({ kind: "Import", id: "b2", jobId: "7", msg: "one", err: { message: "boom" } });
    expect(two).toMatchObject({ kind: "Export", id: "a1", jobId: "8", msg: "two" });
    expect(three).toMatchObject({ msg: "three", _msg: "a field named msg", _time: 1, _level: "x", level: 30 });
    expect(four).toMatchObject({ error: { type: "Error", message: "from the queue" } });
  });
});
