import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFinal, waitForImport } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, SignUp } from "./operations.js";
import { zipOf } from "./spreadsheet/fixtures.js";

/** The corpus's template and what LibreOffice's .ods holds (test/fixtures/real/manifest.json). */
const manifest = JSON.parse(readFileSync("test/fixtures/real/manifest.json", "utf8")) as {
  template: Array<{ key: string; header: string; type: string; required: boolean }>;
  files: Array<{ name: string; firstRecord: Record<string, unknown>; rowsImported: number; rowsFailed: number }>;
};
const ods = manifest.files.find((file) => file.name === "libreoffice.ods")!;

interface ImportResult {
  import: {
    status: string;
    errorMessage: string | null;
    sheetName: string | null;
    sheets: string[] | null;
    headerRow: number | null;
    rowsImported: number | null;
    rowsFailed: number | null;
    records: { edges: Array<{ node: { rowNumber: number; data: Record<string, unknown> } }> };
  } | null;
}

const GetOdsImport: TypedDocumentNode<ImportResult, { id: string }> = parse(`
  query GetOdsImport($id: ID!) {
    import(id: $id) {
      status
      errorMessage
      sheetName
      sheets
      headerRow
      rowsImported
      rowsFailed
      records(first: 1) { edges { node { rowNumber data } } }
    }
  }
`);

const START_IMPORT = `
  mutation ($templateId: ID!, $file: Upload!, $options: ImportOptions) {
    startImport(templateId: $templateId, file: $file, options: $options) { id }
  }
`;

let t: TestApp;
let sql: pg.Pool;
let token: string;
let templateId: string;

beforeAll(async () => {
  t = await startTestApp();
  sql = new pg.Pool({ connectionString: t.database.url });
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const columns = manifest.template.map((column) => ({ ...column, type: column.type as "STRING" }));
  const created = await t.request(CreateTemplate, { input: { name: "Sales", columns } }, token);
  expect(created.errors).toBeUndefined();
  templateId = created.data!.createImportTemplate.id;
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

/** startImport as a real multipart request, with ImportOptions. */
async function upload(file: Buffer, fileName: string, options?: { sheet?: string; headerRow?: number }) {
  const body = new FormData();
  body.append("operations", JSON.stringify({ query: START_IMPORT, variables: { templateId, file: null, options } }));
  body.append("map", JSON.stringify({ 0: ["variables.file"] }));
  body.append("0", new Blob([new Uint8Array(file)]), fileName);
  const response = await fetch(t.url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "x-graphql-yoga-csrf": "1" },
    body,
  });
  return (await response.json()) as {
    data?: { startImport: { id: string } } | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

async function importAndWait(file: Buffer, fileName: string, options?: { sheet?: string; headerRow?: number }) {
  const started = await upload(file, fileName, options);
  expect(started.errors).toBeUndefined();
  const { id } = started.data!.startImport;
  await waitForImport(t.database.url, id, isFinal);
  const { rows } = await sql.query<{ file_type: string }>("select file_type from imports where id = $1", [id]);
  const result = await t.request(GetOdsImport, { id }, token);
  expect(result.errors).toBeUndefined();
  return { fileType: rows[0]!.file_type, ...result.data!.import! };
}

describe("OpenDocument spreadsheets", () => {
  it("imports LibreOffice's .ods, told by its content, from its first visible sheet", async () => {
    // named .bin: the name does not matter
    const imported = await importAndWait(readFileSync("test/fixtures/real/libreoffice.ods"), "sales.bin", {
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
    const imported = await importAndWait(readFileSync("test/fixtures/real/libreoffice.ods"), "sales.ods", {
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
