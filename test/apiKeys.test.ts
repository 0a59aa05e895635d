import { createHash, randomBytes } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import type { Client } from "graphql-ws";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestExport } from "./exportOperations.js";
import { graphql } from "./gql/index.js";
import { download, waitForExport } from "./helpers/exports.js";
import { isFinal, orderColumns, uploadFile, waitForImport, xlsxFile } from "./helpers/imports.js";
import { subscribe } from "./helpers/subscriptions.js";
import { startTestApp, wsRequest, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, LogOut, Me, MyJobsSubscription, SignUp } from "./operations.js";

/**
 * API keys over every way in: real HTTP requests, real graphql-ws clients on real sockets, SSE
 * streams and the download routes. `t` runs the whole service (a worker too, for the download's
 * import and export) with a low cap on keys; `other` is a second API process on the same database,
 * for revocation across processes.
 */
const MAX_KEYS = 3;

const CreateApiKey = graphql(`
  mutation CreateApiKey($name: String!, $expiresAt: DateTime) {
    createApiKey(name: $name, expiresAt: $expiresAt) {
      apiKey {
        id
        name
        hint
        createdAt
        expiresAt
        lastUsedAt
      }
      secret
    }
  }
`);

const ApiKeys = graphql(`
  query ApiKeys($first: Int, $after: String) {
    apiKeys(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          hint
          createdAt
          expiresAt
          lastUsedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const RevokeApiKey = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id)
  }
`);

const ExportStatus = graphql(`
  subscription ApiKeyExportStatus($id: ID!) {
    jobStatus(id: $id) {
      status
    }
  }
`);

let t: TestApp;
let other: TestApp;
let sql: pg.Pool;
let users = 0;

beforeAll(async () => {
  t = await startTestApp({ env: { MAX_API_KEYS_PER_USER: String(MAX_KEYS) } });
  other = await startTestApp({ role: "api", database: t.database });
  sql = new pg.Pool({ connectionString: t.database.url });
});

afterAll(async () => {
  await sql?.end();
  await other?.stop();
  await t?.stop();
});

/** A new account: its email and its session's token. */
async function newUser(): Promise<{ email: string; token: string }> {
  const email = `keys${++users}@example.com`;
  const signUp = await t.request(SignUp, { email, password: "long enough" });
  expect(signUp.errors).toBeUndefined();
  return { email, token: signUp.data!.signUp.token };
}

/** Makes a key with a session's `token`; fails the test when it is refused. */
async function newKey(token: string, name = "ci", expiresAt?: string) {
  const created = await t.request(CreateApiKey, { name, expiresAt }, token);
  expect(created.errors).toBeUndefined();
  return created.data!.createApiKey;
}

/** One operation as a real HTTP request to `app`, as a bearer of `token`. */
async function http<R, V>(
  app: TestApp,
  document: TypedDocumentNode<R, V>,
  variables: V | undefined,
  token: string,
): Promise<ExecutionResult<R> & { status: number }> {
  const response = await fetch(app.url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, ...((await response.json()) as ExecutionResult<R>) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const codes = (result: ExecutionResult) => result.errors?.map((e) => e.extensions?.code);

/** Resolves with the code the client's socket closes with. */
function closeOf(client: Client): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.on("closed", (event) => resolve(event as { code: number; reason: string })));
}

/** A socket held open by a `myJobs` subscription, known to be set up: `me` is answered after it. */
async function heldSocket(client: Client) {
  const sub = subscribe(client, MyJobsSubscription);
  const me = await wsRequest(client, Me);
  return { sub, me };
}

/** An SSE request for `document`; resolves once the response's headers are in. */
function openSse<V>(app: TestApp, token: string, document: TypedDocumentNode<unknown, V>, variables?: V) {
  return fetch(app.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", ...bearer(token) },
    body: JSON.stringify({ query: print(document), variables }),
  });
}

/** The rest of an SSE response's text, read until the server ends it. */
async function restOf(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let text = "";
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += Buffer.from(chunk.value);
  return text;
}

