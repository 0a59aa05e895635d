import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFinal, orderColumns, uploadFile, waitForImport, xlsFile, xlsxFile } from "./helpers/imports.js";
import {
  IMPORT_STATES_IN_ORDER,
  jobHistory,
  recordJobHistory,
  retryNow,
  type JobVersion,
} from "./helpers/jobHistory.js";
import { runTaskNow } from "./helpers/jobs.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { zipOf } from "./spreadsheet/fixtures.js";
import {
  CreateTemplate,
  DeleteTemplate,
  GetImport,
  GetJob,
  GetTemplate,
  ListImports,
  RetryImport,
  SignUp,
  Templates,
} from "./operations.js";

const MAX_UPLOAD_BYTES = 64 * 1024;

let t: TestApp;
let sql: pg.Pool;

beforeAll(async () => {
  // two attempts: enough to see a retry succeed, and a last attempt fail
  t = await startTestApp({ env: { MAX_ATTEMPTS: "2", MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  sql = new pg.Pool({ connectionString: t.database.url });
  await recordJobHistory(t.database.url);
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.map((e) => e.extensions?.code);

interface Owner {
  token: string;
  templateId: string;
}

/** A new user with an "Orders" template of their own: each describe block makes its own. */
async function newOwner(app: TestApp = t): Promise<Owner> {
  const signUp = await app.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  expect(signUp.errors).toBeUndefined();
  const token = signUp.data!.signUp.token;
  const created = await app.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  expect(created.errors).toBeUndefined();
  return { token, templateId: created.data!.createImportTemplate.id };
}

/** startImport, which answers with the import as it wrote it: PENDING, QUEUED, not yet attempted. */
async function startImport({ token, templateId }: Owner, file: Buffer, name: string) {
  const started = await uploadFile(t, token, templateId, file, name);
  expect(started.errors).toBeUndefined();
  expect(started.data!.startImport).toMatchObject({ status: "PENDING", phase: "QUEUED", attempts: 0 });
  return started.data!.startImport;
}

async function importAndWait(owner: Owner, file: Buffer, name: string) {
  const { id } = await startImport(owner, file, name);
  await waitForImport(t.database.url, id, isFinal);
  const result = await t.request(GetImport, { id, first: 100 }, owner.token);
  expect(result.errors).toBeUndefined();
  return result.data!.import!;
}

/** `states` with each run of repeats folded into one: progress writes repeat a job's status and phase. */
const folded = (states: string[]) => states.filter((state, i) => state !== states[i - 1]);

const shipDate = new Date(Date.UTC(2024, 0, 15));
const expectedRecords = [
  {
    rowNumber: 2,
    data: {
      name: "Widget",
      quantity: 3,
      unitPrice: 9.99,
      active: true,
      shipDate: "2024-01-15",
      email: "buyer@example.com",
    },
  },
  {
    rowNumber: 3,
    data: { name: "Gadget", quantity: 10, unitPrice: 0.5, active: false, shipDate: null, email: null },
  },
];

describe("startImport happy path", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await newOwner();
  });

  it("imports an xlsx with typed values, then deletes the stored file", async () => {
    const file = await xlsxFile([
      ["Widget", 3, 9.99, true, shipDate, "Buyer@Example.com"],
      ["Gadget", "10", "0.5", "no", null, null],
    ]);
    const imported = await importAndWait(owner, file, "orders.xlsx");
    expect(imported).toMatchObject({
      status: "COMPLETED",
      phase: "DONE",
      fileName: "orders.xlsx",
      fileSize: file.length,
      rowsTotal: 2,
      rowsProcessed: 2,
      rowsImported: 2,
      rowsFailed: 0,
      errorMessage: null,
      backgroundJobId: null,
      attempts: 1,
      template: { id: owner.templateId },
    });
    expect(Date.parse(imported.processingCompletedAt!)).toBeGreaterThanOrEqual(
      Date.parse(imported.processingStartedAt!),
    );
    expect(imported.records.edges.map((e) => e.node)).toEqual(expectedRecords);
    expect(imported.errors.edges).toEqual([]);
    const stored = await sql.query("select file_id from imports where id = $1", [imported.id]);
    expect(stored.rows[0].file_id).toBeNull();
  });

  it("commits PENDING, then PROCESSING through each phase in order, then COMPLETED", async () => {
    const { id } = await startImport(owner, await xlsxFile([["Widget", 3, 9.99]]), "phases.xlsx");
    const history = await jobHistory(t.database.url, id);
    expect(folded(history.map((v) => `${v.status} ${v.phase}`))).toEqual(IMPORT_STATES_IN_ORDER);
    const processed = history.map((v) => v.rows_processed);
    expect(processed).toEqual([...processed].sort((a, b) => a! - b!));
    expect(history.at(-1)).toMatchObject({ attempts: 1, rows_processed: 1, rows_imported: 1 });
  });

  it("imports a legacy .xls", async () => {
    const file = xlsFile([
      ["Widget", 3, 9.99, true, shipDate, "Buyer@Example.com"],
      ["Gadget", "10", "0.5", "no", null, null],
    ]);
    const imported = await importAndWait(owner, file, "orders.xls");
    expect(imported.status).toBe("COMPLETED");
    expect(imported.records.edges.map((e) => e.node)).toEqual(expectedRecords);
  });

  it("imports a csv (BOM, semicolons, quotes), whatever its name says", async () => {
    const csv =
      "\uFEFFName;Quantity;Unit Price;Active;Ship Date;Contact Email\n" +
      'Widget;3;9.99;TRUE;2024-01-15;"Buyer@Example.com"\n' +
      '"Gadget";10;0.5;no;;\n';
    const imported = await importAndWait(owner, Buffer.from(csv), "orders.xlsx.txt");
    expect(imported.status).toBe("COMPLETED");
    expect(imported.records.edges.map((e) => e.node)).toEqual(expectedRecords);
  });

  it("pages through records with cursors", async () => {
    const rows = Array.from({ length: 5 }, (_, i) => [`Item ${i}`, i, 1.5, true, null, null]);
    const imported = await importAndWait(owner, await xlsxFile(rows), "five.xlsx");
    const page = (first: number, after?: string | null) =>
      t.request(GetImport, { id: imported.id, first, after }, owner.token);
    const page1 = (await page(2)).data!.import!.records;
    expect(page1.edges.map((e) => e.node.rowNumber)).toEqual([2, 3]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await page(10, page1.pageInfo.endCursor)).data!.import!.records;
    expect(page2.edges.map((e) => e.node.rowNumber)).toEqual([4, 5, 6]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    // a records cursor means nothing to the errors connection
    const misused = await t.request(GetImport, { id: imported.id, errorsAfter: page1.pageInfo.endCursor }, owner.token);
    expect(codes(misused)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("row errors", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await newOwner();
  });

  it("keeps valid rows, rejects invalid ones with Excel's row numbers, skipping empty rows", async () => {
    const file = await xlsxFile([
      ["Widget", 3, 9.99, true, shipDate, "a@example.com"], // row 2
      [], // row 3: empty, skipped
      ["", 2, "abc", "maybe", null, "not-an-email"], // row 4: four problems
      ["Gizmo", 1.5, 1, null, null, null], // row 5: not a whole number
      ["Thing", 1, 2, null, null, null], // row 6
    ]);
    const imported = await importAndWait(owner, file, "mixed.xlsx");
    expect(imported).toMatchObject({ status: "COMPLETED", rowsTotal: 4, rowsImported: 2, rowsFailed: 2 });
    expect(imported.records.edges.map((e) => e.node.rowNumber)).toEqual([2, 6]);
    const errors = imported.errors.edges.map((e) => e.node);
    expect(errors.map((e) => [e.rowNumber, e.column, e.value])).toEqual([
      [4, "Name", null],
      [4, "Unit Price", "abc"],
      [4, "Active", "maybe"],
      [4, "Contact Email", "not-an-email"],
      [5, "Quantity", "1.5"],
    ]);
    for (const error of errors) {
      expect(error.message).toMatch(/^[A-Z].*\.$/); // a sentence, for a person
      expect(error.message).not.toMatch(/undefined|null|Error:/);
    }
  });

  it("fails a file with no valid rows, saying how many rows had errors", async () => {
    const imported = await importAndWait(
      owner,
      await xlsxFile([
        ["", 1, 1],
        ["x", 1, "abc"],
      ]),
      "bad.xlsx",
    );
    expect(imported).toMatchObject({
      status: "FAILED",
      errorMessage: "No valid rows (2 rows had errors)",
      rowsImported: 0,
      rowsFailed: 2,
    });
    expect(imported.errors.edges).toHaveLength(2);
    expect(imported.records.edges).toEqual([]);
  });
});

describe("files that cannot be imported", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await newOwner();
  });

  /** What the owner has stored: imports, files and file chunks. */
  async function stored() {
    const { rows } = await sql.query(
      `select (select count(*) from imports i join import_templates t on t.id = i.template_id where t.id = $1)::int
                as imports,
              (select count(*) from stored_files f where f.user_id = t.user_id)::int as files,
              (select count(*) from stored_file_chunks c join stored_files f on f.id = c.file_id
                where f.user_id = t.user_id)::int as chunks
       from import_templates t where t.id = $1`,
      [owner.templateId],
    );
    return rows[0];
  }

  it("fails at once, for good, when required columns are missing", async () => {
    const file = await xlsxFile([["Widget", 3]], ["name", "QUANTITY", "Notes"]);
    const imported = await importAndWait(owner, file, "missing.xlsx");
    expect(imported).toMatchObject({
      status: "FAILED",
      errorMessage: "Missing required column(s): Unit Price. The file's headers are: name, QUANTITY, Notes.",
      attempts: 1,
      backgroundJobId: null,
    });
    expect(imported.processingCompletedAt).not.toBeNull();
  });

  it("fails a corrupt workbook with a message a person understands", async () => {
    const good = await xlsxFile([["Widget", 3, 9.99]]);
    const corrupt = Buffer.concat([good.subarray(0, 200), Buffer.from("xl/workbook.xml"), Buffer.alloc(300, 7)]);
    const imported = await importAndWait(owner, corrupt, "corrupt.xlsx");
    expect(imported.status).toBe("FAILED");
    expect(imported.attempts).toBe(1);
    expect(imported.errorMessage).toMatch(/^[A-Z].*\.$/);
    expect(imported.errorMessage).not.toMatch(/undefined|at .*\.js|Error:/);
  });

  it.each([
    ["a PNG", Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), "picture.xlsx"],
    ["a ZIP with no workbook inside", zipOf([["notes.txt", "hello"]]), "archive.xlsx"],
    ["binary junk", Buffer.from([0, 1, 2, 3, 255, 254, 0, 0]), "data.csv"],
  ])("refuses %s at once with UNSUPPORTED_FILE_TYPE, keeping nothing", async (_what, file, name) => {
    const before = await stored();
    const result = await uploadFile(t, owner.token, owner.templateId, file, name);
    expect(codes(result)).toEqual(["UNSUPPORTED_FILE_TYPE"]);
    expect(result.errors![0]!.message).toMatch(/not supported|no spreadsheet inside/);
    expect(await stored()).toEqual(before);
  });

  it("refuses a file over MAX_UPLOAD_BYTES with FILE_TOO_LARGE, keeping nothing of it", async () => {
    const before = await stored();
    const big = Buffer.from("Name,Quantity,Unit Price\n" + "Widget,1,2\n".repeat(MAX_UPLOAD_BYTES / 8));
    const result = await uploadFile(t, owner.token, owner.templateId, big, "big.csv");
    expect(codes(result)).toEqual(["FILE_TOO_LARGE"]);
    expect(await stored()).toEqual(before);
  });

  it("requires the CSRF header on multipart requests", async () => {
    const result = await uploadFile(t, owner.token, owner.templateId, Buffer.from("Name\nx\n"), "x.csv", {
      headers: {},
    });
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.message).toMatch(/CSRF/);
  });
});

