import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES } from "../src/errors.js";
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from "../src/server/graphqlWs.js";
import { forgetUncodedErrors, uncodedErrors, walkResponse, walkWsMessage } from "./helpers/errorWalk.js";
import { subscribe } from "./helpers/subscriptions.js";
import { startTestApp, wsRequest, type TestApp } from "./helpers/testApp.js";
import { GetTemplate, MyJobsSubscription, SignUp, Templates } from "./operations.js";

let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  const signedUp = await t.request(SignUp, { email: "codes@example.com", password: "correct horse" });
  token = signedUp.data!.signUp.token;
});

afterAll(async () => {
  await t.stop();
});

type Body = { errors?: Array<{ message: string; extensions?: { code?: string } }> };

/** POSTs a raw body to /graphql and answers its status and parsed JSON body. */
async function post(body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }) {
  const response = await fetch(t.url, { method: "POST", headers, body });
  return { status: response.status, body: (await response.json()) as Body };
}

const codes = (body: Body) => body.errors?.map((e) => e.extensions?.code);

describe("the README's table of error codes", () => {
  it("lists exactly the registry's codes, with their statuses and descriptions", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("### Errors"), readme.indexOf("\n## ", readme.indexOf("### Errors")));
    const rows = section
      .split("\n")
      .filter((line) => /^\| `[A-Z_]+`/.test(line))
      .map((line) =>
        line
          .split("|")
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    const documented = rows.map(([code, status, description]) => ({
      code: code!.replace(/`/g, ""),
      statuses: status === "—" ? [] : status!.split(", ").map(Number),
      description,
    }));
    const registered = Object.entries(ERROR_CODES).map(([code, info]) => ({ code, ...info }));
    // both ways: a code missing from the README, or one the registry no longer has, fails here
    expect(documented).toEqual(registered);
  });
});

describe("CSRF", () => {
  it("answers a multipart request without the CSRF header 403 CSRF_HEADER_MISSING", async () => {
    const form = new FormData();
    form.set("operations", JSON.stringify({ query: "{ __typename }" }));
    form.set("map", "{}");
    const { status, body } = await post(form, {});
    expect(status).toBe(403);
    expect(codes(body)).toEqual(["CSRF_HEADER_MISSING"]);
  });

  it("answers a GET without the CSRF header 403 CSRF_HEADER_MISSING, and runs it with the header", async () => {
    const url = `${t.url}?query=${encodeURIComponent("{ __typename }")}`;
    const refused = await fetch(url);
    expect(refused.status).toBe(403);
    expect(codes((await refused.json()) as Body)).toEqual(["CSRF_HEADER_MISSING"]);
    const allowed = await fetch(url, { headers: { "x-graphql-yoga-csrf": "1" } });
    expect(await allowed.json()).toEqual({ data: { __typename: "Query" } });
  });
});

describe("variable errors", () => {
  const query = "query ($first: Int) { imports(first: $first) { edges { node { id } } } }";

  it("gives a variable of the wrong type BAD_USER_INPUT over HTTP", async () => {
    const { status, body } = await post(JSON.stringify({ query, variables: { first: "ten" } }));
    expect(status).toBe(400);
    expect(codes(body)).toEqual(["BAD_USER_INPUT"]);
    expect(body.errors![0]!.message).toMatch(/\$first/);
  });

  it("gives a missing required variable BAD_USER_INPUT over HTTP", async () => {
    const { status, body } = await post(JSON.stringify({ query: "query ($id: ID!) { job(id: $id) { id } }" }));
    expect(status).toBe(400);
    expect(codes(body)).toEqual(["BAD_USER_INPUT"]);
  });

  it("gives variable errors BAD_USER_INPUT over graphql-ws, for queries and subscriptions", async () => {
    const client = t.wsClient({ authorization: `Bearer ${token}` });
    const result = await wsRequest(client, GetTemplate, {} as never);
    expect(codes(result as Body)).toEqual(["BAD_USER_INPUT"]);
    const missing = await new Promise<Body>((resolve) =>
      client.subscribe(
        { query: "subscription ($id: ID!) { jobStatus(id: $id) { status } }" },
        {
          next: (value) => resolve(value as Body),
          error: (errors) => resolve({ errors: errors as Body["errors"] }),
          complete: () => {},
        },
      ),
    );
    expect(codes(missing)).toEqual(["BAD_USER_INPUT"]);
  });

  it.each([
    ["a syntax error", "{", undefined, "GRAPHQL_PARSE_FAILED"],
    ["a field the schema lacks", "{ nonsense }", undefined, "GRAPHQL_VALIDATION_FAILED"],
    [
      "an operationName naming no operation",
      "query A { me { id } } query B { me { id } }",
      "C",
      "OPERATION_RESOLUTION_FAILURE",
    ],
  ])("answers %s over graphql-ws with %s, and the socket stays open", async (_what, query, operationName, code) => {
    const client = t.wsClient({ authorization: `Bearer ${token}` });
    const refused = await new Promise<Body>((resolve) =>
      client.subscribe(
        { query, operationName },
        {
          next: (value) => resolve(value as Body),
          error: (errors) => resolve({ errors: errors as Body["errors"] }),
          complete: () => {},
        },
      ),
    );
    expect(codes(refused)).toEqual([code]);
    // the same socket still answers
    const me = await wsRequest(client, GetTemplate, { id: "00000000-0000-4000-8000-000000000000" });
    expect(codes(me as Body)).toEqual(["NOT_FOUND"]);
  });

  it("codes a syntax error over HTTP even after the same text failed over graphql-ws", async () => {
    // Yoga caches a failed parse by query text; a WebSocket parse must not leave it uncoded there
    const query = "{ me { id ";
    const client = t.wsClient({ authorization: `Bearer ${token}` });
    const overWs = await new Promise<Body>((resolve) =>
      client.subscribe(
        { query },
        { next: () => {}, error: (errors) => resolve({ errors: errors as Body["errors"] }), complete: () => {} },
      ),
    );
    expect(codes(overWs)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    const { body } = await post(JSON.stringify({ query }));
    expect(codes(body)).toEqual(["GRAPHQL_PARSE_FAILED"]);
  });

  it("leaves a resolver's own code alone", async () => {
    const result = await t.request(GetTemplate, { id: "00000000-0000-4000-8000-000000000000" }, token);
    expect(codes(result as Body)).toEqual(["NOT_FOUND"]);
  });
});

describe("requests GraphQL cannot read", () => {
  it.each([
    ["a body that is not JSON", "{", 400, "BAD_REQUEST"],
    ["no query", "{}", 200, "BAD_REQUEST"],
    ["a syntax error", JSON.stringify({ query: "{" }), 200, "GRAPHQL_PARSE_FAILED"],
    ["an unknown field", JSON.stringify({ query: "{ nope }" }), 200, "GRAPHQL_VALIDATION_FAILED"],
    [
      "two operations and no name",
      JSON.stringify({ query: "{ a: __typename } { b: __typename }" }),
      400,
      "OPERATION_RESOLUTION_FAILURE",
    ],
  ])("answers %s with its code", async (_what, body, status, code) => {
    const answer = await post(body);
    expect(answer.status).toBe(status);
    expect(codes(answer.body)).toEqual([code]);
  });

  it("answers another method than GET or POST 405 BAD_REQUEST", async () => {
    const response = await fetch(t.url, { method: "PUT", headers: { "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(405);
    expect(codes((await response.json()) as Body)).toEqual(["BAD_REQUEST"]);
  });

  it("answers a damaged multipart request 400 BAD_REQUEST, and one with two files 413", async () => {
    const damaged = new FormData();
    damaged.set("operations", "{");
    const bad = await post(damaged, { "x-graphql-yoga-csrf": "1" });
    expect(bad.status).toBe(400);
    expect(codes(bad.body)).toEqual(["BAD_REQUEST"]);

    const twoFiles = new FormData();
    twoFiles.set("operations", JSON.stringify({ query: "{ __typename }", variables: { a: null, b: null } }));
    twoFiles.set("map", JSON.stringify({ 0: ["variables.a"], 1: ["variables.b"] }));
    twoFiles.set("0", new Blob(["a"]), "a.csv");
    twoFiles.set("1", new Blob(["b"]), "b.csv");
    const tooMany = await post(twoFiles, { "x-graphql-yoga-csrf": "1" });
    expect(tooMany.status).toBe(413);
    expect(codes(tooMany.body)).toEqual(["REQUEST_ENTITY_TOO_LARGE"]);
  });
});

describe("unexpected errors", () => {
  it("masks them as INTERNAL_SERVER_ERROR", async () => {
    // a real failure the resolver does not expect: its table is gone (from this file's own database)
    const sql = new pg.Client({ connectionString: t.database.url });
    await sql.connect();
    try {
      await sql.query("alter table import_templates rename to import_templates_away");
      const result = await t.request(Templates, {}, token);
      expect(result.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
        ["Unexpected error.", "INTERNAL_SERVER_ERROR"],
      ]);
    } finally {
      await sql.query("alter table import_templates_away rename to import_templates");
      await sql.end();
    }
  });
});

describe("TOO_MANY_SUBSCRIPTIONS", () => {
  it("refuses one operation too many on a socket with the registry's code", async () => {
    const client = t.wsClient({ authorization: `Bearer ${token}` });
    const open = Array.from({ length: MAX_SUBSCRIPTIONS_PER_CONNECTION }, () => subscribe(client, MyJobsSubscription));
    const refused = await subscribe(client, MyJobsSubscription).done.then(
      () => [],
      (errors: Body["errors"]) => errors,
    );
    expect(refused?.map((e) => e.extensions?.code)).toEqual(["TOO_MANY_SUBSCRIPTIONS"]);
    expect(ERROR_CODES).toHaveProperty("TOO_MANY_SUBSCRIPTIONS");
    for (const subscription of open) subscription.unsubscribe();
  });
});

describe("the walk over every error the tests receive", () => {
  it("notices an error without a code, or with one the registry does not have", async () => {
    const uncoded = new Response(JSON.stringify({ errors: [{ message: "no code here" }] }), {
      status: 400,
      headers: { "content-type": "application/json" },
    });
    walkResponse("POST", new URL(t.url), uncoded);
    walkWsMessage({ type: "error", payload: [{ message: "made up", extensions: { code: "MADE_UP" } }] });
    walkResponse("GET", new URL("/exports/x/download", t.url), new Response(null, { status: 404 }));
    await uncoded.text();
    await expect.poll(() => uncodedErrors().length).toBe(3);
    expect(forgetUncodedErrors()).toEqual([
      expect.stringMatching(/graphql-ws error: unregistered code "MADE_UP"/),
      expect.stringMatching(/GET \/exports\/x\/download → 404: a bodiless error response/),
      expect.stringMatching(/POST \/graphql → 400: no code: "no code here"/),
    ]);
  });
});
