import { print, type FormattedExecutionResult } from "graphql";
import type { Client } from "graphql-ws";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CLOSE_CODES } from "../src/server/closeCodes.js";
import { orderColumns, uploadFile, xlsxFile } from "./helpers/imports.js";
import { spawnServer, stopAllServers } from "./helpers/processes.js";
import { subscribe } from "./helpers/subscriptions.js";
import { startTestApp, wsRequest, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, LogIn, LogOut, Me, MyJobsSubscription, SignUp } from "./operations.js";

/**
 * Revocation and the caps on sockets, subscriptions and SSE streams, with real graphql-ws clients
 * on real sockets and real SSE requests. `t` has every cap set low; `short` is a second API on the
 * same database whose SSE streams live one second.
 */
const CAPS = {
  MAX_SOCKETS_PER_USER: "2",
  MAX_SUBSCRIPTIONS_PER_USER: "3",
  MAX_SSE_STREAMS_PER_USER: "2",
  MAX_ANONYMOUS_SOCKETS_PER_IP: "3",
  ANONYMOUS_SOCKET_IDLE_SECONDS: "1",
};

let t: TestApp;
let short: TestApp;
let sql: pg.Pool;
let users = 0;

beforeAll(async () => {
  t = await startTestApp({ role: "api", env: CAPS });
  short = await startTestApp({ role: "api", database: t.database, env: { SSE_MAX_LIFETIME_SECONDS: "1" } });
  sql = new pg.Pool({ connectionString: t.database.url });
});

afterAll(async () => {
  await stopAllServers();
  await sql.end();
  await short?.stop();
  await t?.stop();
});

async function newToken(): Promise<string> {
  const signUp = await t.request(SignUp, { email: `socket${++users}@example.com`, password: "long enough" });
  expect(signUp.errors).toBeUndefined();
  return signUp.data!.signUp.token;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Resolves with the code and reason the client's socket closes with. */
function closeOf(client: Client): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => client.on("closed", (event) => resolve(event as { code: number; reason: string })));
}

/**
 * A socket held open by a `myJobs` subscription, known to be set up on the server: `{ me }` is
 * answered on the same socket after the subscribe message.
 */
async function heldSocket(client: Client) {
  const sub = subscribe(client, MyJobsSubscription);
  const me = await wsRequest(client, Me);
  return { sub, me };
}

/** An SSE request for `myJobs`; resolves once the response's headers are in. */
function openSse(app: TestApp, token: string, signal?: AbortSignal) {
  return fetch(app.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream", ...bearer(token) },
    body: JSON.stringify({ query: print(MyJobsSubscription) }),
    signal,
  });
}

/** Every event of an SSE response until the server ends it. */
async function readEvents(response: Response): Promise<Array<{ event: string; data: string }>> {
  const text = await response.text();
  return text
    .split("\n\n")
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1] ?? "", data: /^data: ?(.*)$/m.exec(block)?.[1] ?? "" }))
    .filter((e) => e.event);
}

/** Resolves once the first bytes of the stream (Yoga's opening ping) have arrived. */
async function firstChunk(response: Response): Promise<ReadableStreamDefaultReader<Uint8Array>> {
  const reader = response.body!.getReader();
  await reader.read();
  return reader;
}

