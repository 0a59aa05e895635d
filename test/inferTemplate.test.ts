import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { print } from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./gql/index.js";
import type { InferTemplateMutation, InferTemplateMutationVariables } from "./gql/graphql.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, SignUp } from "./operations.js";
import { zipOf } from "./spreadsheet/fixtures.js";

const InferTemplate = graphql(`
  mutation InferTemplate($file: Upload!, $sheet: String, $headerRow: Int) {
    inferImportTemplate(file: $file, sheet: $sheet, headerRow: $headerRow) {
      sheetName
      sheets
      headerRow
      columns {
        key
        header
        type
        required
        aliases
      }
      sampleRows
    }
  }
`);

const MAX_UPLOAD_BYTES = 1024 * 1024;

let t: TestApp;
let sql: pg.Pool;
let token: string;

beforeAll(async () => {
  t = await startTestApp({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  sql = new pg.Pool({ connectionString: t.database.url });
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

const fixture = (name: string) => readFileSync(new URL(`fixtures/infer/${name}`, import.meta.url));

type Variables = Omit<InferTemplateMutationVariables, "file">;

/** Sends inferImportTemplate as a real multipart request (operations, map, then the file). */
async function infer(file: Buffer, fileName: string, variables: Variables = {}, bearer: string | null = token) {
  const body = new FormData();
  body.append("operations", JSON.stringify({ query: print(InferTemplate), variables: { ...variables, file: null } }));
  body.append("map", JSON.stringify({ 0: ["variables.file"] }));
  body.append("0", new Blob([new Uint8Array(file)]), fileName);
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "x-graphql-yoga-csrf": "1", ...(bearer && { authorization: `Bearer ${bearer}` }) },
    body,
  });
  const result = (await response.json()) as {
    data?: InferTemplateMutation | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  return { status: response.status, ...result };
}

async function inferred(file: Buffer, fileName: string, variables: Variables = {}) {
  const result = await infer(file, fileName, variables);
  expect(result.errors).toBeUndefined();
  return result.data!.inferImportTemplate;
}

const refusal = (result: Awaited<ReturnType<typeof infer>>) =>
  result.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }));

/** What every copy of the "Orders" sheet proposes: judged on its first 1,000 rows, not the 5 after. */
const ORDER_COLUMNS = [
  { key: "orderId", header: "Order ID", type: "INTEGER", required: true },
  { key: "unitPriceUsd", header: "Unit Price (USD)", type: "DECIMAL", required: true },
  { key: "paid", header: "Paid", type: "BOOLEAN", required: true },
  { key: "shipDate", header: "Ship Date", type: "DATE", required: false },
  { key: "orderedAt", header: "Ordered At", type: "DATETIME", required: true },
  { key: "contactEMail", header: "Contact E-mail", type: "EMAIL", required: false },
  { key: "notes", header: "Notes", type: "STRING", required: true },
  { key: "customer", header: "Customer", type: "STRING", required: true },
  { key: "gift", header: "Gift", type: "INTEGER", required: true },
  { key: "comment", header: "Comment", type: "STRING", required: false },
  { key: "notes2", header: "Notes 2", type: "STRING", required: false },
].map((column) => ({ ...column, aliases: [] }));

/** Data rows 1, 4 and 10 as the proposed template stores them. */
const SAMPLES = {
  0: {
    orderId: 1001,
    unitPriceUsd: 1.25,
    paid: true,
    shipDate: "2024-01-02",
    orderedAt: "2024-01-01T09:00:00.000Z",
    contactEMail: "buyer1@example.com",
    notes: "note 1",
    customer: "Customer 1",
    gift: 1,
    comment: null,
    notes2: "again",
  },
  3: {
    orderId: 1004,
    unitPriceUsd: 5,
    paid: true,
    shipDate: "2024-01-05",
    orderedAt: "2024-01-01T12:00:00.000Z",
    contactEMail: "buyer4@example.com",
    notes: "4",
    customer: "Customer 4",
    gift: 0,
    comment: null,
    notes2: null,
  },
  9: {
    orderId: 1010,
    unitPriceUsd: 12.5,
    paid: true,
    shipDate: null,
    orderedAt: "2024-01-01T18:00:00.000Z",
    contactEMail: "buyer10@example.com",
    notes: "note 10",
    customer: "Customer 10",
    gift: 0,
    comment: null,
    notes2: null,
  },
};

