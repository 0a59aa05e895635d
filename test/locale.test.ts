import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusBytes, corpusFile, manifest } from "./helpers/corpus.js";
import { importFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import type { DateOrder, DecimalSeparator, GetImportQuery, ImportOptions } from "./gql/graphql.js";
import { CreateTemplate, SignUp } from "./operations.js";

// issue 10: a header row below a title, the template's locale, exact decimals; through the API

const corpus = (name: string) => ({ file: corpusBytes(name), firstRecord: corpusFile(name).firstRecord });

type Imported = NonNullable<GetImportQuery["import"]>;

let t: TestApp;
let sql: pg.Pool;
let token: string;

beforeAll(async () => {
  t = await startTestApp();
  sql = new pg.Pool({ connectionString: t.database.url });
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

async function createTemplate(
  locale: { decimalSeparator?: DecimalSeparator; dateOrder?: DateOrder } = {},
  columns = manifest.template,
) {
  const created = await t.request(CreateTemplate, { input: { name: "Sales", columns, ...locale } }, token);
  expect(created.errors).toBeUndefined();
  expect(created.data!.createImportTemplate).toMatchObject({ decimalSeparator: "DOT", dateOrder: "YMD", ...locale });
  return created.data!.createImportTemplate.id;
}

/** Imports a file through the API, with ImportOptions when given. */
function upload(templateId: string, file: Buffer | string, options?: ImportOptions) {
  const bytes = typeof file === "string" ? Buffer.from(file) : file;
  return importFile(t, token, templateId, bytes, "upload", { options });
}

const records = (imported: Imported) => imported.records.edges.map(({ node }) => node);
const rowErrors = (imported: Imported) => imported.errors.edges.map(({ node }) => node);

describe("the header row", () => {
  it("is found below a title: an xlsx with 'Q3 sales report' in A1 and headers in row 3", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Q3");
    sheet.addRow(["Q3 sales report"]);
    sheet.addRow([]);
    sheet.addRow(["Name", "Quantity", "Unit Price"]);
    sheet.addRow(["Widget", 3, 2.5]);
    sheet.addRow(["Gadget", 12, 1234.56]);
    const imported = await upload(await createTemplate(), Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(imported).toMatchObject({ status: "COMPLETED", headerRow: 3, rowsImported: 2, rowsFailed: 0 });
    expect(records(imported)).toEqual([
      { rowNumber: 4, data: expect.objectContaining({ name: "Widget", quantity: 3, unitPrice: 2.5 }) },
      { rowNumber: 5, data: expect.objectContaining({ name: "Gadget", quantity: 12, unitPrice: 1234.56 }) },
    ]);
  });

  it("is found below a title in LibreOffice's CSV, whose '1,234.56' a decimal-dot template reads", async () => {
    const { file, firstRecord } = corpus("libreoffice-utf8.csv");
    const imported = await upload(await createTemplate(), file);
    expect(imported).toMatchObject({ status: "COMPLETED", headerRow: 3, rowsImported: 5, rowsFailed: 0 });
    expect(records(imported).map((record) => record.rowNumber)).toEqual([4, 5, 8, 9, 10]);
    expect(records(imported)[0]!.data).toEqual({ ...firstRecord, unitPrice: 2.5 });
    expect(records(imported)[1]!.data.unitPrice).toBe(1234.56);
  });

  it("can be forced with options.headerRow, the rows above it left out", async () => {
    const csv = "Name,Quantity\nOld,1\nName,Quantity,Unit Price\nNew,2,2.5\n";
    const templateId = await createTemplate();
    // by default row 1 has the required columns, so it is the header and row 3 is data (a bad one)
    expect(await upload(templateId, csv)).toMatchObject({ headerRow: 1, rowsImported: 2, rowsFailed: 1 });
    const forced = await upload(templateId, csv, { headerRow: 3 });
    expect(forced).toMatchObject({ status: "COMPLETED", headerRow: 3, rowsImported: 1, rowsFailed: 0 });
    expect(records(forced)).toEqual([{ rowNumber: 4, data: expect.objectContaining({ name: "New", unitPrice: 2.5 }) }]);
  });

  it("fails with the missing-columns message when the forced row lacks them, naming a row other than 1", async () => {
    const imported = await upload(await createTemplate(), "Name,Unit Price\nName,Quantity\nWidget,3\n", {
      headerRow: 1,
    });
    expect(imported).toMatchObject({
      status: "FAILED",
      errorMessage: "Missing required column(s): Quantity. The file's headers are: Name, Unit Price.",
      rowsImported: 0,
    });
    const second = await upload(await createTemplate(), "Title\nName,Unit Price\nWidget,2.5\n", { headerRow: 2 });
    expect(second).toMatchObject({
      status: "FAILED",
      errorMessage:
        "Missing required column(s) in the header row (row 2): Quantity. The file's headers are: Name, Unit Price.",
    });
  });
});

describe("the template's locale", () => {
  it("imports every row of a European CSV (';', '2,5', '01.07.2024', WAHR) with a COMMA/DMY template", async () => {
    const { file, firstRecord } = corpus("libreoffice-semicolon-de.csv");
    const imported = await upload(await createTemplate({ decimalSeparator: "COMMA", dateOrder: "DMY" }), file);
    expect(imported).toMatchObject({ status: "COMPLETED", headerRow: 3, rowsImported: 5, rowsFailed: 0 });
    expect(records(imported).map(({ rowNumber, data }) => [rowNumber, data.unitPrice, data.shipDate])).toEqual([
      [4, 2.5, "2024-07-01"],
      [5, 1234.56, "2024-08-15"],
      [8, 0.1, "2024-09-30"],
      [9, -7.25, "2024-12-31"],
      [10, null, null],
    ]);
    expect(records(imported)[0]!.data).toEqual({ ...firstRecord, unitPrice: 2.5 });
  });

  it("rejects those cells with a decimal-dot template, saying what it expected", async () => {
    const { file } = corpus("libreoffice-semicolon-de.csv");
    const imported = await upload(await createTemplate(), file);
    // row 10 has no number or date to misread
    expect(imported).toMatchObject({ status: "COMPLETED", rowsImported: 1, rowsFailed: 4 });
    expect(rowErrors(imported).filter((error) => error.rowNumber === 4)).toEqual([
      {
        rowNumber: 4,
        column: "Unit Price",
        message:
          'Expected a number, got "2,5". This template writes numbers with a decimal point, e.g. 1234.5 or 1,234.5.',
        value: "2,5",
      },
      {
        rowNumber: 4,
        column: "Ship Date",
        message: 'Expected a date like 2024-05-31 (YYYY-MM-DD), got "01.07.2024".',
        value: "01.07.2024",
      },
      {
        rowNumber: 4,
        column: "Ordered At",
        message: 'Expected a date and time like 2024-05-31T14:30:00Z (or just a date), got "01.07.2024 09:30:00".',
        value: "01.07.2024 09:30:00",
      },
    ]);
  });

  it("reads US dates with an MDY template and refuses a day-first one", async () => {
    const csv = "Name,Quantity,Ship Date,Ordered At\nA,1,5/31/2024,5/31/2024 2:30 PM\nB,1,31/05/2024,\n";
    const imported = await upload(await createTemplate({ dateOrder: "MDY" }), csv);
    expect(imported).toMatchObject({ status: "COMPLETED", rowsImported: 1, rowsFailed: 1 });
    expect(records(imported)[0]!.data).toMatchObject({ shipDate: "2024-05-31", orderedAt: "2024-05-31T14:30:00.000Z" });
    expect(rowErrors(imported)).toEqual([
      {
        rowNumber: 3,
        column: "Ship Date",
        message: 'Expected a date like 05/31/2024 (month, day, year) or 2024-05-31, got "31/05/2024".',
        value: "31/05/2024",
      },
    ]);
  });
});

describe("exact decimals", () => {
  it("never stores 12345678901234567.891 changed: the row is refused, and what a double holds is kept as written", async () => {
    const csv = "Name,Quantity,Unit Price\nBig,1,12345678901234567.891\nTiny,1,0.30000000000000004\nSmall,1,0.1\n";
    const imported = await upload(await createTemplate(), csv);
    expect(imported).toMatchObject({ status: "COMPLETED", rowsImported: 2, rowsFailed: 1 });
    expect(rowErrors(imported)).toEqual([
      {
        rowNumber: 2,
        column: "Unit Price",
        message: 'The number "12345678901234567.891" has more significant digits than can be stored exactly (15).',
        value: "12345678901234567.891",
      },
    ]);
    expect(records(imported).map(({ data }) => data.unitPrice)).toEqual([0.30000000000000004, 0.1]);
    // the stored jsonb holds the digits written, not a rounded neighbour
    const { rows } = await sql.query<{ price: string }>(
      "select data->>'unitPrice' as price from records where import_id = $1 order by row_number",
      [imported.id],
    );
    expect(rows.map((row) => row.price)).toEqual(["0.30000000000000004", "0.1"]);
  });

  it("refuses it in a decimal-comma template too", async () => {
    const csv = "Name;Quantity;Unit Price\nBig;1;12.345.678.901.234.567,891\n";
    const imported = await upload(await createTemplate({ decimalSeparator: "COMMA" }), csv);
    expect(imported).toMatchObject({ status: "FAILED", rowsImported: 0, rowsFailed: 1 });
    expect(rowErrors(imported)[0]!.message).toBe(
      'The number "12.345.678.901.234.567,891" has more significant digits than can be stored exactly (15).',
    );
  });
});
