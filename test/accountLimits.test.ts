import { request as httpRequest } from "node:http";
import { randomUUID } from "node:crypto";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientKey } from "../src/auth/rateLimits.js";
import { walkResponse } from "./helpers/errorWalk.js";
import { startTestApp, wsRequest, type TestApp } from "./helpers/testApp.js";
import { LogIn, Me, MyJobsSubscription, SignUp } from "./operations.js";

type GraphQLBody = {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
};
type Answer = { status: number; retryAfterHeader: string | undefined; body: GraphQLBody };

/**
 * POSTs one operation to `url` over a real socket from `address`, one of the loopback addresses
 * (all of 127.0.0.0/8 reaches the server on Linux), so a test can be many clients: the server sees
 * each as a different TCP peer.
 */
function postFrom<V>(
  url: string,
  address: string,
  document: TypedDocumentNode<unknown, V>,
  variables: V,
  token?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        localAddress: address,
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const headers = new Headers(res.headers as Record<string, string>);
          // the same check of error codes every fetch gets (walkErrors.setup.ts)
          walkResponse("POST", new URL(url), new Response(text, { status: res.statusCode, headers }));
          resolve({ status: res.statusCode!, retryAfterHeader: res.headers["retry-after"], body: JSON.parse(text) });
        });
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify({ query: print(document), variables }));
  });
}

const codeOf = (body: GraphQLBody) => body.errors?.[0]?.extensions?.code;

/** Checks `answer` is a refusal for being over a rate limit, as a person and a client read it. */
function expectRateLimited(answer: Answer, what: "attempts" | "requests") {
  expect(answer.status).toBe(429);
  const error = answer.body.errors?.[0];
  expect(error?.extensions?.code).toBe("RATE_LIMITED");
  const retryAfter = error?.extensions?.retryAfter as number;
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(answer.retryAfterHeader).toBe(String(retryAfter));
  expect(error?.message).toMatch(new RegExp(`^Too many ${what}; try again in ${retryAfter} seconds?\\.$`));
  // Yoga's status and header instructions stay on the server
  expect(error?.extensions).not.toHaveProperty("http");
}

const wrongLogIn = () => ({ email: `${randomUUID()}@example.com`, password: "not the password" });