describe("an API key", () => {
  it("is shown once, stored as a hash, and works over HTTP, graphql-ws, SSE and both download routes", async () => {
    const { email, token } = await newUser();
    const { apiKey, secret } = await newKey(token, "  nightly sync  ");
    expect(secret).toMatch(/^xik_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "nightly sync", hint: `xik_…${secret.slice(-4)}`, expiresAt: null });
    expect(apiKey.lastUsedAt).toBeNull();
    const { rows } = await sql.query("select * from api_keys where id = $1", [apiKey.id]);
    expect(rows[0].key_hash).toEqual(createHash("sha256").update(secret).digest());
    expect(JSON.stringify(rows[0])).not.toContain(secret.slice(4, 20));

    // HTTP, with the user's rights: a template and an import made with the key are the user's
    expect((await http(t, Me, {}, secret)).data?.me?.email).toBe(email);
    const template = await http(t, CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, secret);
    const templateId = template.data!.createImportTemplate.id;
    const file = await xlsxFile([
      ["Widget", 3, 9.99],
      ["Gadget", 1, null], // Unit Price is required: one rejected row, so an error report
    ]);
    const started = await uploadFile(t, secret, templateId, file, "orders.xlsx");
    expect(started.errors).toBeUndefined();
    const importId = started.data!.startImport.id;
    expect(await waitForImport(t.database.url, importId, isFinal)).toMatchObject({ status: "COMPLETED" });

    // graphql-ws, the key in connectionParams
    const client = t.wsClient(bearer(secret));
    expect((await wsRequest(client, Me)).data?.me?.email).toBe(email);

    // SSE: an export's jobStatus until it completes
    const requested = await http(t, RequestExport, { templateId, importId }, secret);
    const exportId = requested.data!.requestExport.id;
    const stream = await openSse(t, secret, ExportStatus, { id: exportId });
    expect(stream.status).toBe(200);
    const events = await restOf(stream.body!.getReader());
    expect(events).toMatch(/event: next\ndata: {"data":{"jobStatus":{"status":"COMPLETED"}}}/);
    expect(events).toMatch(/event: complete\n/);
    expect(await waitForExport(t.database.url, exportId)).toMatchObject({ status: "COMPLETED", row_count: 1 });

    // both download routes
    const exported = await download(t, `/exports/${exportId}/download`, secret);
    expect(exported.status).toBe(200);
    expect(exported.body.subarray(0, 2).toString()).toBe("PK");
    const report = await download(t, `/imports/${importId}/errors.xlsx`, secret);
    expect(report.status).toBe(200);
    expect(report.body.subarray(0, 2).toString()).toBe("PK");

    // listed without its secret, and its use noted
    const listed = await http(t, ApiKeys, {}, token);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.apiKeys.edges.map((e) => e.node)).toEqual([{ ...apiKey, lastUsedAt: expect.any(String) }]);
    expect(new Date(listed.data!.apiKeys.edges[0]!.node.lastUsedAt!).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(4));
  });

  it("revoked: its sockets close with 4403 on every API process, its SSE streams end, and it is refused", async () => {
    const { token } = await newUser();
    const kept = await newKey(token, "kept");
    const { apiKey, secret } = await newKey(token, "revoked");
    const here = t.wsClient(bearer(secret));
    const there = other.wsClient(bearer(secret));
    const keptSocket = t.wsClient(bearer(kept.secret));
    await Promise.all([heldSocket(here), heldSocket(there), heldSocket(keptSocket)]);
    const stream = await openSse(t, secret, MyJobsSubscription);
    const reader = stream.body!.getReader();
    await reader.read(); // the stream's opening ping: it is set up
    const closedHere = closeOf(here);
    const closedThere = closeOf(there);

    const started = performance.now();
    const revoked = await http(t, RevokeApiKey, { id: apiKey.id }, token);
    expect(revoked.data?.revokeApiKey).toBe(true);
    expect(await closedThere).toMatchObject({ code: 4403 });
    expect(await closedHere).toMatchObject({ code: 4403 });
    expect(performance.now() - started).toBeLessThan(1000);
    const text = await restOf(reader);
    expect(text).toMatch(/event: next\ndata: .*"This API key has expired or was revoked\.".*"UNAUTHENTICATED"/);
    expect(text).toMatch(/event: complete\n/);

    const refused = await http(t, Me, {}, secret);
    expect(codes(refused)).toEqual(["UNAUTHENTICATED"]);
    expect(refused.errors?.[0]?.message).toBe("This API key has expired or was revoked.");
    expect((await download(t, `/exports/${apiKey.id}/download`, secret)).status).toBe(401);
    const again = t.wsClient(bearer(secret));
    const refusedSocket = closeOf(again);
    await expect(wsRequest(again, Me)).rejects.toMatchObject({ code: 4403 });
    expect(await refusedSocket).toMatchObject({ code: 4403 });

    // the user's other key and its socket go on
    expect((await wsRequest(keptSocket, Me)).data?.me).not.toBeNull();
    expect((await http(t, ApiKeys, {}, token)).data?.apiKeys.edges.map((e) => e.node.name)).toEqual(["kept"]);
  });

  it("expired: stops at expiresAt, and the socket open on it closes then", async () => {
    const { token } = await newUser();
    const past = await t.request(
      CreateApiKey,
      { name: "late", expiresAt: new Date(Date.now() - 1000).toISOString() },
      token,
    );
    expect(codes(past)).toEqual(["BAD_USER_INPUT"]);
    expect(past.errors?.[0]?.message).toMatch(/in the future/);

    const { apiKey, secret } = await newKey(token, "brief", new Date(Date.now() + 2000).toISOString());
    const expiresAt = new Date(apiKey.expiresAt!).getTime();
    const client = t.wsClient(bearer(secret));
    const { me } = await heldSocket(client);
    expect(me.data?.me).not.toBeNull();
    expect(await closeOf(client)).toMatchObject({ code: 4403 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    const refused = await http(t, Me, {}, secret);
    expect(codes(refused)).toEqual(["UNAUTHENTICATED"]);
    // still listed, so its owner can tell why a machine stopped
    const listed = await http(t, ApiKeys, {}, token);
    expect(listed.data?.apiKeys.edges.map((e) => e.node)).toEqual([{ ...apiKey, lastUsedAt: expect.any(String) }]);
  });

  it("of another user is NOT_FOUND to revoke, and not listed", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const { apiKey, secret } = await newKey(owner.token);
    const attempt = await http(t, RevokeApiKey, { id: apiKey.id }, stranger.token);
    expect(codes(attempt)).toEqual(["NOT_FOUND"]);
    expect(attempt.errors?.[0]?.message).toBe("API key not found.");
    const missing = await http(t, RevokeApiKey, { id: "00000000-0000-4000-8000-000000000000" }, stranger.token);
    expect(missing.errors?.[0]?.message).toBe(attempt.errors?.[0]?.message);
    expect(codes(await http(t, RevokeApiKey, { id: "not-an-id" }, stranger.token))).toEqual(["NOT_FOUND"]);
    expect((await http(t, ApiKeys, {}, stranger.token)).data?.apiKeys).toMatchObject({ totalCount: 0, edges: [] });
    expect((await http(t, Me, {}, secret)).data?.me?.email).toBe(owner.email);
  });

  it("cannot create or revoke keys, nor log out, but may list them", async () => {
    const { token } = await newUser();
    const { apiKey, secret } = await newKey(token);
    const created = await http(t, CreateApiKey, { name: "successor" }, secret);
    expect(codes(created)).toEqual(["FORBIDDEN"]);
    expect(created.errors?.[0]?.message).toMatch(/log in to manage keys/);
    expect(codes(await http(t, RevokeApiKey, { id: apiKey.id }, secret))).toEqual(["FORBIDDEN"]);
    expect(codes(await http(t, LogOut, {}, secret))).toEqual(["FORBIDDEN"]);
    const listed = await http(t, ApiKeys, {}, secret);
    expect(listed.data?.apiKeys.edges.map((e) => e.node.id)).toEqual([apiKey.id]);
    expect((await http(t, Me, {}, secret)).data?.me).not.toBeNull();
  });

  it("spends its user's request budget, shared with their sessions", async () => {
    // an API process of its own, so that no other test meets its budget (counts are per user, in PostgreSQL)
    const limited = await startTestApp({ role: "api", database: t.database, env: { REQUEST_BUDGET_PER_MINUTE: "5" } });
    try {
      const { token } = await newUser();
      const { secret } = await newKey(token); // the first of the five
      for (let i = 0; i < 2; i++) {
        expect((await http(limited, Me, {}, token)).errors).toBeUndefined();
        expect((await http(limited, Me, {}, secret)).errors).toBeUndefined();
      }
      const refused = await http(limited, Me, {}, secret);
      expect(refused.status).toBe(429);
      expect(codes(refused)).toEqual(["RATE_LIMITED"]);
    } finally {
      await limited.stop();
    }
  });
});

