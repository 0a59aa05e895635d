import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { SignUp } from "./operations.js";

/**
 * Which pages may call the API (CORS_ORIGINS) and the headers that keep GraphiQL's page from
 * being framed or fed foreign script, over real HTTP.
 */
const FOREIGN = "https://evil.example";
const ALLOWED = "https://app.example.com";

let plain: TestApp; // CORS_ORIGINS unset: same origin only
let listing: TestApp; // CORS_ORIGINS lists ALLOWED
let token: string;

beforeAll(async () => {
  [plain, listing] = await Promise.all([
    startTestApp({ role: "api" }),
    startTestApp({ role: "api", env: { CORS_ORIGINS: `${ALLOWED},https://other.example.com` } }),
  ]);
  const signUp = await listing.request(SignUp, { email: `${randomUUID()}@example.com`, password: "correct horse" });
  token = signUp.data!.signUp.token;
});

afterAll(async () => {
  await Promise.all([plain?.stop(), listing?.stop()]);
});

/** A browser's preflight for a JSON POST with a bearer token, from `origin`. */
function preflight(url: string, origin: string) {
  return fetch(url, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization, content-type",
    },
  });
}

/** `{ me { email } }` as a browser page at `origin` would POST it. */
function postMe(url: string, origin: string, bearer?: string) {
  return fetch(url, {
    method: "POST",
    headers: {
      origin,
      "content-type": "application/json",
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({ query: "{ me { email } }" }),
  });
}

/** The CORS headers of an answer, by lower-case name. */
function corsHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith("access-control-")));
}

describe("CORS", () => {
  it("gives a foreign origin no CORS headers, so a browser refuses its preflight and hides the answer", async () => {
    for (const t of [plain, listing]) {
      const answered = await preflight(t.url, FOREIGN);
      expect(corsHeaders(answered)).toEqual({});
      const posted = await postMe(t.url, FOREIGN, token);
      expect(corsHeaders(posted)).toEqual({});
      expect(posted.headers.get("vary")).toMatch(/\bOrigin\b/);
    }
  });

  it("lets an origin listed in CORS_ORIGINS call with credentials", async () => {
    const answered = await preflight(listing.url, ALLOWED);
    expect(answered.status).toBe(204);
    expect(corsHeaders(answered)).toMatchObject({
      "access-control-allow-origin": ALLOWED,
      "access-control-allow-credentials": "true",
      "access-control-allow-methods": "GET, POST",
      "access-control-allow-headers": "authorization, content-type",
    });
    const posted = await postMe(listing.url, ALLOWED, token);
    expect(corsHeaders(posted)).toMatchObject({
      "access-control-allow-origin": ALLOWED,
      "access-control-allow-credentials": "true",
    });
    expect(await posted.json()).toEqual({ data: { me: { email: expect.stringContaining("@example.com") } } });
    // the second listed origin gets its own name back, not the first's
    const other = await preflight(listing.url, "https://other.example.com");
    expect(other.headers.get("access-control-allow-origin")).toBe("https://other.example.com");
  });

  it("answers the server's own pages as usual, with or without an Origin header", async () => {
    const own = new URL(plain.url).origin;
    const signUp = await plain.request(SignUp, { email: `${randomUUID()}@example.com`, password: "correct horse" });
    const bearer = signUp.data!.signUp.token;
    for (const origin of [own, undefined]) {
      const response = await fetch(plain.url, {
        method: "POST",
        headers: {
          ...(origin ? { origin } : {}),
          "content-type": "application/json",
          authorization: `Bearer ${bearer}`,
        },
        body: JSON.stringify({ query: "{ me { email } }" }),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { me: { email: expect.stringContaining("@example.com") } } });
    }
  });

  it("gives downloads and the web page no CORS headers at all", async () => {
    const paths = ["/", "/assets/app.js", `/exports/${randomUUID()}/download`, `/imports/${randomUUID()}/errors.xlsx`];
    for (const path of paths) {
      for (const origin of [FOREIGN, ALLOWED]) {
        const response = await fetch(new URL(path, listing.url), { headers: { origin } });
        await response.arrayBuffer();
        expect({ path, origin, cors: corsHeaders(response) }).toEqual({ path, origin, cors: {} });
      }
    }
  });
});

describe("GraphiQL's page", () => {
  it("may not be framed or sniffed, and runs only its own inline script", async () => {
    const response = await fetch(plain.url, { headers: { accept: "text/html" } });
    const html = await response.text();
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html).toContain("YogaGraphiQL");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");

    const policy = new Map(
      (response.headers.get("content-security-policy") ?? "").split(/;\s*/).map((directive) => {
        const [name = "", ...values] = directive.split(" ");
        return [name, values];
      }),
    );
    expect(policy.get("default-src")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
    expect(policy.get("object-src") ?? policy.get("default-src")).toEqual(["'none'"]);
    // exactly the page's inline scripts, by hash: nothing injected could run
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(
      ([, body]) => `'sha256-${createHash("sha256").update(body!).digest("base64")}'`,
    );
    expect(scripts.length).toBeGreaterThan(0);
    expect(policy.get("script-src")).toEqual(scripts);
  });

  it("puts the same headers, with a policy allowing nothing, on GraphQL's own answers", async () => {
    const response = await postMe(plain.url, new URL(plain.url).origin);
    expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });
});