describe("retries", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await newOwner();
  });

  /** Runs `fn` while every write of records fails, as a lost table would make it. */
  async function withRecordsAway<T>(fn: () => Promise<T>): Promise<T> {
    await sql.query("alter table records rename to records_away");
    try {
      return await fn();
    } finally {
      await sql.query("alter table records_away rename to records");
    }
  }

  const firstAttemptFailed = (v: JobVersion) => v.status === "PENDING" && v.attempts === 1;

  it("retries a transient failure after a backoff, PENDING with the attempt meanwhile, then succeeds", async () => {
    const started = await withRecordsAway(async () => {
      const started = await startImport(owner, Buffer.from("Name,Unit Price\nWidget,2\n"), "t.csv");
      await jobHistory(t.database.url, started.id, firstAttemptFailed);
      return started;
    });
    // the retry is due after graphile-worker's backoff (e seconds after a first attempt); run it now
    const { backoffMs } = await retryNow(t.database.url, started.backgroundJobId!);
    expect(backoffMs).toBeGreaterThan(2_000);

    const history = await jobHistory(t.database.url, started.id);
    expect(folded(history.map((v) => `${v.status} ${v.attempts}`))).toEqual([
      "PENDING 0",
      "PROCESSING 1",
      "PENDING 1",
      "PROCESSING 2",
      "COMPLETED 2",
    ]);
    const waiting = history.find(firstAttemptFailed)!;
    expect(waiting.error_message).toMatch(/^Attempt 1 of 2 failed \(.*records.*\); it will be retried\.$/);
    expect(waiting.background_job_id).toBe(started.backgroundJobId);
    expect(history.at(-1)).toMatchObject({ rows_imported: 1, error_message: null, background_job_id: null });
  });

  it("fails after the last attempt with the reason, and retryImport runs it again", async () => {
    const failed = await withRecordsAway(async () => {
      const started = await startImport(owner, Buffer.from("Name,Unit Price\nWidget,2\n"), "r.csv");
      await jobHistory(t.database.url, started.id, firstAttemptFailed);
      await retryNow(t.database.url, started.backgroundJobId!);
      return waitForImport(t.database.url, started.id, isFinal).then((row) => ({ ...row, id: started.id }));
    });
    expect(failed).toMatchObject({ status: "FAILED", attempts: 2, background_job_id: null });
    expect(failed.error_message).toMatch(/^Import failed after 2 attempts: .*records/);
    expect(failed.file_id).not.toBeNull(); // kept for retryImport

    const retried = await t.request(RetryImport, { id: failed.id }, owner.token);
    expect(retried.errors).toBeUndefined();
    // the answer is the row retryImport wrote, whatever the worker does next
    expect(retried.data!.retryImport).toMatchObject({
      status: "PENDING",
      phase: "QUEUED",
      errorMessage: null,
      attempts: 0,
    });
    expect(retried.data!.retryImport.backgroundJobId).not.toBeNull();
    const done = await waitForImport(t.database.url, failed.id, isFinal);
    // attempts start again at 1: a new job ran it
    expect(done).toMatchObject({ status: "COMPLETED", rows_imported: 1, attempts: 1 });

    const again = await t.request(RetryImport, { id: failed.id }, owner.token);
    expect(codes(again)).toEqual(["BAD_USER_INPUT"]);
  });

  it("running the job again after it finished changes nothing", async () => {
    const imported = await importAndWait(owner, await xlsxFile([["Widget", 3, 9.99]]), "twice.xlsx");
    const before = await sql.query("select * from imports where id = $1", [imported.id]);
    const records = await sql.query("select row_number, data from records where import_id = $1 order by row_number", [
      imported.id,
    ]);

    await runTaskNow(t, sql, "importSpreadsheet", { importId: imported.id });

    expect((await sql.query("select * from imports where id = $1", [imported.id])).rows).toEqual(before.rows);
    expect(
      (await sql.query("select row_number, data from records where import_id = $1 order by row_number", [imported.id]))
        .rows,
    ).toEqual(records.rows);
  });
});

