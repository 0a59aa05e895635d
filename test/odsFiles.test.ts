import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusBytes, corpusFile, manifest } from "./helpers/corpus.js";
import { importFile, uploadFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import type { ImportOptions } from "./gql/graphql.js";
import { CreateTemplate, SignUp } from "./operations.js";
import { zipOf } from "./spreadsheet/fixtures.js";

const ods = corpusFile("libreoffice.ods");

let t: TestApp;
let sql: pg.Pool;
let token: string;
let templateId: string;

beforeAll(async () => {
  t = await startTestApp();
  sql = new pg.Pool({ connectionString: t.database.url });
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const created = await t.request(CreateTemplate, { input: { name: "Sales", columns: manifest.template } }, token);
  expect(created.errors).toBeUndefined();
  templateId = created.data!.createImportTemplate.id;
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

/** startImport as a real multipart request, with ImportOptions. */
function upload(file: Buffer, fileName: string, options?: ImportOptions) {
  return uploadFile(t, token, templateId, file, fileName, { options });
}

/** Imports a file through the API, with ImportOptions when given. */
function importAndWait(file: Buffer, fileName: string, options?: ImportOptions) {
  return importFile(t, token, templateId, file, fileName, { options });
}

describe("OpenDocument spreadsheets", () => {
  it("imports LibreOffice's .ods, told by its content, from its first visible sheet", async () => {
    // named .bin: the name does not matter
    const imported = await importAndWait(corpusBytes("libreoffice.ods"), "sales.bin", {
      headerRow: 3,
    });
    expect(imported).toMatchObject({
      fileType: "ods",
      status: "COMPLETED",
      sheetName: "Sales",
      sheets: ["Sales", "Notes"],
      headerRow: 3,
      rowsImported: ods.rowsImported,
      rowsFailed: ods.rowsFailed,
    });
    const [first] = imported.records.edges;
    expect(first!.node.rowNumber).toBe(4);
    const { unitPrice, ...rest } = ods.firstRecord;
    expect(first!.node.data).toMatchObject(rest);
    expect(Number(first!.node.data.unitPrice)).toBe(Number(unitPrice));
  });

  it("fails an import whose chosen sheet is not among the visible ones, naming those", async () => {
    const imported = await importAndWait(corpusBytes("libreoffice.ods"), "sales.ods", {
      sheet: "Internal",
    });
    expect(imported).toMatchObject({
      fileType: "ods",
      status: "FAILED",
      errorMessage: "This workbook has no sheet named “Internal”. Its sheets: Sales, Notes.",
    });
  });
});

describe("zips that hold no spreadsheet", () => {
  async function importCount() {
    const { rows } = await sql.query<{ n: number }>("select count(*)::int as n from imports where template_id = $1", [
      templateId,
    ]);
    return rows[0]!.n;
  }

  it.each([
    [
      "a Word document",
      zipOf([
        ["[Content_Types].xml", "<Types/>"],
        ["_rels/.rels", "<Relationships/>"],
        ["word/document.xml", "<w:document/>"],
      ]),
      "report.xlsx",
      "This is a Word document, not a spreadsheet.",
    ],
    [
      "an OpenDocument text",
      zipOf([
        ["mimetype", "application/vnd.oasis.opendocument.text"],
        ["content.xml", "<office:document-content/>"],
      ]),
      "letter.ods",
      "This is an OpenDocument text document (.odt), not a spreadsheet.",
    ],
  ])("refuses %s at upload with UNSUPPORTED_FILE_TYPE, saying what it is", async (_what, file, name, sentence) => {
    const before = await importCount();
    const result = await upload(file, name);
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(["UNSUPPORTED_FILE_TYPE"]);
    expect(result.errors![0]!.message).toBe(
      `${sentence} Upload an Excel workbook (.xlsx or .xls), an OpenDocument spreadsheet (.ods) or a CSV file.`,
    );
    expect(await importCount()).toBe(before);
  });
});
