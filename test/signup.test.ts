import { randomUUID } from "node:crypto";
import pg from "pg";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { LogIn, SignUp } from "./operations.js";

/** Two API processes on one database: one as started by default, one with ALLOW_SIGNUP=false. */
let open: TestApp;
let closed: TestApp;

beforeAll(async () => {
  open = await startTestApp({ role: "api" });
  closed = await startTestApp({ role: "api", env: { ALLOW_SIGNUP: "false" }, database: open.database });
});

afterAll(async () => {
  await closed.stop();
  await open.stop();
});

/** `signUp` as a client sends it, over real HTTP. */
async function signUp(app: TestApp, email: string, password = "long enough") {
  const response = await fetch(app.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: print(SignUp), variables: { email, password } }),
  });
  return (await response.json()) as {
    data: { signUp: { token: string } } | null;
    errors?: Array<{ message: string; extensions: { code: string } }>;
  };
}

async function accounts(email: string): Promise<number> {
  const client = new pg.Client({ connectionString: open.database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>("select count(*)::int as n from users where email = $1", [
      email,
    ]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

describe("ALLOW_SIGNUP", () => {
  it("is on by default: signUp creates an account", async () => {
    const email = `${randomUUID()}@example.com`;
    const result = await signUp(open, email);
    expect(result.errors).toBeUndefined();
    expect(result.data!.signUp.token).toMatch(/\S{20,}/);
    expect(await accounts(email)).toBe(1);
  });

  it("false: signUp answers FORBIDDEN, whatever it is sent, and creates nothing", async () => {
    const email = `${randomUUID()}@example.com`;
    for (const [address, password] of [
      [email, "long enough"],
      ["not an email", "short"],
    ] as const) {
      const result = await signUp(closed, address, password);
      expect(result.data).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]).toMatchObject({
        extensions: { code: "FORBIDDEN" },
        message: "Sign-up is turned off on this server; ask its administrator for an account.",
      });
    }
    expect(await accounts(email)).toBe(0);
  });

  it("false: existing accounts still log in", async () => {
    const email = `${randomUUID()}@example.com`;
    expect((await signUp(open, email)).errors).toBeUndefined();
    const loggedIn = await closed.request(LogIn, { email, password: "long enough" });
    expect(loggedIn.errors).toBeUndefined();
    expect(loggedIn.data!.logIn.user.email).toBe(email);
  });

  it("is read as a boolean, and anything else stops the server from starting", () => {
    for (const off of ["false", "FALSE", "0", "no", "off", " false "]) {
      expect(loadConfig({ ALLOW_SIGNUP: off }, []).allowSignup, off).toBe(false);
    }
    for (const on of ["true", "1", "yes", "on", ""])
      expect(loadConfig({ ALLOW_SIGNUP: on }, []).allowSignup, on).toBe(true);
    expect(loadConfig({}, []).allowSignup).toBe(true);
    expect(() => loadConfig({ ALLOW_SIGNUP: "maybe" }, [])).toThrow('ALLOW_SIGNUP must be true or false, got "maybe"');
  });
});
