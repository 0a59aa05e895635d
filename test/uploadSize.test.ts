import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderColumns, uploadFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, SignUp } from "./operations.js";

// above graphql-yoga's default body limit (25,000,000 bytes), which once refused every upload past it
const MAX_UPLOAD_BYTES = 27 * 1024 * 1024;

let t: TestApp;
let sql: pg.Pool;
let token: string;
let templateId: string;

beforeAll(async () => {
  // no worker: what is measured is the upload, not an import of millions of rows
  t = await startTestApp({ role: "api", env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  sql = new pg.Pool({ connectionString: t.database.url });
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const created = await t.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  templateId = created.data!.createImportTemplate.id;
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

/** A csv of exactly `bytes` bytes. */
function csvOf(bytes: number): Buffer {
  const header = "Name,Quantity,Unit Price\n";
  const row = "Widget,1,2\n";
  const rows = Math.floor((bytes - header.length) / row.length);
  const pad = bytes - header.length - rows * row.length;
  return Buffer.from(header + row.repeat(rows) + "x".repeat(pad));
}

async function storedBytes(): Promise<{ files: number; bytes: number }> {
  const { rows } = await sql.query(
    "select count(*)::int as files, coalesce(sum(length(data)), 0)::int as bytes from stored_file_chunks",
  );
  return rows[0];
}

describe("MAX_UPLOAD_BYTES is the upload limit", () => {
  it("takes a 26 MB file, past graphql-yoga's default request limit", async () => {
    const file = csvOf(26_000_000);
    const result = await uploadFile(t, token, templateId, file, "big.csv");
    expect(result.errors).toBeUndefined();
    expect(result.data!.startImport).toMatchObject({ status: "PENDING", phase: "QUEUED" });
    const { rows } = await sql.query("select file_size from imports where id = $1", [result.data!.startImport.id]);
    expect(rows[0].file_size).toBe(26_000_000);
  });

  it("takes a file of exactly the limit", async () => {
    const result = await uploadFile(t, token, templateId, csvOf(MAX_UPLOAD_BYTES), "limit.csv");
    expect(result.errors).toBeUndefined();
    expect(result.data!.startImport.status).toBe("PENDING");
  });

  it("refuses the limit + 1 byte with FILE_TOO_LARGE, keeping nothing of it", async () => {
    const before = await storedBytes();
    const result = await uploadFile(t, token, templateId, csvOf(MAX_UPLOAD_BYTES + 1), "over.csv");
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["FILE_TOO_LARGE"]);
    expect(result.errors![0]!.message).toBe("The file is larger than the 27 MiB limit.");
    expect(await storedBytes()).toEqual(before);
  });

  it("refuses a request declared far larger with FILE_TOO_LARGE before reading it", async () => {
    const before = await storedBytes();
    const result = await uploadFile(t, token, templateId, csvOf(MAX_UPLOAD_BYTES + 5_000_000), "far.csv");
    expect(result.status).toBe(413);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["FILE_TOO_LARGE"]);
    expect(await storedBytes()).toEqual(before);
  });
});