describe("revocation", () => {
  it("logOut over HTTP closes the session's socket with 4403 within a second", async () => {
    const token = await newToken();
    const client = t.wsClient(bearer(token));
    const { sub } = await heldSocket(client);
    const closed = closeOf(client);
    const started = performance.now();
    expect((await t.request(LogOut, {}, token)).data?.logOut).toBe(true);
    expect(await closed).toMatchObject({ code: 4403 });
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(sub.done).rejects.toMatchObject({ code: 4403 });
  });

  it("logOut over the socket itself answers, then closes it with 4403", async () => {
    const token = await newToken();
    const client = t.wsClient(bearer(token));
    await heldSocket(client);
    const closed = closeOf(client);
    const started = performance.now();
    // wsRequest waits for `complete`: the whole answer arrives before the close
    expect((await wsRequest(client, LogOut)).data?.logOut).toBe(true);
    expect(await closed).toMatchObject({ code: 4403 });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("logOut on one API process closes the session's sockets on another within a second", async () => {
    const token = await newToken();
    const other = await spawnServer({ role: "api", env: { DATABASE_URL: t.database.url } });
    const there = other.wsClient(bearer(token));
    const here = t.wsClient(bearer(token));
    await Promise.all([heldSocket(there), heldSocket(here)]);
    const closedThere = closeOf(there);
    const closedHere = closeOf(here);
    const started = performance.now();
    await t.request(LogOut, {}, token);
    expect(await closedThere).toMatchObject({ code: 4403 });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await closedHere).toMatchObject({ code: 4403 });
  });

  it("an expired session's socket closes with 4403 when it expires", async () => {
    const token = await newToken();
    const { rows } = await sql.query<{ expires_at: Date }>(
      `update sessions set expires_at = now() + interval '1 second'
        where id = (select id from sessions order by created_at desc limit 1) returning expires_at`,
    );
    const client = t.wsClient(bearer(token));
    await heldSocket(client);
    expect(await closeOf(client)).toMatchObject({ code: 4403 });
    expect(Date.now()).toBeGreaterThanOrEqual(rows[0]!.expires_at.getTime());
  });

  it("logOut ends the session's SSE streams with UNAUTHENTICATED, then complete", async () => {
    const token = await newToken();
    const response = await openSse(t, token);
    const reader = await firstChunk(response);
    await t.request(LogOut, {}, token);
    let text = "";
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += Buffer.from(chunk.value);
    expect(text).toMatch(/event: next\ndata: .*"UNAUTHENTICATED"/);
    expect(text).toMatch(/event: complete\n/);
  });

  it("logOut ends a subscription on the operation's own token within a second, and not its socket", async () => {
    const token = await newToken();
    const login = await t.request(LogIn, { email: `socket${users}@example.com`, password: "long enough" });
    const otherToken = login.data!.logIn.token;
    const template = await t.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, otherToken);
    const newJob = async () => {
      const file = await xlsxFile([["Widget", 3, 9.99]]);
      const started = await uploadFile(t, otherToken, template.data!.createImportTemplate.id, file, "orders.xlsx");
      return started.data!.startImport.id;
    };
    // an anonymous socket, as GraphiQL opens it, running one subscription on each session
    const client = t.wsClient({});
    const ended = myJobsOnOwnToken(client, token);
    const other = myJobsOnOwnToken(client, otherToken);
    const first = await newJob();
    await Promise.all([ended.jobSeen(first), other.jobSeen(first)]);
    const started = performance.now();
    expect((await t.request(LogOut, {}, token)).data?.logOut).toBe(true);
    await ended.done;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(ended.results.at(-1)).toMatchObject({ errors: [{ extensions: { code: "UNAUTHENTICATED" } }] });
    const seen = ended.results.length;
    // a later job change reaches the other session's subscription on the same socket, not the ended one
    await other.jobSeen(await newJob());
    expect(ended.results).toHaveLength(seen);
    const closed = closeOf(client);
    other.unsubscribe(); // the lazy client closes its socket with nothing left open
    expect(await closed).toMatchObject({ code: 1000 });
  });
});

