import { randomUUID } from "node:crypto";
import { getIntrospectionQuery, specifiedRules, validate } from "graphql";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../src/schema/index.js";
import { MAX_ALIASES, MAX_DIRECTIVES, MAX_TOKENS, parseQuery, queryLimitRules } from "../src/server/useQueryLimits.js";
import { TypedDocumentString } from "../src/web/gql/graphql.js";
import * as webOperations from "../src/web/operations.js";
import { orderColumns, uploadFile, xlsxFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, SignUp } from "./operations.js";

/**
 * The limits on one GraphQL document (useQueryLimits.ts) and on page cursors, over real HTTP and
 * real graphql-ws sockets. The API runs without a worker, so imports stay PENDING: the tests need
 * them to exist, not to finish.
 */
let t: TestApp;
let token: string;
let ws: Client;
let importId: string;

interface Answer {
  status: number;
  ms: number;
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

/** One operation as a real HTTP request, and how long its round trip took. */
async function post(query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(t.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<Answer, "status" | "ms">;
  return { status: response.status, ms: performance.now() - started, ...body };
}

/** One operation over the graphql-ws socket: the errors of its `error` message (or of its result). */
function overWs(query: string, variables?: Record<string, unknown>): Promise<Omit<Answer, "status">> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let result: Omit<Answer, "status" | "ms"> | undefined;
    ws.subscribe(
      { query, variables },
      {
        next: (value) => (result = value as typeof result),
        error: (errors) => {
          if (!Array.isArray(errors)) return reject(errors as Error);
          resolve({ ms: performance.now() - started, errors: errors as Answer["errors"] });
        },
        complete: () => resolve({ ms: performance.now() - started, ...result }),
      },
    );
  });
}

/**
 * The fastest of three tries: the machine running the tests is shared, so one try can wait its
 * turn for a while; a query that really ran would take seconds every time.
 */
async function fastest<A extends { ms: number }>(attempt: () => Promise<A>): Promise<A> {
  const answers = [await attempt(), await attempt(), await attempt()];
  return answers.reduce((best, answer) => (answer.ms < best.ms ? answer : best));
}

const codes = (answer: Pick<Answer, "errors">) => (answer.errors ?? []).map((e) => e.extensions?.code);

