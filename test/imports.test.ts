import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFinal, orderColumns, uploadFile, waitForImport, xlsFile, xlsxFile } from "./helpers/imports.js";
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
let token: string;
let templateId: string;

beforeAll(async () => {
  // two attempts: enough to see a retry succeed, and a last attempt fail, without long backoffs
  t = await startTestApp({ env: { MAX_ATTEMPTS: "2", MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  sql = new pg.Pool({ connectionString: t.database.url });
  token = (await t.request(SignUp, { email: "importer@example.com", password: "long enough" })).data!.signUp.token;
  const created = await t.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  expect(created.errors).toBeUndefined();
  templateId = created.data!.createImportTemplate.id;
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.map((e) => e.extensions?.code);

async function importAndWait(file: Buffer, name: string) {
  const started = await uploadFile(t, token, templateId, file, name);
  expect(started.errors).toBeUndefined();
  const id = started.data!.startImport.id;
  await waitForImport(t.database.url, id, isFinal);
  const result = await t.request(GetImport, { id, first: 100 }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.import!;
}

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
  it("imports an xlsx with typed values, then deletes the stored file", async () => {
    const file = await xlsxFile([
      ["Widget", 3, 9.99, true, shipDate, "Buyer@Example.com"],
      ["Gadget", "10", "0.5", "no", null, null],
    ]);
    const imported = await importAndWait(file, "orders.xlsx");
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
      template: { id: templateId },
    });
    expect(Date.parse(imported.processingCompletedAt!)).toBeGreaterThanOrEqual(
      Date.parse(imported.processingStartedAt!),
    );
    expect(imported.records.edges.map((e) => e.node)).toEqual(expectedRecords);
    expect(imported.errors.edges).toEqual([]);
    const stored = await sql.query("select file_id from imports where id = $1", [imported.id]);
    expect(stored.rows[0].file_id).toBeNull();
  });

  it("imports a legacy .xls", async () => {
    const file = xlsFile([
      ["Widget", 3, 9.99, true, shipDate, "Buyer@Example.com"],
      ["Gadget", "10", "0.5", "no", null, null],
    ]);
    const imported = await importAndWait(file, "orders.xls");
    expect(imported.status).toBe("COMPLETED");
    expect(imported.records.edges.map((e) => e.node)).toEqual(expectedRecords);
  });

  it("imports a csv (BOM, semicolons, quotes), whatever its name says", async () => {
    const csv =
      "\uFEFFName;Quantity;Unit Price;Active;Ship Date;Contact Email\n" +
      'Widget;3;9.99;TRUE;2024-01-15;"Buyer@Example.com"\n' +
      '"Gadget";10;0.5;no;;\n';
    const imported = await importAndWait(Buffer.from(csv), "orders.xlsx.txt");
    expect(imported.status).toBe("COMPLETED");
    expect(imported.records.edges.map((e) => e.node)).toEqual(expectedRecords);
  });

  it("pages through records with cursors", async () => {
    const rows = Array.from({ length: 5 }, (_, i) => [`Item ${i}`, i, 1.5, true, null, null]);
    const imported = await importAndWait(await xlsxFile(rows), "five.xlsx");
    const page1 = (await t.request(GetImport, { id: imported.id, first: 2 }, token)).data!.import!.records;
    expect(page1.edges.map((e) => e.node.rowNumber)).toEqual([2, 3]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await t.request(GetImport, { id: imported.id, first: 10, after: page1.pageInfo.endCursor }, token))
      .data!.import!.records;
    expect(page2.edges.map((e) => e.node.rowNumber)).toEqual([4, 5, 6]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    // a records cursor means nothing to the errors connection
    const misused = await t.request(GetImport, { id: imported.id, errorsAfter: page1.pageInfo.endCursor }, token);
    expect(codes(misused)).toEqual(["BAD_USER_INPUT"]);
  });
});

describe("row errors", () => {
  it("keeps valid rows, rejects invalid ones with Excel's row numbers, skipping empty rows", async () => {
    const file = await xlsxFile([
      ["Widget", 3, 9.99, true, shipDate, "a@example.com"], // row 2
      [], // row 3: empty, skipped
      ["", 2, "abc", "maybe", null, "not-an-email"], // row 4: four problems
      ["Gizmo", 1.5, 1, null, null, null], // row 5: not a whole number
      ["Thing", 1, 2, null, null, null], // row 6
    ]);
    const imported = await importAndWait(file, "mixed.xlsx");
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
  it("fails at once, for good, when required columns are missing", async () => {
    const file = await xlsxFile([["Widget", 3]], ["name", "QUANTITY", "Notes"]);
    const imported = await importAndWait(file, "missing.xlsx");
    expect(imported).toMatchObject({
      status: "FAILED",
      errorMessage: "Missing required column(s): Unit Price",
      attempts: 1,
      backgroundJobId: null,
    });
    expect(imported.processingCompletedAt).not.toBeNull();
  });

  it("fails a corrupt workbook with a message a person understands", async () => {
    const good = await xlsxFile([["Widget", 3, 9.99]]);
    const corrupt = Buffer.concat([good.subarray(0, 200), Buffer.from("xl/workbook.xml"), Buffer.alloc(300, 7)]);
    const imported = await importAndWait(corrupt, "corrupt.xlsx");
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
    const before = await counts();
    const result = await uploadFile(t, token, templateId, file, name);
    expect(codes(result)).toEqual(["UNSUPPORTED_FILE_TYPE"]);
    expect(result.errors![0]!.message).toMatch(/not supported|not an Excel workbook/);
    expect(await counts()).toEqual(before);
  });

  it("refuses a file over MAX_UPLOAD_BYTES with FILE_TOO_LARGE, keeping nothing of it", async () => {
    const before = await counts();
    const big = Buffer.from("Name,Quantity,Unit Price\n" + "Widget,1,2\n".repeat(MAX_UPLOAD_BYTES / 8));
    const result = await uploadFile(t, token, templateId, big, "big.csv");
    expect(codes(result)).toEqual(["FILE_TOO_LARGE"]);
    expect(await counts()).toEqual(before);
  });

  it("requires the CSRF header on multipart requests", async () => {
    const result = await uploadFile(t, token, templateId, Buffer.from("Name\nx\n"), "x.csv", {});
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.message).toMatch(/CSRF/);
  });
});

describe("retries", () => {
  it("retries a transient failure with backoff, showing PENDING with the attempt, then succeeds", async () => {
    await sql.query("alter table records rename to records_away");
    let id: string;
    try {
      const started = await uploadFile(t, token, templateId, Buffer.from("Name,Unit Price\nWidget,2\n"), "t.csv");
      id = started.data!.startImport.id;
      const waiting = await waitForImport(t.database.url, id, (row) => row.attempts === 1 && row.status === "PENDING");
      expect(waiting.error_message).toMatch(/^Attempt 1 of 2 failed \(.*records.*\); it will be retried\.$/);
      expect(waiting.background_job_id).not.toBeNull();
    } finally {
      await sql.query("alter table records_away rename to records");
    }
    const done = await waitForImport(t.database.url, id, isFinal);
    expect(done).toMatchObject({ status: "COMPLETED", attempts: 2, rows_imported: 1, error_message: null });
  });

  it("fails after the last attempt with the reason, and retryImport runs it again", async () => {
    await sql.query("alter table records rename to records_away");
    let id: string;
    try {
      const started = await uploadFile(t, token, templateId, Buffer.from("Name,Unit Price\nWidget,2\n"), "r.csv");
      id = started.data!.startImport.id;
      const failed = await waitForImport(t.database.url, id, isFinal);
      expect(failed.status).toBe("FAILED");
      expect(failed.attempts).toBe(2);
      expect(failed.error_message).toMatch(/^Import failed after 2 attempts: .*records/);
      expect(failed.file_id).not.toBeNull(); // kept for retryImport
    } finally {
      await sql.query("alter table records_away rename to records");
    }

    const retried = await t.request(RetryImport, { id }, token);
    expect(retried.errors).toBeUndefined();
    // the answer is the import as it is now: the worker may already have started on it
    expect(retried.data!.retryImport.status).not.toBe("FAILED");
    expect(retried.data!.retryImport.errorMessage).toBeNull();
    const done = await waitForImport(t.database.url, id, isFinal);
    // attempts start again at 1: a new job ran it
    expect(done).toMatchObject({ status: "COMPLETED", rows_imported: 1, attempts: 1 });

    const again = await t.request(RetryImport, { id }, token);
    expect(codes(again)).toEqual(["BAD_USER_INPUT"]);
  });

  it("running the job again after it finished changes nothing", async () => {
    const imported = await importAndWait(await xlsxFile([["Widget", 3, 9.99]]), "twice.xlsx");
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
  it("rejects templates whose columns would be ambiguous or invalid", async () => {
    for (const columns of [
      [],
      [{ key: "bad key", header: "X", type: "STRING" as const }],
      [
        { key: "a", header: "Name", type: "STRING" as const },
        { key: "name", header: "Other", type: "STRING" as const },
      ],
    ]) {
      const result = await t.request(CreateTemplate, { input: { name: "T", columns } }, token);
      expect(codes(result)).toEqual(["BAD_USER_INPUT"]);
    }
  });

  it("deletes a template from use while its imports keep it", async () => {
    const created = await t.request(
      CreateTemplate,
      { input: { name: "Short-lived", columns: [{ key: "name", header: "Name", type: "STRING", required: true }] } },
      token,
    );
    const id = created.data!.createImportTemplate.id;
    const started = await uploadFile(t, token, id, Buffer.from("Name\nWidget\n"), "n.csv");
    const importId = started.data!.startImport.id;
    await waitForImport(t.database.url, importId, isFinal);

    expect((await t.request(DeleteTemplate, { id }, token)).data?.deleteImportTemplate).toBe(true);
    expect(codes(await t.request(GetTemplate, { id }, token))).toEqual(["NOT_FOUND"]);
    const names = (await t.request(Templates, {}, token)).data!.importTemplates.map((tpl) => tpl.name);
    expect(names).not.toContain("Short-lived");
    const imported = await t.request(GetImport, { id: importId }, token);
    expect(imported.data!.import!.template.id).toBe(id);
    expect(imported.data!.import!.records.edges).toHaveLength(1);
    expect(codes(await uploadFile(t, token, id, Buffer.from("Name\nWidget\n"), "n.csv"))).toEqual(["NOT_FOUND"]);
  });
});

describe("another user", () => {
  it("gets NOT_FOUND for everything of ours, exactly as for a missing id", async () => {
    const imported = await importAndWait(await xlsxFile([["Widget", 3, 9.99]]), "mine.xlsx");
    const other = (await t.request(SignUp, { email: "other@example.com", password: "long enough" })).data!.signUp.token;
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const id of [imported.id, missing, "not-a-uuid"]) {
      expect(codes(await t.request(GetImport, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await t.request(GetJob, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await t.request(RetryImport, { id }, other))).toEqual(["NOT_FOUND"]);
    }
    for (const id of [templateId, missing]) {
      expect(codes(await t.request(GetTemplate, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await t.request(DeleteTemplate, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await uploadFile(t, other, id, Buffer.from("Name\nx\n"), "x.csv"))).toEqual(["NOT_FOUND"]);
    }
    expect((await t.request(ListImports, {}, other)).data!.imports.edges).toEqual([]);
    expect((await t.request(Templates, {}, other)).data!.importTemplates).toEqual([]);
    // and the owner still sees it
    expect((await t.request(GetJob, { id: imported.id }, token)).data!.job).toMatchObject({
      __typename: "Import",
      id: imported.id,
      status: "COMPLETED",
    });
  });

  it("lists the owner's imports newest first, filtered by status", async () => {
    const all = (await t.request(ListImports, { first: 100 }, token)).data!.imports.edges.map((e) => e.node);
    expect(all.length).toBeGreaterThan(3);
    const ordered = await sql.query(
      "select id from imports where user_id = (select id from users where email = 'importer@example.com') order by created_at desc, id desc",
    );
    expect(all.map((i) => i.id)).toEqual(ordered.rows.map((r) => r.id));
    const failed = (await t.request(ListImports, { status: "FAILED", first: 100 }, token)).data!.imports.edges;
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((e) => e.node.status === "FAILED")).toBe(true);
  });
});

describe("startImport without a worker", () => {
  it("returns PENDING with a queued job before anything is parsed", async () => {
    const api = await startTestApp({ role: "api" });
    try {
      const owner = (await api.request(SignUp, { email: "api@example.com", password: "long enough" })).data!.signUp
        .token;
      const template = await api.request(CreateTemplate, { input: { name: "O", columns: orderColumns } }, owner);
      const started = await uploadFile(
        api,
        owner,
        template.data!.createImportTemplate.id,
        await xlsxFile([["Widget", 3, 9.99]]),
        "queued.xlsx",
      );
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

async function counts() {
  const { rows } = await sql.query(
    "select (select count(*) from imports)::int as imports, (select count(*) from stored_files)::int as files, (select count(*) from stored_file_chunks)::int as chunks",
  );
  return rows[0];
}