/** `myJobs` with a token in the operation's own headers, as GraphiQL sends its Headers tab. */
function myJobsOnOwnToken(client: Client, token: string) {
  const results: FormattedExecutionResult<{ myJobs: { id: string } }, unknown>[] = [];
  let arrived = () => {};
  let unsubscribe = () => {};
  const done = new Promise<void>((resolve, reject) => {
    unsubscribe = client.subscribe<{ myJobs: { id: string } }>(
      { query: print(MyJobsSubscription), extensions: { headers: bearer(token) } },
      {
        next: (result) => {
          results.push(result);
          arrived();
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  /** Resolves once an event about job `id` has arrived. */
  async function jobSeen(id: string) {
    const seen = () => results.some((result) => result.data?.myJobs.id === id);
    while (!seen()) {
      const more = await Promise.race([
        new Promise<boolean>((resolve) => (arrived = () => resolve(true))),
        done.then(() => false),
      ]);
      if (!more && !seen()) throw new Error(`ended without an event about job ${id}: ${JSON.stringify(results)}`);
    }
  }
  return { results, done, jobSeen, unsubscribe: () => unsubscribe() };
}

describe("caps per user", () => {
  it(`closes a user's socket past ${CAPS.MAX_SOCKETS_PER_USER} with 4429; a closed one frees its slot`, async () => {
    const token = await newToken();
    const first = t.wsClient(bearer(token));
    const second = t.wsClient(bearer(token));
    const held = [await heldSocket(first), await heldSocket(second)];
    const third = t.wsClient(bearer(token));
    const closed = closeOf(third);
    await expect(wsRequest(third, Me)).rejects.toMatchObject({ code: CLOSE_CODES.tooManySockets.code });
    expect(await closed).toMatchObject({ code: 4429 });
    // another user is not affected
    await heldSocket(t.wsClient(bearer(await newToken())));
    held[0]!.sub.unsubscribe(); // the lazy client closes its socket with nothing left open
    await closeOf(first);
    const fourth = t.wsClient(bearer(token));
    expect((await heldSocket(fourth)).me.data?.me).toBeTruthy();
  });

  it(`refuses a user's subscription past ${CAPS.MAX_SUBSCRIPTIONS_PER_USER}, over sockets and SSE together`, async () => {
    const token = await newToken();
    const client = t.wsClient(bearer(token));
    const { sub } = await heldSocket(client);
    const second = subscribe(client, MyJobsSubscription);
    const sse = await firstChunk(await openSse(t, token));
    // a fourth over the socket: an error message, and the socket stays open
    const refused = subscribe(t.wsClient(bearer(token)), MyJobsSubscription);
    await expect(refused.done).rejects.toEqual([
      expect.objectContaining({ extensions: { code: "TOO_MANY_SUBSCRIPTIONS" } }),
    ]);
    // and over SSE
    const refusedSse = await readEvents(await openSse(t, token));
    expect(refusedSse[0]!.data).toMatch(/"TOO_MANY_SUBSCRIPTIONS"/);
    // one ends: there is room again
    second.unsubscribe();
    await expect(second.done).resolves.toBeUndefined();
    const again = subscribe(client, MyJobsSubscription);
    expect((await wsRequest(client, Me)).data?.me).toBeTruthy();
    expect(again.results).toEqual([]);
    again.unsubscribe();
    sub.unsubscribe();
    await sse.cancel();
  });

  it(`answers an SSE stream past ${CAPS.MAX_SSE_STREAMS_PER_USER} with 429 TOO_MANY_CONNECTIONS`, async () => {
    const token = await newToken();
    const abort = new AbortController();
    const open = [await openSse(t, token, abort.signal), await openSse(t, token)];
    await Promise.all(open.map(firstChunk));
    const third = await openSse(t, token);
    expect(third.status).toBe(429);
    expect((await readEvents(third))[0]!.data).toMatch(/"TOO_MANY_CONNECTIONS"/);
    // a client that goes away gives its slot back
    abort.abort();
    await expect.poll(async () => (await openSse(t, token)).status, { timeout: 5_000 }).toBe(200);
  });
});

describe("anonymous sockets", () => {
  /** A raw socket that never sends connection_init: resolves once it is open, or with its close. */
  function rawSocket(): Promise<{ socket: WebSocket; closed: Promise<number> }> {
    const socket = new WebSocket(t.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const closed = new Promise<number>((resolve) => socket.once("close", resolve));
    return new Promise((resolve, reject) => {
      socket.once("open", () => resolve({ socket, closed }));
      socket.once("error", reject);
    });
  }

  it(`refuses sockets past ${CAPS.MAX_ANONYMOUS_SOCKETS_PER_IP} from one IP before connection_init, with 4429`, async () => {
    const open = [await rawSocket(), await rawSocket(), await rawSocket()];
    const refused = await rawSocket();
    expect(await refused.closed).toBe(4429);
    // a signed-in socket leaves its IP's anonymous slot once it is initialised
    open[0]!.socket.close();
    await open[0]!.closed;
    const client = t.wsClient(bearer(await newToken()));
    await heldSocket(client);
    const another = await rawSocket();
    expect(another.socket.readyState).toBe(WebSocket.OPEN);
    for (const { socket } of [...open, another]) socket.close();
    await Promise.all([...open, another].map(({ closed }) => closed));
  });

  it("closes an anonymous socket with nothing open after the idle time (4408), not one with a subscription", async () => {
    const token = await newToken();
    // `busy` runs a subscription with a token in the operation's own headers, as GraphiQL does
    const busy = t.wsClient({});
    let unsubscribe = () => {};
    const busyDone = new Promise((resolve, reject) => {
      unsubscribe = busy.subscribe(
        { query: print(MyJobsSubscription), extensions: { headers: bearer(token) } },
        { next: () => undefined, error: reject, complete: () => resolve(undefined) },
      );
    });
    // an idle client: initialised, then silent
    const started = performance.now();
    const idle = new WebSocket(t.url.replace(/^http/, "ws"), "graphql-transport-ws");
    const idleClosed = new Promise<number>((resolve) => idle.once("close", resolve));
    idle.once("open", () => idle.send(JSON.stringify({ type: "connection_init", payload: {} })));
    expect(await idleClosed).toBe(CLOSE_CODES.idle.code);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    // the busy one, open since before, still answers
    expect((await wsRequest(busy, Me)).errors).toBeUndefined();
    unsubscribe();
    await busyDone;
  });
});

describe("SSE lifetime", () => {
  it("ends a stream after SSE_MAX_LIFETIME_SECONDS without `complete`, so clients reconnect", async () => {
    const token = await newToken();
    const started = performance.now();
    const response = await openSse(short, token);
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    expect(events.map((e) => e.event)).not.toContain("complete");
  });
});