describe("logIn and signUp, AUTH_RATE_LIMIT_PER_MINUTE=10", () => {
  const env = { AUTH_RATE_LIMIT_PER_MINUTE: "10" };
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await startTestApp({ env });
    // a second API process on the same database, as in a scaled-out deployment
    second = await startTestApp({ env, database: first.database });
  });

  afterAll(async () => {
    await second?.stop();
    await first?.stop();
  });

  /** Signs up `email` from an address of its own, so the address's count is not the test's. */
  async function account(address: string, email = `${randomUUID()}@example.com`) {
    const answer = await postFrom(first.url, address, SignUp, { email, password: "the password" });
    expect(answer.body.errors).toBeUndefined();
    return email;
  }

  it("answers 10 of 30 wrong logIns from one address at once, and refuses the rest 429 RATE_LIMITED with retryAfter", async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => postFrom(first.url, "127.0.1.1", LogIn, wrongLogIn())),
    );
    // every one a different email: only the address's limit is met
    expect(answers.filter((a) => codeOf(a.body) === "UNAUTHENTICATED")).toHaveLength(10);
    const refused = answers.filter((a) => codeOf(a.body) === "RATE_LIMITED");
    expect(refused).toHaveLength(20);
    for (const answer of refused) expectRateLimited(answer, "attempts");

    // the right password too: the limit comes before the password is looked at
    const email = await account("127.0.1.2");
    expectRateLimited(await postFrom(first.url, "127.0.1.1", LogIn, { email, password: "the password" }), "attempts");
    // while another address logs in to that account
    const elsewhere = await postFrom(first.url, "127.0.1.3", LogIn, { email, password: "the password" });
    expect(elsewhere.body.errors).toBeUndefined();
  });

  it("gives an account 10 attempts a minute, from whichever addresses they come", async () => {
    const email = await account("127.0.2.1"); // its first attempt
    for (let i = 2; i <= 10; i++) {
      const answer = await postFrom(first.url, `127.0.2.${10 + i}`, LogIn, { email, password: "not the password" });
      expect(codeOf(answer.body)).toBe("UNAUTHENTICATED");
    }
    // a fresh address, the right password: the account's own limit refuses it
    expectRateLimited(await postFrom(first.url, "127.0.2.30", LogIn, { email, password: "the password" }), "attempts");
    // the account's count is signUp's too
    const again = await postFrom(first.url, "127.0.2.31", SignUp, { email, password: "another password" });
    expectRateLimited(again, "attempts");
    // and that fresh address may still try other accounts
    expect(codeOf((await postFrom(first.url, "127.0.2.30", LogIn, wrongLogIn())).body)).toBe("UNAUTHENTICATED");
  });

  it("says when signUp's email is taken, but an address may ask only 10 times a minute, logIns included", async () => {
    const taken = await account("127.0.3.1");
    const probe = await postFrom(first.url, "127.0.3.2", SignUp, { email: taken, password: "another password" });
    expect(codeOf(probe.body)).toBe("BAD_USER_INPUT");
    expect(probe.body.errors?.[0]?.message).toBe("An account with this email already exists; log in instead.");
    for (let i = 0; i < 4; i++) {
      const free = await postFrom(first.url, "127.0.3.2", SignUp, {
        email: `${randomUUID()}@example.com`,
        password: "another password",
      });
      expect(free.body.errors).toBeUndefined();
    }
    for (let i = 0; i < 5; i++) {
      expect(codeOf((await postFrom(first.url, "127.0.3.2", LogIn, wrongLogIn())).body)).toBe("UNAUTHENTICATED");
    }
    // the 11th attempt: whether `taken` has an account is no longer answered
    const eleventh = await postFrom(first.url, "127.0.3.2", SignUp, { email: taken, password: "another password" });
    expectRateLimited(eleventh, "attempts");
  });

  it("counts an address's attempts across API processes sharing the database", async () => {
    for (let i = 0; i < 10; i++) {
      const to = i % 2 ? second : first;
      expect(codeOf((await postFrom(to.url, "127.0.4.1", LogIn, wrongLogIn())).body)).toBe("UNAUTHENTICATED");
    }
    expectRateLimited(await postFrom(first.url, "127.0.4.1", LogIn, wrongLogIn()), "attempts");
    expectRateLimited(await postFrom(second.url, "127.0.4.1", LogIn, wrongLogIn()), "attempts");
  });

  const common = "This password is one of the most common; choose another.";
  const blank = "Password cannot be only spaces; choose one with letters, digits or symbols.";
  it.each([
    ["12345678", "12345678", common],
    ["password", "password", common],
    ["a common one in another case, spaces around", " PassWord1 ", common],
    ["iloveyou", "iloveyou", common],
    ["8 spaces", " ".repeat(8), blank],
    ["8 kinds of whitespace", "\t \u00a0\n\r\u2003\v\f", blank],
    ["8 zero-width spaces", "\u200b".repeat(8), blank],
    ["a common one with a zero-width space", "password\u200b", common],
    ["a common one in full-width letters", "ｐａｓｓｗｏｒｄ", common],
    ["7 letters and a joiner", "seven77\u200d", "Password must be at least 8 characters."],
    ["7 characters", "seven77", "Password must be at least 8 characters."],
    ["1,025 characters", "x".repeat(1025), "Password must be at most 1024 characters."],
  ])("refuses signUp with %s as the password, saying why", async (_name, password, message) => {
    const answer = await postFrom(first.url, "127.0.5.1", SignUp, { email: `${randomUUID()}@example.com`, password });
    expect(codeOf(answer.body)).toBe("BAD_USER_INPUT");
    expect(answer.body.errors?.[0]?.message).toBe(message);
  });

  it("does not count refused passwords as attempts, and takes passphrases of common words", async () => {
    for (let i = 0; i < 10; i++) {
      const weak = await postFrom(first.url, "127.0.5.2", SignUp, {
        email: `${randomUUID()}@example.com`,
        password: "password",
      });
      expect(codeOf(weak.body)).toBe("BAD_USER_INPUT");
    }
    for (const password of ["long enough", "correct horse", "the password", "another password", "not the password"]) {
      const answer = await postFrom(first.url, "127.0.5.2", SignUp, { email: `${randomUUID()}@example.com`, password });
      expect(answer.body.errors).toBeUndefined();
    }
  });
});

