import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFinal, uploadFile, waitForImport } from "../helpers/imports.js";
import { startTestApp, type TestApp } from "../helpers/testApp.js";
import { SignUp } from "../operations.js";

// issue 10: every file of the corpus imported end to end (multipart upload, the worker, GraphQL),
// checked against what test/fixtures/real/manifest.json says a person should get from it.

type Column = { key: string; header: string; type: string; required: boolean };
interface Locale {
  decimalSeparator: "DOT" | "COMMA";
  dateOrder: "DMY" | "MDY" | "YMD";
}
interface CorpusFile {
  name: string;
  locale: Locale;
  encoding?: string;
  delimiter?: string;
  sheets: Array<{ name: string; hidden: boolean }> | null;
  sheet: string | null;
  headerRow: number;
  rowsImported: number;
  rowsFailed: number;
  firstRecord: Record<string, unknown>;
}
const corpus = "test/fixtures/real";
const { template: columns, files } = JSON.parse(readFileSync(`${corpus}/manifest.json`, "utf8")) as {
  template: Column[];
  files: CorpusFile[];
};

const CreateCorpusTemplate: TypedDocumentNode<
  { createImportTemplate: { id: string } },
  { input: { name: string; columns: Column[] } & Locale }
> = parse(`
  mutation CreateCorpusTemplate($input: CreateImportTemplateInput!) {
    createImportTemplate(input: $input) { id }
  }
`);

interface Imported {
  status: string;
  errorMessage: string | null;
  sheetName: string | null;
  sheets: string[] | null;
  headerRow: number | null;
  encoding: string | null;
  delimiter: string | null;
  rowsImported: number | null;
  rowsFailed: number | null;
  records: { edges: Array<{ node: { data: Record<string, unknown> } }> };
}

const GetCorpusImport: TypedDocumentNode<{ import: Imported | null }, { id: string }> = parse(`
  query GetCorpusImport($id: ID!) {
    import(id: $id) {
      status errorMessage sheetName sheets headerRow encoding delimiter rowsImported rowsFailed
      records(first: 1) { edges { node { data } } }
    }
  }
`);

let t: TestApp;
let token: string;
/** One template per locale the corpus needs, by "DOT/YMD". */
const templates = new Map<string, string>();

beforeAll(async () => {
  t = await startTestApp();
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  for (const { locale } of files) {
    const key = `${locale.decimalSeparator}/${locale.dateOrder}`;
    if (templates.has(key)) continue;
    const created = await t.request(CreateCorpusTemplate, { input: { name: key, columns, ...locale } }, token);
    expect(created.errors).toBeUndefined();
    templates.set(key, created.data!.createImportTemplate.id);
  }
});

afterAll(async () => {
  await t.stop();
});

/** The first record as the API gives it: JSON carries a DECIMAL (an exact string in the manifest) as a number. */
function asJson(record: Record<string, unknown>): Record<string, unknown> {
  const decimals = columns.filter((column) => column.type === "DECIMAL").map((column) => column.key);
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, decimals.includes(key) ? Number(value) : value]),
  );
}

describe("each corpus file imports as its manifest says", () => {
  it.each(files)("$name", async (file) => {
    const templateId = templates.get(`${file.locale.decimalSeparator}/${file.locale.dateOrder}`)!;
    const upload = await uploadFile(t, token, templateId, readFileSync(`${corpus}/${file.name}`), file.name);
    expect(upload.errors).toBeUndefined();
    const { id } = upload.data!.startImport;
    await waitForImport(t.database.url, id, isFinal);
    const result = await t.request(GetCorpusImport, { id }, token);
    expect(result.errors).toBeUndefined();
    const { records, ...imported } = result.data!.import!;
    expect(imported).toEqual({
      status: "COMPLETED",
      errorMessage: null,
      sheetName: file.sheet,
      sheets: file.sheets && file.sheets.filter((sheet) => !sheet.hidden).map((sheet) => sheet.name),
      headerRow: file.headerRow,
      encoding: file.encoding ?? null,
      delimiter: file.delimiter ?? null,
      rowsImported: file.rowsImported,
      rowsFailed: file.rowsFailed,
    });
    expect(records.edges.map(({ node }) => node.data)).toEqual([asJson(file.firstRecord)]);
  });
});