describe("inferImportTemplate", () => {
  it.each([
    ["orders-openpyxl.xlsx", "Orders", ["Orders", "Notes"]],
    ["orders-libreoffice.xls", "Orders", ["Orders", "Notes"]],
    ["orders-libreoffice.csv", null, null],
  ])("proposes a column of every type for %s", async (name, sheetName, sheets) => {
    const result = await inferred(fixture(name), name);
    expect(result).toMatchObject({ sheetName, sheets, headerRow: 1, columns: ORDER_COLUMNS });
    expect(result.sampleRows).toHaveLength(10);
    expect(result.sampleRows).toMatchObject(SAMPLES);
  });

  it("takes LibreOffice's TRUE and FALSE in an .ods for the numbers they are stored as", async () => {
    // converting a workbook, LibreOffice writes booleans as =TRUE() formulas of type float, value 1
    const result = await inferred(fixture("orders-libreoffice.ods"), "orders.ods");
    expect(result).toMatchObject({ sheetName: "Orders", sheets: ["Orders", "Notes"], headerRow: 1 });
    expect(result.columns).toEqual(
      ORDER_COLUMNS.map((column) => (column.key === "paid" ? { ...column, type: "INTEGER" } : column)),
    );
    expect(result.sampleRows).toMatchObject({
      0: { ...SAMPLES[0], paid: 1 },
      3: { ...SAMPLES[3], paid: 1 },
      9: { ...SAMPLES[9], paid: 1 },
    });
    expect(result.sampleRows.slice(0, 3).map((row) => row.paid)).toEqual([1, 1, 0]);
  });

  it("passes over a title above the headers, as LibreOffice and Excel reports have", async () => {
    const file = readFileSync(new URL("fixtures/real/libreoffice-utf8.csv", import.meta.url));
    const result = await inferred(file, "report.csv");
    expect(result.headerRow).toBe(3);
    expect(result.columns.map((c) => c.header)).toEqual([
      "Name",
      "Quantity",
      "Unit Price",
      "Active",
      "Ship Date",
      "Ordered At",
      "Contact Email",
      "SKU",
    ]);
  });

  it("takes a header that fills fewer cells than the data rows below it", async () => {
    // LibreOffice writes the header row's empty cells; the first data row fills all 7
    const rows = Array.from({ length: 5 }, (_, i) => `Ada ${i},ada${i}@example.com,${i},x,y,z,w`);
    const result = await inferred(Buffer.from(["Name,Email,,,,,", ...rows].join("\n")), "people.csv");
    expect(result.headerRow).toBe(1);
    expect(result.columns.map((c) => [c.header, c.type])).toEqual([
      ["Name", "STRING"],
      ["Email", "EMAIL"],
    ]);
  });

  it("keeps zero-padded codes as text, so importing them keeps their zeros", async () => {
    const file = Buffer.from("Code,Branch,Qty\n007,-012,1\n010,0042,20\n123,5,0\n");
    const result = await inferred(file, "codes.csv");
    expect(result.columns.map((c) => [c.key, c.type])).toEqual([
      ["code", "STRING"],
      ["branch", "STRING"],
      ["qty", "INTEGER"],
    ]);
    expect(result.sampleRows[0]).toEqual({ code: "007", branch: "-012", qty: 1 });
  });

  it("reads the sheet and header row it is told", async () => {
    const file = fixture("orders-openpyxl.xlsx");
    const titled = await inferred(file, "orders.xlsx", { sheet: "notes" });
    expect(titled).toMatchObject({ sheetName: "Notes", headerRow: 3 });
    // told row 1, it takes the title for the header
    const told = await inferred(file, "orders.xlsx", { sheet: "Notes", headerRow: 1 });
    expect(told.columns).toEqual([
      { key: "stockCountOctober", header: "Stock count, October", type: "STRING", required: true, aliases: [] },
    ]);

    const result = await inferred(file, "orders.xlsx", { sheet: "Notes", headerRow: 3 });
    expect(result).toEqual({
      sheetName: "Notes",
      sheets: ["Orders", "Notes"],
      headerRow: 3,
      columns: [
        { key: "sku", header: "SKU", type: "STRING", required: true, aliases: [] },
        { key: "count", header: "Count", type: "INTEGER", required: true, aliases: [] },
      ],
      sampleRows: [
        { sku: "A-1", count: 4 },
        { sku: "B-2", count: 0 },
      ],
    });
  });

  describe("a proposal createImportTemplate accepts as it is", () => {
    /** Saves `columns` as a template, the way a client passes a proposal on. */
    const create = (columns: InferTemplateMutation["inferImportTemplate"]["columns"]) =>
      t.request(CreateTemplate, { input: { name: `proposal ${randomUUID()}`, columns } }, token);

    it("of a sheet 16,384 columns wide with one word for every header: its first 200 columns", async () => {
      // 800 bytes: LibreOffice's repeat count stands for 16,384 header cells of the same word
      const repeated = (cell: string) =>
        `<table:table-row><table:table-cell table:number-columns-repeated="16384" ${cell}</table:table-cell></table:table-row>`;
      const file = zipOf([
        ["mimetype", "application/vnd.oasis.opendocument.spreadsheet"],
        [
          "content.xml",
          '<?xml version="1.0" encoding="UTF-8"?>' +
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">' +
            '<office:body><office:spreadsheet><table:table table:name="Wide">' +
            repeated('office:value-type="string"><text:p>a</text:p>') +
            repeated('office:value-type="float" office:value="7"><text:p>7</text:p>').repeat(3) +
            "</table:table></office:spreadsheet></office:body></office:document-content>",
        ],
        ["META-INF/manifest.xml", "<manifest/>"],
      ]);
      const started = Date.now();
      const result = await inferred(file, "wide.ods");
      // the time a person waits; the server answers no one else meanwhile
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(result.columns).toHaveLength(200);
      expect(result.columns.slice(0, 3)).toEqual([
        { key: "a", header: "a", type: "INTEGER", required: true, aliases: [] },
        { key: "a2", header: "a 2", type: "INTEGER", required: true, aliases: [] },
        { key: "a3", header: "a 3", type: "INTEGER", required: true, aliases: [] },
      ]);
      expect(result.columns.at(-1)).toMatchObject({ key: "a200", header: "a 200" });
      expect(Object.keys(result.sampleRows[0]!)).toHaveLength(200);

      const created = await create(result.columns);
      expect(created.errors).toBeUndefined();
      expect(created.data!.createImportTemplate.columns).toHaveLength(200);
    }, 10_000);

    it("of a csv with headers over 200 characters: cut to 200", async () => {
      const long = `Total ${"very ".repeat(60)}long`;
      // 199 characters and an emoji, which is two UTF-16 units: cut before it, not through it
      const emoji = `${"x".repeat(199)}😀`;
      const headers = [long, long, emoji, "Name"];
      const file = Buffer.from(`${headers.map((h) => `"${h}"`).join(",")}\n1,2,3,Ada\n`);
      const result = await inferred(file, "long.csv");
      const cut = long.slice(0, 200).trimEnd();
      expect(result.columns.map((c) => c.header)).toEqual([
        cut,
        `${long.slice(0, 198).trimEnd()} 2`,
        "x".repeat(199),
        "Name",
      ]);
      expect(result.columns.map((c) => c.key.length)).toEqual([63, 63, 63, 4]);
      expect(result.columns[1]!.key).toMatch(/2$/);
      for (const column of result.columns) expect(column.header.length).toBeLessThanOrEqual(200);

      const created = await create(result.columns);
      expect(created.errors).toBeUndefined();
      expect(created.data!.createImportTemplate.columns.map((c) => c.header)).toEqual(
        result.columns.map((c) => c.header),
      );
    });
  });

  it("saves nothing", async () => {
    const count = async () =>
      (
        await sql.query<{ n: string }>(
          `select (select count(*) from stored_files) + (select count(*) from import_templates)
             + (select count(*) from imports) as n`,
        )
      ).rows[0]!.n;
    const before = await count();
    await inferred(fixture("orders-libreoffice.csv"), "orders.csv");
    expect(await count()).toBe(before);
  });

  it.each<[string, () => Buffer, Variables, { code: string; message: string | RegExp }]>([
    ["an empty file", () => Buffer.alloc(0), {}, { code: "BAD_USER_INPUT", message: "The file is empty." }],
    [
      "a text file of blank lines",
      () => Buffer.from("\n , ,\n\n"),
      {},
      { code: "BAD_USER_INPUT", message: "The file has no header row: it contains only empty lines." },
    ],
    [
      "an image",
      () => Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), Buffer.alloc(9000, 7)]),
      {},
      { code: "UNSUPPORTED_FILE_TYPE", message: /^This file type is not supported\./ },
    ],
    [
      "a workbook cut short before its workbook part, as startImport does",
      () => fixture("orders-openpyxl.xlsx").subarray(0, 20_000),
      {},
      { code: "UNSUPPORTED_FILE_TYPE", message: /^This is a ZIP archive with no spreadsheet inside\./ },
    ],
    [
      "a workbook with a damaged sheet",
      () => Buffer.from(fixture("orders-openpyxl.xlsx")).fill(0, 15_000, 16_000),
      {},
      { code: "BAD_USER_INPUT", message: /^This file is not a valid Excel workbook: it is damaged or incomplete\./ },
    ],
    [
      "a damaged .xls",
      () => fixture("orders-libreoffice.xls").subarray(0, 4096),
      {},
      { code: "BAD_USER_INPUT", message: /damaged/ },
    ],
    [
      "a sheet the workbook lacks",
      () => fixture("orders-libreoffice.ods"),
      { sheet: "Stock" },
      { code: "BAD_USER_INPUT", message: "This workbook has no sheet named “Stock”. Its sheets: Orders, Notes." },
    ],
    [
      "a blank header row",
      () => fixture("orders-openpyxl.xlsx"),
      { sheet: "Notes", headerRow: 2 },
      {
        code: "BAD_USER_INPUT",
        message: "Row 2, chosen as the header row, is empty. Choose the row that holds the column titles.",
      },
    ],
    [
      "a header row past the end",
      () => fixture("orders-libreoffice.csv"),
      { headerRow: 5000 },
      { code: "BAD_USER_INPUT", message: /^Row 5000, chosen as the header row, is empty\./ },
    ],
    [
      "header row 0",
      () => fixture("orders-libreoffice.csv"),
      { headerRow: 0 },
      { code: "BAD_USER_INPUT", message: "headerRow must be a row number from 1 to 1048576." },
    ],
    [
      "a file over the size limit",
      // each row 2 KiB, so the limit is passed well before row 1,000
      () => Buffer.from(`Name\n${`${"x".repeat(2047)}\n`.repeat(1000)}`),
      {},
      { code: "FILE_TOO_LARGE", message: "The file is larger than the 1 MiB limit." },
    ],
  ])("refuses %s with a sentence", async (_name, file, variables, expected) => {
    const result = await infer(file(), "upload", variables);
    expect(result.data).toBeNull();
    expect(refusal(result)).toEqual([{ code: expected.code, message: expect.stringMatching(expected.message) }]);
  });

  it("is for signed-in users only", async () => {
    const result = await infer(fixture("orders-libreoffice.csv"), "orders.csv", {}, null);
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
  });
});
