import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corpusBytes, manifest } from "../helpers/corpus.js";
import { importFile } from "../helpers/imports.js";
import { startTestApp, type TestApp } from "../helpers/testApp.js";
import { CreateTemplate, SignUp } from "../operations.js";

// issue 10: every file of the corpus imported end to end (multipart upload, the worker, GraphQL),
// checked against what test/fixtures/real/manifest.json says a person should get from it.

const { template: columns, files } = manifest;

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
    const created = await t.request(CreateTemplate, { input: { name: key, columns, ...locale } }, token);
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
    const { records, ...imported } = await importFile(t, token, templateId, corpusBytes(file.name), file.name);
    expect(imported).toMatchObject({
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
    expect(records.edges[0]?.node.data).toEqual(asJson(file.firstRecord));
  });
});
