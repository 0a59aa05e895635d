import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import type { Client } from "graphql-ws";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, wsRequest, type TestApp } from "./helpers/testApp.js";
import { LogIn, LogOut, Me, MyJobsSubscription, SignUp } from "./operations.js";

let t: TestApp;
let sql: pg.Pool;

beforeAll(async () => {
  t = await startTestApp();
  sql = new pg.Pool({ connectionString: t.database.url });
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

let counter = 0;
function uniqueEmail() {
  return `person${++counter}@example.com`;
}

async function signUp(email = uniqueEmail(), password = "correct horse") {
  const result = await t.request(SignUp, { email, password });
  expect(result.errors).toBeUndefined();
  return result.data!.signUp;
}

function codes(result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) {
  return result.errors?.map((e) => e.extensions?.code);
}

describe("signUp", () => {
  it("creates the user, returns a working token, and stores only an argon2id hash", async () => {
    const { token, user } = await signUp("New.Person@Example.com");
    expect(user.email).toBe("new.person@example.com");
    expect(new Date(user.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 bytes, base64url

    const me = await t.request(Me, {}, token);
    expect(me.data?.me).toEqual({ id: user.id, email: "new.person@example.com" });

    const { rows } = await sql.query("select password_hash from users where id = $1", [user.id]);
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    const sessions = await sql.query("select token_hash from sessions where user_id = $1", [user.id]);
    expect(sessions.rows).toHaveLength(1);
    expect(sessions.rows[0].token_hash.toString("base64url")).not.toBe(token);
  });

  it.each([
    ["not-an-email", "long enough", /valid email/],
    ["short@example.com", "seven77", /at least 8/],
  ])("rejects %s / %s with BAD_USER_INPUT", async (email, password, message) => {
    const result = await t.request(SignUp, { email, password });
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it("rejects an email already taken, whatever its case", async () => {
    const email = uniqueEmail();
    await signUp(email);
    const result = await t.request(SignUp, { email: email.toUpperCase(), password: "another password" });
    expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    expect(result.errors?.[0]?.message).toMatch(/already exists/);
  });
});

describe("logIn and logOut", () => {
  it("logs in with the right password and issues a distinct token", async () => {
    const email = uniqueEmail();
    const first = await signUp(email, "the password");
    const result = await t.request(LogIn, { email: ` ${email.toUpperCase()} `, password: "the password" });
    expect(result.errors).toBeUndefined();
    expect(result.data?.logIn.user.id).toBe(first.user.id);
    expect(result.data?.logIn.token).not.toBe(first.token);
    expect((await t.request(Me, {}, result.data!.logIn.token)).data?.me?.id).toBe(first.user.id);
  });

  it("gives the same UNAUTHENTICATED error for a wrong password and an unknown email", async () => {
    const email = uniqueEmail();
    await signUp(email, "the password");
    const wrongPassword = await t.request(LogIn, { email, password: "not the password" });
    const unknownEmail = await t.request(LogIn, { email: uniqueEmail(), password: "the password" });
    expect(codes(wrongPassword)).toEqual(["UNAUTHENTICATED"]);
    expect(wrongPassword.errors?.[0]?.message).toBe("Wrong email or password.");
    expect(unknownEmail.errors?.[0]?.message).toBe(wrongPassword.errors?.[0]?.message);
    expect(codes(unknownEmail)).toEqual(["UNAUTHENTICATED"]);
  });

  it("logOut revokes exactly the token it was called with", async () => {
    const email = uniqueEmail();
    const { token: kept } = await signUp(email, "the password");
    const revoked = (await t.request(LogIn, { email, password: "the password" })).data!.logIn.token;

    expect((await t.request(LogOut, {}, revoked)).data?.logOut).toBe(true);

    const after = await t.request(Me, {}, revoked);
    expect(codes(after)).toEqual(["UNAUTHENTICATED"]);
    expect(after.errors?.[0]?.message).toMatch(/expired or was revoked/);
    expect((await t.request(Me, {}, kept)).data?.me?.email).toBe(email);
  });

  it("logOut without a token is UNAUTHENTICATED", async () => {
    expect(codes(await t.request(LogOut))).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("tokens", () => {
  it("me is null for an anonymous request", async () => {
    const result = await t.request(Me);
    expect(result.errors).toBeUndefined();
    expect(result.data?.me).toBeNull();
  });

  it("rejects an expired token", async () => {
    const { token, user } = await signUp();
    await sql.query("update sessions set expires_at = now() - interval '1 second' where user_id = $1", [user.id]);
    expect(codes(await t.request(Me, {}, token))).toEqual(["UNAUTHENTICATED"]);
  });

  it("rejects a made-up token and a malformed Authorization header", async () => {
    expect(codes(await t.request(Me, {}, "x".repeat(43)))).toEqual(["UNAUTHENTICATED"]);
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic dXNlcjpwYXNz" },
      body: JSON.stringify({ query: "{ me { id } }" }),
    });
    const body = (await response.json()) as { errors?: Array<{ extensions?: Record<string, unknown> }> };
    expect(codes(body)).toEqual(["UNAUTHENTICATED"]);
  });

  it("lets a client with a stale token log in again", async () => {
    const email = uniqueEmail();
    const { token } = await signUp(email, "the password");
    await t.request(LogOut, {}, token);
    const again = await t.request(LogIn, { email, password: "the password" }, token);
    expect(again.errors).toBeUndefined();
  });
});

/**
 * The first result of one operation over graphql-ws that carries `headers` as GraphiQL sends its
 * Headers tab: in the subscribe message's `payload.extensions.headers`.
 */
function wsRequestWithHeaders<R>(
  client: Client,
  document: TypedDocumentNode<R, Record<string, never>>,
  headers: Record<string, string>,
): Promise<ExecutionResult<R>> {
  return new Promise((resolve, reject) => {
    const unsubscribe = client.subscribe<R>(
      { query: print(document), extensions: { headers } },
      {
        next: (value) => {
          // a subscription that did start would keep running: its first result is the answer
          unsubscribe();
          resolve(value as ExecutionResult<R>);
        },
        error: reject,
        complete: () => reject(new Error("completed without a result")),
      },
    );
  });
}

describe("over graphql-ws", () => {
  it.each(["authorization", "Authorization", "AUTHORIZATION"])(
    "answers me for the token in connectionParams.%s",
    async (key) => {
      const { token, user } = await signUp();
      const client = t.wsClient({ [key]: `Bearer ${token}` });
      const result = await wsRequest(client, Me);
      expect(result.data?.me?.id).toBe(user.id);
    },
  );

  it("answers me as null for an anonymous connection", async () => {
    const result = await wsRequest(t.wsClient(), Me);
    expect(result.data?.me).toBeNull();
  });

  it("closes the socket with 4403 for a bad token, whatever the letter case of its key", async () => {
    const client = t.wsClient({ Authorization: "Bearer not-a-real-token" });
    const closed = new Promise<{ code: number }>((resolve) =>
      client.on("closed", (event) => resolve(event as { code: number })),
    );
    await expect(wsRequest(client, Me)).rejects.toBeTruthy();
    expect((await closed).code).toBe(4403);
  });
});

describe("headers in a subscribe message (GraphiQL's Headers tab)", () => {
  it("run the operation as their token's user, on an anonymous connection", async () => {
    const { token, user } = await signUp();
    const client = t.wsClient();
    for (const key of ["Authorization", "authorization", "AUTHORIZATION"]) {
      const result = await wsRequestWithHeaders(client, Me, { [key]: `Bearer ${token}` });
      expect(result.errors, key).toBeUndefined();
      expect(result.data?.me?.id, key).toBe(user.id);
    }
    // the next operation without headers is the connection's again
    expect((await wsRequest(client, Me)).data?.me).toBeNull();
  });

  it("decide who runs the operation over the connection's token", async () => {
    const connectionUser = await signUp();
    const headerUser = await signUp();
    const client = t.wsClient({ authorization: `Bearer ${connectionUser.token}` });
    const result = await wsRequestWithHeaders(client, Me, { Authorization: `Bearer ${headerUser.token}` });
    expect(result.data?.me?.id).toBe(headerUser.user.id);
    // headers without a token leave the operation to the connection's user
    const other = await wsRequestWithHeaders(client, Me, { "X-Request-Id": "1" });
    expect(other.data?.me?.id).toBe(connectionUser.user.id);
  });

  it("with a rejected token make the operation UNAUTHENTICATED, never the connection's user", async () => {
    const { token } = await signUp();
    const revoked = await signUp();
    await t.request(LogOut, {}, revoked.token);
    const client = t.wsClient({ authorization: `Bearer ${token}` });

    const me = await wsRequestWithHeaders(client, Me, { Authorization: `Bearer ${revoked.token}` });
    expect(codes(me)).toEqual(["UNAUTHENTICATED"]);
    expect(me.errors?.[0]?.message).toBe("Your session has expired or was revoked. Log in again.");
    expect(me.data?.me ?? null).toBeNull();

    const jobs = await wsRequestWithHeaders(client, MyJobsSubscription, { authorization: "Basic dXNlcjpwYXNz" });
    expect(codes(jobs)).toEqual(["UNAUTHENTICATED"]);

    // the socket stays open and the connection's own token still works
    expect((await wsRequest(client, Me)).data?.me).not.toBeNull();
  });
});

describe("the download routes", () => {
  const nowhere = "/exports/00000000-0000-4000-8000-000000000000/download";
  const get = async (headers: Record<string, string>) => {
    const response = await fetch(new URL(nowhere, t.url), { headers });
    const body = (await response.json()) as { error: { code: string; message: string } };
    return { status: response.status, ...body.error };
  };

  it("take the same bearer token, and tell a missing token from a rejected one", async () => {
    const { token } = await signUp();
    // authenticated: the export is simply not there
    expect(await get({ Authorization: `Bearer ${token}` })).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(await get({})).toEqual({ status: 401, code: "UNAUTHENTICATED", message: "You must be logged in." });
    await t.request(LogOut, {}, token);
    expect(await get({ authorization: `Bearer ${token}` })).toEqual({
      status: 401,
      code: "UNAUTHENTICATED",
      message: "Your session has expired or was revoked. Log in again.",
    });
  });
});

describe("unexpected errors", () => {
  it("are masked for the client, with no stack or SQL, and the server keeps serving", async () => {
    const email = uniqueEmail();
    const { token } = await signUp(email, "the password");
    await sql.query("alter table sessions rename to sessions_moved");
    try {
      const result = await t.request(LogIn, { email, password: "the password" });
      const broken = await t.request(Me, {}, token);
      for (const r of [result, broken]) {
        expect(r.errors?.[0]?.message).toBe("Unexpected error.");
        expect(JSON.stringify(r)).not.toMatch(/sessions|stack|prisma/i);
      }
    } finally {
      await sql.query("alter table sessions_moved rename to sessions");
    }
    expect((await t.request(Me, {}, token)).data?.me).not.toBeNull();
  });
});
