import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, wsRequest, type TestApp } from "./helpers/testApp.js";
import { LogIn, LogOut, Me, SignUp } from "./operations.js";

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

describe("over graphql-ws", () => {
  it("answers me for the token in connectionParams", async () => {
    const { token, user } = await signUp();
    const client = t.wsClient({ authorization: `Bearer ${token}` });
    const result = await wsRequest(client, Me);
    expect(result.data?.me?.id).toBe(user.id);
  });

  it("answers me as null for an anonymous connection", async () => {
    const result = await wsRequest(t.wsClient(), Me);
    expect(result.data?.me).toBeNull();
  });

  it("closes the socket with 4403 for a bad token", async () => {
    const client = t.wsClient({ authorization: "Bearer not-a-real-token" });
    const closed = new Promise<{ code: number }>((resolve) =>
      client.on("closed", (event) => resolve(event as { code: number })),
    );
    await expect(wsRequest(client, Me)).rejects.toBeTruthy();
    expect((await closed).code).toBe(4403);
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
