import { readFile } from "node:fs/promises";
import { buildSchema, parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TypedDocumentString } from "../src/web/gql/graphql.js";
import * as webOperations from "../src/web/operations.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";

// what the browser tests (test/e2e/) cannot show on a machine without Chromium: that the page is served

let t: TestApp;
const get = (path: string, init?: RequestInit) => fetch(new URL(path, t.url), init);

beforeAll(async () => {
  t = await startTestApp({ role: "api" });
});

afterAll(async () => {
  await t.stop();
});

describe("the web page", () => {
  it("answers every page path with the same HTML shell, which loads only this server's assets", async () => {
    const bodies = new Set<string>();
    for (const path of [
      "/",
      "/signin",
      "/templates",
      "/templates/new",
      "/templates/123",
      "/jobs",
      "/jobs/123",
      "/jobs/123/records",
      "/exports/new",
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      bodies.add(await response.text());
    }
    expect(bodies.size).toBe(1);
    const [shell] = [...bodies];
    expect(shell).toContain('src="/assets/app.js"');
    expect(shell).toContain('href="/assets/app.css"');
    expect(shell).not.toMatch(/https?:\/\//);
  });

  it("serves the bundle and the stylesheet with their types, revalidated by ETag", async () => {
    for (const [path, type] of [
      ["/assets/app.js", "text/javascript; charset=utf-8"],
      ["/assets/app.css", "text/css; charset=utf-8"],
    ] as const) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(type);
      expect(response.headers.get("cache-control")).toBe("no-cache");
      expect((await response.text()).length).toBeGreaterThan(1000);
      const etag = response.headers.get("etag")!;
      expect((await get(path, { headers: { "if-none-match": etag } })).status).toBe(304);
    }
    // the graphql-ws browser client is in the bundle: nothing is fetched from a CDN
    expect(await (await get("/assets/app.js")).text()).toContain("graphql-transport-ws");
  });

  it("answers an unknown path with a real 404: the shell, whose script shows the not-found page", async () => {
    const shell = await (await get("/")).text();
    for (const path of ["/jobs/1/2", "/no/such/page", "/graphqlx"]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.text()).toBe(shell);
    }
    // a missing asset or a POST to nowhere is plainly not found
    const asset = await get("/assets/nope.js");
    expect(asset.status).toBe(404);
    expect(asset.headers.get("content-type")).toBe("text/plain");
    expect((await get("/no/such/page", { method: "POST" })).status).toBe(404);
  });

  it("leaves GraphQL, health checks and downloads to their handlers", async () => {
    expect((await get("/healthz")).status).toBe(200);
    const graphql = await get("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(await graphql.json()).toEqual({ data: { __typename: "Query" } });
    // a download without credentials is refused by the downloads handler, not answered with the shell
    for (const path of ["/exports/00000000-0000-4000-8000-000000000000/download", "/imports/x/errors.xlsx"]) {
      const response = await get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.headers.get("content-type")).not.toContain("text/html");
    }
    expect((await get("/", { method: "POST" })).status).toBe(405);
  });

  it("asks only for what schema.graphql offers: every operation of the page is valid against it", async () => {
    const schema = buildSchema(await readFile("schema.graphql", "utf8"));
    const operations = Object.entries(webOperations as Record<string, unknown>).flatMap(([name, value]) =>
      value instanceof TypedDocumentString ? [[name, value.toString()] as const] : [],
    );
    expect(operations.length).toBeGreaterThan(20);
    for (const [name, source] of operations) {
      expect(
        validate(schema, parse(source)).map((e) => e.message),
        name,
      ).toEqual([]);
    }
  });
});
