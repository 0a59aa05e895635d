import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusBytes, corpusFile, manifest } from "./helpers/corpus.js";
import { importFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import type { ImportOptions } from "./gql/graphql.js";
import { CreateTemplate, SignUp } from "./operations.js";

let t: TestApp;
let token: string;
let salesTemplate: string;
let notesTemplate: string;

beforeAll(async () => {
  t = await startTestApp();
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const template = async (name: string, columns: typeof manifest.template) => {
    const created = await t.request(CreateTemplate, { input: { name, columns } }, token);
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
  await t.stop();
});

/** Imports a file through the API, with ImportOptions when given. */
function importAndWait(templateId: string, file: Buffer, fileName: string, options?: ImportOptions) {
  return importFile(t, token, templateId, file, fileName, { options });
}

/** The manifest's first record; DECIMAL is compared as a number, whatever its JSON form. */
function expectFirstRecord(data: Record<string, unknown>, file: string) {
  const { unitPrice, ...rest } = corpusFile(file).firstRecord;
  expect(data).toMatchObject(rest);
  expect(Number(data.unitPrice)).toBe(Number(unitPrice));
}

describe("which sheet of a workbook is imported", () => {
  it("imports the first tab, Sales, of a LibreOffice xlsx that stores sheet1.xml after sheet2.xml", async () => {
    const file = "libreoffice-sheet1-last.xlsx";
    // the header is found below the title, in row 3
    const imported = await importAndWait(salesTemplate, corpusBytes(file), "sales.xlsx");
    expect(imported).toMatchObject({
      fileType: "xlsx",
      status: "COMPLETED",
      sheetName: "Sales",
      sheets: ["Sales", "Notes"],
      headerRow: 3,
      rowsImported: corpusFile(file).rowsImported,
      rowsFailed: corpusFile(file).rowsFailed,
    });
    const [first] = imported.records.edges;
    expect(first!.node.rowNumber).toBe(4);
    expectFirstRecord(first!.node.data, file);
  });

  it("imports the sheet named in options.sheet", async () => {
    const imported = await importAndWait(notesTemplate, corpusBytes("libreoffice.xlsx"), "sales.xlsx", {
      sheet: "Notes",
    });
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
    const imported = await importAndWait(salesTemplate, corpusBytes(file), file, { sheet });
    expect(imported).toMatchObject({
      status: "FAILED",
      errorMessage: `This workbook has no sheet named “${sheet}”. Its sheets: Sales, Notes.`,
      rowsImported: 0,
    });
  });

  it("skips a hidden first sheet", async () => {
    const file = "openpyxl-hidden-first.xlsx";
    const imported = await importAndWait(salesTemplate, corpusBytes(file), file);
    expect(imported).toMatchObject({ status: "COMPLETED", sheetName: "Products", sheets: ["Products"] });
    expectFirstRecord(imported.records.edges[0]!.node.data, file);
  });

  it("imports a macro-enabled .xlsm like an .xlsx", async () => {
    const file = "openpyxl.xlsm";
    const imported = await importAndWait(salesTemplate, corpusBytes(file), file);
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
    const imported = await importAndWait(salesTemplate, corpusBytes(file), file, { headerRow: 3 });
    expect(imported).toMatchObject({
      fileType: "xls",
      status: "COMPLETED",
      sheetName: "Sales",
      sheets: ["Sales", "Notes"],
      rowsImported: corpusFile(file).rowsImported,
      rowsFailed: corpusFile(file).rowsFailed,
    });
    expectFirstRecord(imported.records.edges[0]!.node.data, file);
  });
});
