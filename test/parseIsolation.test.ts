import { randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { Logger, run, type Runner } from "graphile-worker";
import { print } from "graphql";
import JSZip from "jszip";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importJob } from "../src/imports/importJob.js";
import { jobTask } from "../src/jobs/runJob.js";
import { createLogger } from "../src/logger.js";
import { isFinal, orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import type { InferInIsolationMutation } from "./gql/graphql.js";
import { graphql } from "./gql/index.js";
import { CreateTemplate, SignUp } from "./operations.js";

const InferInIsolation = graphql(`
  mutation InferInIsolation($file: Upload!) {
    inferImportTemplate(file: $file) {
      headerRow
      columns {
        key
        type
      }
    }
  }
`);

const CancelRunningImport = graphql(`
  mutation CancelRunningImport($id: ID!) {
    cancelImport(id: $id) {
      id
      status
    }
  }
`);

/** PARSE_MEMORY_MB for these tests: far below what the big file needs, plenty for a normal one. */
const MEMORY_MB = 64;

/**
 * The API runs here alone, with PARSE_MEMORY_MB at {@link MEMORY_MB} for the samples it reads; each
 * test runs the import task in a worker of its own on the API's pool, built as
 * tasks/importSpreadsheet.ts builds it but with that heap for reading too, so the API, the worker
 * and the file readers they start are all of this process.
 */
let api: TestApp;
let sql: pg.Pool;
let token: string;
let templateId: string;

beforeAll(async () => {
  api = await startTestApp({ role: "api", env: { PARSE_MEMORY_MB: String(MEMORY_MB) } });
  sql = api.app.db.pool;
  const signUp = await api.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const template = await api.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  templateId = template.data!.createImportTemplate.id;
});

afterAll(async () => {
  await api.stop();
});

/** Runs `fn` with a graphile-worker runner whose import task reads files with `memoryMb` of heap. */
async function withWorker<T>(fn: (runner: Runner) => Promise<T>, memoryMb = MEMORY_MB): Promise<T> {
  const logger = createLogger("silent");
  const runner = await run({
    pgPool: sql,
    concurrency: 2,
    noHandleSignals: true,
    logger: new Logger(() => () => undefined),
    taskList: {
      importSpreadsheet: jobTask(
        { pool: sql, logger },
        importJob(sql, { parseMemoryMb: memoryMb, maxUncompressedBytes: 1024 ** 3 }),
      ),
    },
  });
  try {
    return await fn(runner);
  } finally {
    await runner.stop();
  }
}

async function startImport(file: Buffer, fileName: string): Promise<string> {
  const started = await uploadFile(api, token, templateId, file, fileName);
  expect(started.errors).toBeUndefined();
  return started.data!.startImport.id;
}

/**
 * An .xlsx whose shared strings table holds 3 million distinct texts ("Customer 0", …): well under
 * the caps on entries and bytes (5 million, 128 MiB), 4 MB packed, and some 150 MB as JavaScript
 * strings, which the reader holds while the sheet is read.
 */
function manySharedStrings(): Promise<Buffer> {
  manySharedStringsFile ??= writeManySharedStrings();
  return manySharedStringsFile;
}
let manySharedStringsFile: Promise<Buffer> | undefined;

async function writeManySharedStrings(): Promise<Buffer> {
  const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const count = 3_000_000;
  const items: string[] = [];
  for (let i = 0; i < count; i++) items.push(`<si><t>Customer ${i}</t></si>`);
  const zip = new JSZip();
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="xml" ContentType="application/xml"/></Types>`,
  );
  zip.file(
    "xl/workbook.xml",
    `<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
  zip.file(
    "xl/_rels/workbook.xml.rels",
    `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
      `<Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
  );
  zip.file(
    "xl/sharedStrings.xml",
    `<sst xmlns="${main}" count="${count}" uniqueCount="${count}">${items.join("")}</sst>`,
  );
  zip.file(
    "xl/worksheets/sheet1.xml",
    `<worksheet xmlns="${main}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
  );
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/** Sends inferImportTemplate as a real multipart request. */
async function inferUpload(file: Buffer, fileName: string) {
  const body = new FormData();
  body.append("operations", JSON.stringify({ query: print(InferInIsolation), variables: { file: null } }));
  body.append("map", JSON.stringify({ 0: ["variables.file"] }));
  body.append("0", new Blob([new Uint8Array(file)]), fileName);
  const response = await fetch(api.url, {
    method: "POST",
    headers: { "x-graphql-yoga-csrf": "1", authorization: `Bearer ${token}` },
    body,
  });
  return (await response.json()) as {
    data?: InferInIsolationMutation | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

/** A csv of `rows` valid orders. */
function ordersCsv(rows: number): Buffer {
  const lines = ["Name,Quantity,Unit Price"];
  for (let i = 0; i < rows; i++) lines.push(`Item ${i},${i},${i / 100}`);
  return Buffer.from(lines.join("\n"));
}

/** Asks `/healthz` again and again, a little apart, until stopped: the API must answer every time. */
function probeHealth() {
  const statuses: Array<number | string> = [];
  let stopped = false;
  const probing = (async () => {
    while (!stopped) {
      const answer = await fetch(new URL("/healthz", api.url)).then(
        (response) => response.status,
        (err: Error) => err.message,
      );
      statuses.push(answer);
      await new Promise((resolve) => setTimeout(resolve, 50)); // a pace, not a wait for anything
    }
  })();
  return {
    async stop() {
      stopped = true;
      await probing;
      return statuses;
    },
  };
}

/** The file readers this process has running: its children started from parseProcessEntry.ts. */
async function readerPids(): Promise<Set<number>> {
  const pids = new Set<number>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const [stat, command] = await Promise.all([
      readFile(`/proc/${name}/stat`, "utf8").catch(() => ""),
      readFile(`/proc/${name}/cmdline`, "utf8").catch(() => ""),
    ]);
    // pid (comm) state ppid …; comm may hold spaces, so count from its closing parenthesis
    const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (parent === process.pid && command.includes("parseProcessEntry")) pids.add(Number(name));
  }
  return pids;
}

describe("reading a file in a process of its own", () => {
  it("fails a file that needs more memory than PARSE_MEMORY_MB, while the API answers and other imports complete", async () => {
    const big = await manySharedStrings();
    await withWorker(async () => {
      const health = probeHealth();
      const bigId = await startImport(big, "strings.xlsx");
      const smallId = await startImport(ordersCsv(50), "orders.csv");
      const [bigEnd, smallEnd] = await Promise.all([
        waitForImport(api.database.url, bigId, isFinal, 90_000),
        waitForImport(api.database.url, smallId, isFinal, 90_000),
      ]);
      const statuses = await health.stop();

      expect(bigEnd).toMatchObject({
        status: "FAILED",
        error_message: `This file needs more memory than allowed (limit ${MEMORY_MB} MB).`,
        attempts: 1, // for good: a retry would run out of memory again
        file_id: expect.any(String), // kept, so the import can be retried with more memory
      });
      expect(smallEnd).toMatchObject({ status: "COMPLETED", rows_imported: 50, rows_failed: 0 });
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    });
    // and the next file is read by a new process
    await withWorker(async () => {
      const id = await startImport(ordersCsv(10), "orders.csv");
      expect(await waitForImport(api.database.url, id, isFinal)).toMatchObject({
        status: "COMPLETED",
        rows_imported: 10,
      });
    });
  });

  it("reads a normal file as before: rows and row errors, and a header that does not match with what it holds", async () => {
    await withWorker(async () => {
      const csv = Buffer.from("Name,Quantity,Unit Price\nWidget,3,9.99\nGadget,many,1.50\n,1,2\n");
      const mixed = await startImport(csv, "orders.csv");
      expect(await waitForImport(api.database.url, mixed, isFinal)).toMatchObject({
        status: "COMPLETED",
        rows_imported: 1,
        rows_failed: 2,
      });
      const { rows: errors } = await sql.query(
        `select row_number, "column" from import_row_errors where import_id = $1 order by row_number`,
        [mixed],
      );
      expect(errors).toEqual([
        { row_number: 3, column: "Quantity" },
        { row_number: 4, column: "Name" },
      ]);

      const unmatched = await startImport(Buffer.from("Name,Count\nWidget,3\n"), "other.csv");
      const end = await waitForImport(api.database.url, unmatched, isFinal);
      expect(end.status).toBe("FAILED");
      expect(end.error_message).toMatch(/^Missing required column\(s\): Unit Price\./);
      // the header crossed from the reader's process intact: a person can map its columns
      const {
        rows: [header],
      } = await sql.query("select header_row, source_columns, mapping from imports where id = $1", [unmatched]);
      expect(header.header_row).toBe(1);
      expect(header.source_columns.map((column: { header: string }) => column.header)).toEqual(["Name", "Count"]);
      expect(header.mapping).toHaveLength(orderColumns.length);
    });
  });

  it("stops the reading process when the import is cancelled", async () => {
    await withWorker(async (runner) => {
      const before = await readerPids();
      const id = await startImport(ordersCsv(300_000), "orders.csv");
      const reading = await waitForImport(
        api.database.url,
        id,
        (row) => isFinal(row) || (row.status === "PROCESSING" && row.phase === "VALIDATING"),
      );
      expect(reading.status).toBe("PROCESSING");
      const started = [...(await readerPids())].filter((pid) => !before.has(pid));
      expect(started).toHaveLength(1);

      const ended = new Promise<void>((resolve) =>
        runner.events.on("job:complete", ({ job }) => job.id === reading.background_job_id && resolve()),
      );
      const cancelled = await api.request(CancelRunningImport, { id }, token);
      expect(cancelled.data?.cancelImport.status).toBe("CANCELLED");
      await ended;
      // the run waits for its reader to exit before it ends
      expect(await readerPids()).not.toContain(started[0]);
    }, MEMORY_MB + 1); // readers of another heap size: this import's is a new process, not an idle one
  });

  it("reads inferImportTemplate's sample in a process of its own too, whose memory is capped", async () => {
    const health = probeHealth();
    const big = await inferUpload(await manySharedStrings(), "strings.xlsx");
    const small = await inferUpload(Buffer.from("Name,Quantity\nWidget,3\n"), "orders.csv");
    const statuses = await health.stop();
    expect(big.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
      { code: "BAD_USER_INPUT", message: `This file needs more memory than allowed (limit ${MEMORY_MB} MB).` },
    ]);
    expect(small.data?.inferImportTemplate).toEqual({
      headerRow: 1,
      columns: [
        { key: "name", type: "STRING" },
        { key: "quantity", type: "INTEGER" },
      ],
    });
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
  });

  it("reads a burst of samples two at a time, so it cannot start a crowd of readers", async () => {
    const csv = Buffer.from(
      "Name,Quantity\n" + Array.from({ length: 1_000 }, (_, i) => `Widget ${i},${i}`).join("\n") + "\n",
    );
    const before = await readerPids();
    const seen = new Set<number>();
    let bursting = true;
    const watching = (async () => {
      while (bursting) {
        for (const pid of await readerPids()) if (!before.has(pid)) seen.add(pid);
      }
    })();
    const results = await Promise.all(Array.from({ length: 8 }, () => inferUpload(csv, "orders.csv")));
    bursting = false;
    await watching;
    expect(results.map((result) => result.errors)).toEqual(results.map(() => undefined));
    // readers idle from earlier tests may serve some; at most two new ones start for the rest
    expect(seen.size).toBeLessThanOrEqual(2);
  });
});
