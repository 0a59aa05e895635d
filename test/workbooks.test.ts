import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFinal, waitForImport } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, SignUp } from "./operations.js";

/** The corpus's template and what each file holds (test/fixtures/real/manifest.json). */
const manifest = JSON.parse(readFileSync("test/fixtures/real/manifest.json", "utf8")) as {
  template: Array<{ key: string; header: string; type: string; required: boolean }>;
  files: Array<{ name: string; firstRecord: Record<string, unknown>; rowsImported: number; rowsFailed: number }>;
};
const corpus = (name: string) => readFileSync(`test/fixtures/real/${name}`);
const expected = (name: string) => manifest.files.find((file) => file.name === name)!;

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

// written out here, not generated: only these fields matter
const GetWorkbookImport: TypedDocumentNode<ImportResult, { id: string }> = parse(`
  query GetWorkbookImport($id: ID!) {
    import(id: $id) {
      status
      errorMessage
      sheetName
      sheets
      headerRow
      rowsImported
      rowsFailed
      records(first: 10) { edges { node { rowNumber data } } }
    }
  }
`);

const START_IMPORT = `
  mutation ($templateId: ID!, $file: Upload!, $options: ImportOptions) {
    startImport(templateId: $templateId, file: $file, options: $options) { id }
  }
`;

type Options = { sheet?: string; headerRow?: number };

let t: TestApp;
let sql: pg.Pool;
let token: string;
let salesTemplate: string;
let notesTemplate: string;

beforeAll(async () => {
  t = await startTestApp();
  sql = new pg.Pool({ connectionString: t.database.url });
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const template = async (
    name: string,
    columns: Array<{ key: string; header: string; type: string; required: boolean }>,
  ) => {
    const created = await t.request(
      CreateTemplate,
      { input: { name, columns: columns.map((column) => ({ ...column, type: column.type as "STRING" })) } },
      token,
    );
    expect(created.errors).toBeUndefined();
    return created.data!.createImportTemplate.id;
  };
  salesTemplate = await template("Sales", manifest.template);
  // LibreOffice's second sheet, Notes: a note and a value (0.19, then "Finance")
  notesTemplate = await template("Notes", [
    { key: "note", header: "Note", type: "STRING", required: true },
    { key: "value", header: "Value", type: "STRING", required: false },
  ]);
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

/** startImport as a real multipart request, with ImportOptions, then the import once it is final. */
async function importAndWait(templateId: string, file: Buffer, fileName: string, options?: Options) {
  const body = new FormData();
  body.append("operations", JSON.stringify({ query: START_IMPORT, variables: { templateId, file: null, options } }));
  body.append("map", JSON.stringify({ 0: ["variables.file"] }));
  body.append("0", new Blob([new Uint8Array(file)]), fileName);
  const response = await fetch(t.url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "x-graphql-yoga-csrf": "1" },
    body,
  });
  const started = (await response.json()) as {
    data?: { startImport: { id: string } } | null;
    errors?: Array<{ message: string }>;
  };
  expect(started.errors).toBeUndefined();
  const { id } = started.data!.startImport;
  await waitForImport(t.database.url, id, isFinal);
  const { rows } = await sql.query<{ file_type: string }>("select file_type from imports where id = $1", [id]);
  const result = await t.request(GetWorkbookImport, { id }, token);
  expect(result.errors).toBeUndefined();
  return { fileType: rows[0]!.file_type, ...result.data!.import! };
}

/** The manifest's first record; DECIMAL is compared as a number, whatever its JSON form. */
function expectFirstRecord(data: Record<string, unknown>, file: string) {
  const { unitPrice, ...rest } = expected(file).firstRecord;
  expect(data).toMatchObject(rest);
  expect(Number(data.unitPrice)).toBe(Number(unitPrice));
}

describe("which sheet of a workbook is imported", () => {
  it("imports the first tab, Sales, of a LibreOffice xlsx that stores sheet1.xml after sheet2.xml", async () => {
    const file = "libreoffice-sheet1-last.xlsx";
    // the header is found below the title, in row 3
    const imported = await importAndWait(salesTemplate, corpus(file), "sales.xlsx");
    expect(imported).toMatchObject({
      fileType: "xlsx",
      status: "COMPLETED",
      sheetName: "Sales",
      sheets: ["Sales", "Notes"],
      headerRow: 3,
      rowsImported: expected(file).rowsImported,
      rowsFailed: expected(file).rowsFailed,
    });
    const [first] = imported.records.edges;
    expect(first!.node.rowNumber).toBe(4);
    expectFirstRecord(first!.node.data, file);
  });

  it("imports the sheet named in options.sheet", async () => {
    const imported = await importAndWait(notesTemplate, corpus("libreoffice.xlsx"), "sales.xlsx", { sheet: "Notes" });
    expect(imported).toMatchObject({
      status: "COMPLETED",
      sheetName: "Notes",
      sheets: ["Sales", "Notes"],
      headerRow: 1,
      rowsImported: 2,
      rowsFailed: 0,
    });
    expect(imported.records.edges.map(({ node }) => node.data)).toEqual([
      { note: "Prices exclude VAT", value: "0.19" },
      { note: "Prepared by", value: "Finance" },
    ]);
  });

  it.each([
    ["libreoffice.xlsx", "Q4"],
    // hidden sheets are not offered
    ["libreoffice.xlsx", "Internal"],
    ["libreoffice.xls", "Q4"],
  ])("fails %s asked for the sheet %s, naming the sheets there are", async (file, sheet) => {
    const imported = await importAndWait(salesTemplate, corpus(file), file, { sheet });
    expect(imported).toMatchObject({
      status: "FAILED",
      errorMessage: `This workbook has no sheet named “${sheet}”. Its sheets: Sales, Notes.`,
      rowsImported: 0,
    });
  });

  it("skips a hidden first sheet", async () => {
    const file = "openpyxl-hidden-first.xlsx";
    const imported = await importAndWait(salesTemplate, corpus(file), file);
    expect(imported).toMatchObject({ status: "COMPLETED", sheetName: "Products", sheets: ["Products"] });
    expectFirstRecord(imported.records.edges[0]!.node.data, file);
  });

  it("imports a macro-enabled .xlsm like an .xlsx", async () => {
    const file = "openpyxl.xlsm";
    const imported = await importAndWait(salesTemplate, corpus(file), file);
    expect(imported).toMatchObject({
      fileType: "xlsx",
      status: "COMPLETED",
      sheetName: "Products",
      sheets: ["Products"],
      headerRow: 1,
      // openpyxl saves formulas without a result: row 3's Active and row 4's Quantity say so
      rowsImported: 1,
      rowsFailed: 2,
    });
    expectFirstRecord(imported.records.edges[0]!.node.data, file);
  });

  it("imports an .xls from its first visible sheet", async () => {
    const file = "libreoffice.xls";
    const imported = await importAndWait(salesTemplate, corpus(file), file, { headerRow: 3 });
    expect(imported).toMatchObject({
      fileType: "xls",
      status: "COMPLETED",
      sheetName: "Sales",
      sheets: ["Sales", "Notes"],
      rowsImported: expected(file).rowsImported,
      rowsFailed: expected(file).rowsFailed,
    });
    expectFirstRecord(imported.records.edges[0]!.node.data, file);
  });
});