describe("the request budget, REQUEST_BUDGET_PER_MINUTE=5", () => {
  const env = { REQUEST_BUDGET_PER_MINUTE: "5" };
  let first: TestApp;
  let second: TestApp;
  let sql: pg.Pool;

  beforeAll(async () => {
    first = await startTestApp({ env });
    second = await startTestApp({ env, database: first.database });
    sql = new pg.Pool({ connectionString: first.database.url });
  });

  afterAll(async () => {
    await sql?.end();
    await second?.stop();
    await first?.stop();
  });

  // signUp is anonymous: it does not spend the new user's budget
  async function newUser() {
    const answer = await first.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
    return answer.data!.signUp.token;
  }

  it("runs 5 operations of a user a minute over HTTP, in any API process, then answers 429 RATE_LIMITED", async () => {
    const token = await newUser();
    for (let i = 0; i < 5; i++) {
      const answer = await postFrom((i % 2 ? second : first).url, "127.0.6.1", Me, {}, token);
      expect(answer.body.errors).toBeUndefined();
    }
    expectRateLimited(await postFrom(first.url, "127.0.6.1", Me, {}, token), "requests");
    expectRateLimited(await postFrom(second.url, "127.0.6.1", Me, {}, token), "requests");

    // the budget is the user's, not the address's; anonymous operations have none
    const other = await newUser();
    expect((await postFrom(first.url, "127.0.6.1", Me, {}, other)).body.errors).toBeUndefined();
    for (let i = 0; i < 6; i++) {
      expect((await postFrom(first.url, "127.0.6.1", Me, {})).body).toEqual({ data: { me: null } });
    }
  });

  it("counts graphql-ws and SSE operations in the same budget, and refuses them with the code", async () => {
    const token = await newUser();
    const client = first.wsClient({ authorization: `Bearer ${token}` });
    for (let i = 0; i < 3; i++) expect((await wsRequest(client, Me)).errors).toBeUndefined();
    for (let i = 0; i < 2; i++)
      expect((await postFrom(second.url, "127.0.7.1", Me, {}, token)).body.errors).toBeUndefined();

    for (const document of [Me, MyJobsSubscription]) {
      const refused = await wsRequest(client, document as TypedDocumentNode<unknown, Record<string, never>>);
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors![0]!.message).toMatch(/^Too many requests; try again in \d+ seconds?\.$/);
      // no `http` here: over a socket it would reach the client as is
      expect(refused.errors![0]!.extensions).toEqual({ code: "RATE_LIMITED", retryAfter: expect.any(Number) });
    }

    const sse = await fetch(second.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "text/event-stream", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(MyJobsSubscription) }),
    });
    expect(await sse.text()).toMatch(/"code":"RATE_LIMITED","retryAfter":\d+/);
  });

  it("keeps the counters of the last minute only: purgeRateLimits deletes the rest", async () => {
    const stale = `test:${randomUUID()}`;
    const fresh = `test:${randomUUID()}`;
    await sql.query(
      "insert into rate_limits (key, window_start, hits) values ($1, now() - interval '61 seconds', 3), ($2, now(), 1)",
      [stale, fresh],
    );
    // either process's worker may run it
    const done = new Promise<void>((resolve) => {
      for (const { app } of [first, second]) {
        app.worker!.events.on("job:success", ({ job }) => {
          if (job.task_identifier === "purgeRateLimits") resolve();
        });
      }
    });
    await sql.query("select graphile_worker.add_job('purgeRateLimits')");
    await done;
    const { rows } = await sql.query("select key from rate_limits where key = any($1)", [[stale, fresh]]);
    expect(rows).toEqual([{ key: fresh }]);
  });
});

describe("the address a client is counted by", () => {
  const keyOf = (remoteAddress: string) => clientKey({ req: { socket: { remoteAddress } } });

  it("is the IPv4 address, also when it reaches an IPv6 socket mapped", () => {
    expect(keyOf("203.0.113.7")).toBe("ip:203.0.113.7");
    expect(keyOf("::ffff:203.0.113.7")).toBe("ip:203.0.113.7");
  });

  it("is the /64 of an IPv6 address, however it is written", () => {
    const key = "ip:2001:db8:1:2::/64";
    for (const address of [
      "2001:db8:1:2:3:4:5:6",
      "2001:0DB8:0001:0002::9",
      "2001:db8:1:2::",
      "2001:db8:1:2::1.2.3.4",
    ]) {
      expect(keyOf(address)).toBe(key);
    }
    expect(keyOf("2001:db8:1:3::1")).not.toBe(key);
    expect(keyOf("2001:db8::1")).toBe("ip:2001:db8:0:0::/64");
    expect(keyOf("fe80::1%eth0")).toBe("ip:fe80:0:0:0::/64");
  });
});