describe("limits", () => {
  it(`allows ${MAX_KEYS} keys per user, expired ones included, even when created at once; revoking frees a place`, async () => {
    const { token } = await newUser();
    const results = await Promise.all(
      Array.from({ length: MAX_KEYS + 2 }, (_, i) => http(t, CreateApiKey, { name: `key ${i}` }, token)),
    );
    expect(results.filter((r) => r.data?.createApiKey)).toHaveLength(MAX_KEYS);
    const refused = results.filter((r) => r.errors);
    expect(refused.map(codes)).toEqual([["QUOTA_EXCEEDED"], ["QUOTA_EXCEEDED"]]);
    expect(refused[0]!.errors![0]!.message).toMatch(/revoke one/);

    // paged newest first, with every key counted
    const page = await http(t, ApiKeys, { first: 2 }, token);
    expect(page.data!.apiKeys).toMatchObject({ totalCount: MAX_KEYS, pageInfo: { hasNextPage: true } });
    const rest = await http(t, ApiKeys, { first: 2, after: page.data!.apiKeys.pageInfo.endCursor }, token);
    expect(rest.data!.apiKeys.pageInfo.hasNextPage).toBe(false);
    const listed = [...page.data!.apiKeys.edges, ...rest.data!.apiKeys.edges].map((e) => e.node);
    expect(listed.map((k) => k.createdAt)).toEqual(
      listed
        .map((k) => k.createdAt)
        .sort()
        .reverse(),
    );
    expect(new Set(listed.map((k) => k.id)).size).toBe(MAX_KEYS);

    // an expired key still takes its place until it is revoked
    await sql.query("update api_keys set expires_at = now() - interval '1 second' where id = $1", [listed[0]!.id]);
    expect(codes(await http(t, CreateApiKey, { name: "one more" }, token))).toEqual(["QUOTA_EXCEEDED"]);
    expect((await http(t, RevokeApiKey, { id: listed[0]!.id }, token)).data?.revokeApiKey).toBe(true);
    expect((await http(t, CreateApiKey, { name: "one more" }, token)).errors).toBeUndefined();
  });

  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["101 characters", "é".repeat(101)],
    ["a line break", "two\nlines"],
  ])("refuses a name that is %s with BAD_USER_INPUT", async (_what, name) => {
    const { token } = await newUser();
    const result = await http(t, CreateApiKey, { name }, token);
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect((await http(t, ApiKeys, {}, token)).data?.apiKeys.totalCount).toBe(0);
  });

  it("takes a name of 100 characters, counted as characters (not UTF-16 units)", async () => {
    const { token } = await newUser();
    const name = "🔑".repeat(100);
    expect((await newKey(token, name)).apiKey.name).toBe(name);
  });
});

describe("session tokens", () => {
  it("still work when one happens to start with the keys' prefix", async () => {
    const { email, token } = await newUser();
    const lookalike = `xik_${randomBytes(30).toString("base64url")}`;
    await sql.query(
      `insert into sessions (user_id, token_hash, expires_at)
       select user_id, $1, now() + interval '1 hour' from sessions where token_hash = $2`,
      [createHash("sha256").update(lookalike).digest(), createHash("sha256").update(token).digest()],
    );
    expect((await http(t, Me, {}, lookalike)).data?.me?.email).toBe(email);
    // and it is a session: it may manage keys, and log out
    expect((await http(t, CreateApiKey, { name: "from a session" }, lookalike)).errors).toBeUndefined();
    expect((await http(t, LogOut, {}, lookalike)).data?.logOut).toBe(true);
  });
});