/** `count` aliased copies of `field`, in one query. */
const aliased = (count: number, field: string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(" ")} }`;

beforeAll(async () => {
  t = await startTestApp({ role: "api" });
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "correct horse" });
  token = signUp.data!.signUp.token;
  ws = t.wsClient({ authorization: `Bearer ${token}` });
  const template = await t.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  const templateId = template.data!.createImportTemplate.id;
  const file = await xlsxFile([["Widget", 3, 9.99]]);
  // two imports, so the jobs connection has a second page
  for (const name of ["first.xlsx", "second.xlsx"]) {
    const upload = await uploadFile(t, token, templateId, file, name);
    importId = upload.data!.startImport.id;
  }
  // the first answers of a new server compile what later answers reuse; the bounds below are for later ones
  await post("{ me { email } }");
  await overWs("{ me { email } }");
});

afterAll(async () => {
  await t?.stop();
});

describe("one document's limits", () => {
  it("refuses the 1,000 aliases of full nested pages (107 KB) in under 100 ms, before running any", async () => {
    const query = aliased(
      1000,
      "imports(first: 500) { edges { node { records(first: 500) { edges { node { id rowNumber data } } } } } }",
    );
    expect(query.length).toBeGreaterThan(100_000);
    const answer = await fastest(() => post(query));
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(codes(answer)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(answer.ms).toBeLessThan(100);
  });

  it("refuses 1,000 aliases over graphql-ws in under 100 ms, as an error message, and the socket goes on", async () => {
    // a socket message may hold 64 KB, so a shorter field
    const answer = await fastest(() => overWs(aliased(1000, "imports(first: 500) { edges { node { id } } }")));
    expect(codes(answer)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(answer.data).toBeUndefined();
    expect(answer.ms).toBeLessThan(100);
    expect((await overWs("{ me { email } }")).data).toEqual({ me: { email: expect.any(String) } });
  });

  it("answers 10,000-deep nesting with 400 and a code, never a stack overflow", async () => {
    const deep = 10_000;
    // written tightly, so each fits in one socket message (64 KB)
    const documents = {
      selections: `{${"me{".repeat(deep)}email${"}".repeat(deep)}}`,
      lists: `{imports(after:${"[".repeat(deep)}1${"]".repeat(deep)}){pageInfo{hasNextPage}}}`,
      objects: `{imports(after:${"{a:".repeat(deep)}1${"}".repeat(deep)}){pageInfo{hasNextPage}}}`,
    };
    for (const [what, query] of Object.entries(documents)) {
      const answer = await post(query);
      expect({ what, status: answer.status, codes: codes(answer) }).toEqual({
        what,
        status: 400,
        codes: ["QUERY_TOO_COMPLEX"],
      });
      expect(answer.errors![0]!.message).toMatch(/nests brackets more than \d+ deep/);
      expect({ what, codes: codes(await overWs(query)) }).toEqual({ what, codes: ["QUERY_TOO_COMPLEX"] });
    }
  });

  it("refuses the same over SSE, in the stream's one event", async () => {
    const queries = {
      nesting: `subscription {${"myJobs{".repeat(10_000)}id${"}".repeat(10_000)}}`,
      directives: `subscription { myJobs { ${"id @include(if: true) ".repeat(MAX_DIRECTIVES + 1)} } }`,
    };
    for (const [limit, query] of Object.entries(queries)) {
      const response = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      const events = (await response.text()).split("\n").filter((line) => line.startsWith("data: {"));
      expect(events).toHaveLength(1);
      const event = JSON.parse(events[0]!.slice("data: ".length)) as Pick<Answer, "data" | "errors">;
      expect({ limit, codes: codes(event), data: event.data }).toEqual({
        limit,
        codes: ["QUERY_TOO_COMPLEX"],
        data: undefined,
      });
    }
  });

  it("answers a syntax error with 400 GRAPHQL_PARSE_FAILED over HTTP and as an error message over graphql-ws", async () => {
    const answer = await post("{ me { email }");
    expect(answer.status).toBe(400);
    expect(codes(answer)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    expect(codes(await overWs("{ me { email }"))).toEqual(["GRAPHQL_PARSE_FAILED"]);
  });

  it("refuses too many tokens, aliases or directives, or too deep a query, each as QUERY_TOO_COMPLEX", async () => {
    const deepQuery = (depth: number) =>
      `{ ${"import(id: 1) { template { ".repeat(depth / 2)}id${" } }".repeat(depth / 2)} }`;
    const cases = {
      tokens: { query: `{ ${"__typename ".repeat(MAX_TOKENS)} }`, message: /more than \d+ tokens/ },
      aliases: { query: aliased(MAX_ALIASES + 1, "me { email }"), message: /Aliases limit of \d+ exceeded/ },
      directives: {
        query: `{ me { ${"email @include(if: true) ".repeat(MAX_DIRECTIVES + 1)} } }`,
        message: /Directives limit of \d+ exceeded/,
      },
      depth: { query: deepQuery(20), message: /Query depth limit of \d+ exceeded/ },
    };
    for (const [limit, { query, message }] of Object.entries(cases)) {
      for (const answer of [await post(query), await overWs(query)]) {
        const tooComplex = answer.errors?.find((e) => e.extensions?.code === "QUERY_TOO_COMPLEX");
        expect({ limit, message: tooComplex?.message }).toEqual({ limit, message: expect.stringMatching(message) });
        expect(answer.data).toBeUndefined();
      }
    }
    // just within each limit, the same shapes run
    expect((await post(aliased(MAX_ALIASES, "me { email }"))).errors).toBeUndefined();
    expect((await post(`{ me { ${"email @include(if: true) ".repeat(MAX_DIRECTIVES)} } }`)).errors).toBeUndefined();
  });
});

describe("cost", () => {
  const nestedPages = `query Nested($imports: Int, $records: Int) {
    imports(first: $imports) { edges { node { id records(first: $records) { edges { node { id data } } } } } }
  }`;

  it("refuses nested connections whose `first`s multiply past the limit, as literals or variables", async () => {
    const literal = await post(
      "{ imports(first: 500) { edges { node { id records(first: 500) { edges { node { id data } } } } } } }",
    );
    expect(literal.status).toBe(400);
    expect(codes(literal)).toEqual(["QUERY_TOO_COMPLEX"]);
    expect(literal.errors![0]!.message).toMatch(/estimated cost is \d+, over the limit of \d+/);

    // the same document passes with small pages and is refused with big ones, whatever came before
    for (const [pages, refused] of [
      [5, false],
      [500, true],
      [5, false],
    ] as const) {
      const variables = { imports: pages, records: pages };
      for (const answer of [await post(nestedPages, variables), await overWs(nestedPages, variables)]) {
        expect({ pages, codes: codes(answer) }).toEqual({ pages, codes: refused ? ["QUERY_TOO_COMPLEX"] : [] });
        expect({ pages, data: answer.data !== undefined }).toEqual({ pages, data: !refused });
      }
    }
  });

  it("lets a page of jobs with a page of errors and of records each run", async () => {
    const answer = await post(`{
      imports(first: 20) { edges { node { id fileName status template { id name columns { key header } }
        errors(first: 50) { edges { node { rowNumber column message value } } pageInfo { hasNextPage endCursor } }
        records(first: 50) { edges { node { id rowNumber data } } pageInfo { hasNextPage endCursor } }
      } } }
    }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toMatchObject({ imports: { edges: [expect.anything(), expect.anything()] } });
    // and omitted `first`s count as the fields' default pages
    expect((await post(nestedPages)).errors).toBeUndefined();
  });

  it("fits the web page's operations, even with pages of 500, and GraphiQL's introspection query", () => {
    const documents: Record<string, string> = {
      introspection: getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    };
    for (const [name, value] of Object.entries(webOperations)) {
      if (value instanceof TypedDocumentString) documents[name] = value.toString();
    }
    expect(Object.keys(documents).length).toBeGreaterThan(20);
    for (const [name, query] of Object.entries(documents)) {
      const variables = { id: randomUUID(), templateId: randomUUID(), first: 500 };
      const errors = validate(schema, parseQuery(query), [...specifiedRules, ...queryLimitRules(variables)]);
      expect({ name, errors: errors.map((e) => e.message) }).toEqual({ name, errors: [] });
    }
  });
});