describe("templates", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await newOwner();
  });

  it("rejects templates whose columns would be ambiguous or invalid", async () => {
    for (const columns of [
      [],
      [{ key: "bad key", header: "X", type: "STRING" as const }],
      [
        { key: "a", header: "Name", type: "STRING" as const },
        { key: "name", header: "Other", type: "STRING" as const },
      ],
    ]) {
      const result = await t.request(CreateTemplate, { input: { name: "T", columns } }, owner.token);
      expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("deletes a template from use while its imports keep it", async () => {
    const created = await t.request(
      CreateTemplate,
      { input: { name: "Short-lived", columns: [{ key: "name", header: "Name", type: "STRING", required: true }] } },
      owner.token,
    );
    const id = created.data!.createImportTemplate.id;
    const { id: importId } = await startImport({ ...owner, templateId: id }, Buffer.from("Name\nWidget\n"), "n.csv");
    await waitForImport(t.database.url, importId, isFinal);

    expect((await t.request(DeleteTemplate, { id }, owner.token)).data?.deleteImportTemplate).toBe(true);
    expect(codes(await t.request(GetTemplate, { id }, owner.token))).toEqual(["NOT_FOUND"]);
    const { importTemplates } = (await t.request(Templates, {}, owner.token)).data!;
    expect(importTemplates.edges.map((edge) => edge.node.name)).toEqual(["Orders"]);
    expect(importTemplates.totalCount).toBe(1);
    const imported = await t.request(GetImport, { id: importId }, owner.token);
    expect(imported.data!.import!.template.id).toBe(id);
    expect(imported.data!.import!.records.edges).toHaveLength(1);
    expect(codes(await uploadFile(t, owner.token, id, Buffer.from("Name\nWidget\n"), "n.csv"))).toEqual(["NOT_FOUND"]);
  });
  it("lists templates oldest first, a page at a time, with a count; deleted ones left out", async () => {
    const mine = await newOwner();
    const columns = [{ key: "name", header: "Name", type: "STRING" as const }];
    const ids = [mine.templateId];
    for (const name of ["B", "C", "D", "E"]) {
      const created = await t.request(CreateTemplate, { input: { name, columns } }, mine.token);
      ids.push(created.data!.createImportTemplate.id);
    }
    // three made in the same millisecond: the id orders them, and no page repeats or skips one
    await sql.query("update import_templates set created_at = $1 where id = any($2::uuid[])", [
      "2026-01-01T00:00:00.000Z",
      ids.slice(1, 4),
    ]);
    const expected = [...ids.slice(1, 4).sort(), ids[0], ids[4]];
    expect((await t.request(DeleteTemplate, { id: ids[4]! }, mine.token)).data?.deleteImportTemplate).toBe(true);
    expected.pop();

    const pageAfter = (after: string | null) => t.request(Templates, { first: 2, after }, mine.token);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page++) {
      const result = await pageAfter(after);
      expect(result.errors).toBeUndefined();
      const { edges, pageInfo, totalCount } = result.data!.importTemplates;
      expect(totalCount).toBe(4);
      expect(pageInfo.hasPreviousPage).toBe(after !== null);
      expect(pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
      expect(pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      seen.push(...edges.map((edge) => edge.node.id));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    // the default page holds them all
    const all = await t.request(Templates, {}, mine.token);
    expect(all.data!.importTemplates.edges.map((edge) => edge.node.id)).toEqual(expected);
    expect(all.data!.importTemplates.pageInfo.hasNextPage).toBe(false);

    // a cursor that is not a date, another list's, a made-up one, or a page size out of bounds
    const forged = Buffer.from(JSON.stringify(["ImportTemplate", "yesterday", ids[0]])).toString("base64url");
    const otherList = Buffer.from(JSON.stringify(["Import", "2026-01-01T00:00:00.000Z", ids[0]])).toString("base64url");
    for (const variables of [
      { after: forged },
      { after: otherList },
      { after: "nonsense" },
      { first: 501 },
      { first: -1 },
    ]) {
      expect(codes(await t.request(Templates, variables, mine.token)), JSON.stringify(variables)).toEqual([
        "BAD_USER_INPUT",
      ]);
    }
  });
});

describe("another user", () => {
  let owner: Owner;
  beforeAll(async () => {
    owner = await newOwner();
  });

  it("gets NOT_FOUND for everything of ours, exactly as for a missing id", async () => {
    const imported = await importAndWait(owner, await xlsxFile([["Widget", 3, 9.99]]), "mine.xlsx");
    const other = (await newOwner()).token;
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const id of [imported.id, missing, "not-a-uuid"]) {
      expect(codes(await t.request(GetImport, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await t.request(GetJob, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await t.request(RetryImport, { id }, other))).toEqual(["NOT_FOUND"]);
    }
    for (const id of [owner.templateId, missing]) {
      expect(codes(await t.request(GetTemplate, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await t.request(DeleteTemplate, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await uploadFile(t, other, id, Buffer.from("Name\nx\n"), "x.csv"))).toEqual(["NOT_FOUND"]);
    }
    expect((await t.request(ListImports, {}, other)).data!.imports.edges).toEqual([]);
    const theirs = (await t.request(Templates, {}, other)).data!.importTemplates;
    expect(theirs.edges.map((edge) => edge.node.name)).toEqual(["Orders"]);
    // and the owner still sees it
    expect((await t.request(GetJob, { id: imported.id }, owner.token)).data!.job).toMatchObject({
      __typename: "Import",
      id: imported.id,
      status: "COMPLETED",
    });
  });

  it("lists the owner's imports newest first, filtered by status", async () => {
    const ids: string[] = [];
    for (const [file, name] of [
      [await xlsxFile([["Widget", 3, 9.99]]), "first.xlsx"],
      [await xlsxFile([["", 1, "x"]]), "failing.xlsx"],
      [await xlsxFile([["Gadget", 1, 1]]), "last.xlsx"],
    ] as const) {
      ids.push((await importAndWait(owner, file, name)).id);
    }
    const all = (await t.request(ListImports, { first: 100 }, owner.token)).data!.imports.edges.map((e) => e.node);
    const [first, failing, last] = ids;
    // newest first; any import an earlier test of this block made comes after these
    expect(all.slice(0, 3).map((i) => [i.id, i.status])).toEqual([
      [last, "COMPLETED"],
      [failing, "FAILED"],
      [first, "COMPLETED"],
    ]);
    const failed = (await t.request(ListImports, { status: "FAILED", first: 100 }, owner.token)).data!.imports.edges;
    expect(failed.map((e) => e.node.id)).toEqual(all.filter((i) => i.status === "FAILED").map((i) => i.id));
    expect(failed.map((e) => e.node.id)).toContain(failing);
  });
});

describe("startImport without a worker", () => {
  it("returns PENDING with a queued job before anything is parsed", async () => {
    const api = await startTestApp({ role: "api" });
    try {
      const owner = await newOwner(api);
      const file = await xlsxFile([["Widget", 3, 9.99]]);
      const started = await uploadFile(api, owner.token, owner.templateId, file, "queued.xlsx");
      expect(started.data!.startImport).toMatchObject({ status: "PENDING", phase: "QUEUED" });
      const { id, backgroundJobId } = started.data!.startImport;
      const db = new pg.Client({ connectionString: api.database.url });
      await db.connect();
      try {
        const job = await db.query(
          `select t.identifier, j.payload, j.attempts
           from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
           where j.id = $1`,
          [backgroundJobId],
        );
        expect(job.rows).toEqual([{ identifier: "importSpreadsheet", payload: { importId: id }, attempts: 0 }]);
        const row = await db.query("select rows_processed, processing_started_at from imports where id = $1", [id]);
        expect(row.rows).toEqual([{ rows_processed: 0, processing_started_at: null }]);
      } finally {
        await db.end();
      }
    } finally {
      await api.stop();
    }
  });
});