describe("cursors", () => {
  const cursor = (...parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");

  it("pages through the viewer's imports with the cursors it gave out", async () => {
    const query = `query Page($after: String) {
      imports(first: 1, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } }
    }`;
    const first = await post(query);
    const page = (first.data as { imports: { edges: unknown[]; pageInfo: { endCursor: string } } }).imports;
    expect(page.edges).toHaveLength(1);
    const second = await post(query, { after: page.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(second.data).toMatchObject({ imports: { edges: [expect.anything()], pageInfo: { hasNextPage: false } } });
    expect(second.data).not.toEqual(first.data);
  });

  it("answers a malformed cursor with BAD_USER_INPUT on every connection, never an unexpected error", async () => {
    const garbage = ["!!!", "", Buffer.from("not json").toString("base64url"), cursor()];
    const jobs = (kind: string, other: string) => [
      ...garbage,
      cursor("Record", 1), // another connection's
      cursor(other, "2024-05-01T10:00:00.000Z", randomUUID()), // the other kind of job's
      cursor(kind, "yesterday", randomUUID()),
      cursor(kind, "2024-05-01", randomUUID()),
      cursor(kind, "+275760-09-13T00:00:00.000Z", randomUUID()),
      cursor(kind, "2024-02-30T10:00:00.000Z", randomUUID()),
      cursor(kind, "2024-05-01T10:00:00.000Z", "not-a-uuid"),
      cursor(kind, 5, 6),
      cursor(kind, "2024-05-01T10:00:00.000Z", randomUUID(), "extra"),
    ];
    const rowErrors = [
      ...garbage,
      cursor("Record", 1),
      cursor("ImportRowError", 1, "abc"),
      cursor("ImportRowError", 1, "1.5"),
      cursor("ImportRowError", 1, "99999999999999999999"),
      cursor("ImportRowError", 1, 2),
      cursor("ImportRowError", 1.5, "1"),
      cursor("ImportRowError", 2 ** 31, "1"),
    ];
    const records = [
      ...garbage,
      cursor("ImportRowError", 1, "1"),
      cursor("Record", "1"),
      cursor("Record", 1.5),
      cursor("Record", 1e12),
      cursor("Record", null),
    ];
    const connections = [
      {
        cursors: jobs("Import", "Export"),
        query: `query($after: String) { imports(after: $after) { edges { cursor } } }`,
      },
      {
        cursors: jobs("Export", "Import"),
        query: `query($after: String) { exports(after: $after) { edges { cursor } } }`,
      },
      {
        cursors: rowErrors,
        query: `query($after: String) { import(id: "${importId}") { errors(after: $after) { edges { cursor } } } }`,
      },
      {
        cursors: records,
        query: `query($after: String) { import(id: "${importId}") { records(after: $after) { edges { cursor } } } }`,
      },
    ];
    for (const { cursors, query } of connections) {
      for (const after of cursors) {
        const answer = await post(query, { after });
        expect({ query, after, codes: codes(answer) }).toEqual({ query, after, codes: ["BAD_USER_INPUT"] });
        expect(answer.errors![0]!.message).toBe("The after cursor is not one this connection gave out.");
      }
    }
  });
});
