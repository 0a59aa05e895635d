import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importFile, orderColumns, uploadFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, SignUp } from "./operations.js";

let t: TestApp;
let token: string;
let templateId: string;

beforeAll(async () => {
  t = await startTestApp();
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const created = await t.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  expect(created.errors).toBeUndefined();
  templateId = created.data!.createImportTemplate.id;
});

afterAll(async () => {
  await t?.stop();
});

/** Imports a file through the API; its records as a list. */
async function importText(file: Buffer, fileName: string) {
  const imported = await importFile(t, token, templateId, file, fileName);
  return { ...imported, records: imported.records.edges.map(({ node }) => node) };
}

describe("text files through the API", () => {
  it("imports a Windows-1252 CSV as Excel on Windows saves it", async () => {
    // "CSV (Comma delimited)": é is the single byte 0xE9, € is 0x80, lines end in CRLF
    const text = "Name,Quantity,Unit Price\r\nCafé,2,3.50\r\nCrème brûlée €,1,4\r\n";
    const file = Buffer.from(text.replace("€", "\x80"), "latin1");
    expect(file.includes(0xe9)).toBe(true);
    const imported = await importText(file, "orders.csv");
    expect(imported).toMatchObject({
      status: "COMPLETED",
      errorMessage: null,
      rowsImported: 2,
      rowsFailed: 0,
      encoding: "windows-1252",
      delimiter: ",",
    });
    expect(imported.records.map((record) => [record.rowNumber, record.data.name, record.data.quantity])).toEqual([
      [2, "Café", 2],
      [3, "Crème brûlée €", 1],
    ]);
  });

  it("reports Windows-1252 when the file shows it only past the start its encoding is guessed from", async () => {
    // 150 KB of ASCII rows (each its own: exact repeats would be skipped), then é as the single byte 0xE9
    const ascii = "Name,Quantity,Unit Price\n" + Array.from({ length: 10_000 }, (_, i) => `Widget ${i},1,2\n`).join("");
    const file = Buffer.concat([Buffer.from(ascii), Buffer.from("Café,3,4\n", "latin1")]);
    const imported = await importText(file, "late.csv");
    expect(imported).toMatchObject({ status: "COMPLETED", rowsImported: 10_001, encoding: "windows-1252" });
  });

  it("fails a file that has UTF-8 characters first and, past the start its encoding is guessed from, a byte that is not", async () => {
    // ä in UTF-8, a 70 KB row that carries the file past the 64 KiB, then é as the single byte 0xE9
    const utf8 = `Name,Quantity,Unit Price\nä,1,2\n${"x".repeat(70_000)},2,3\n`;
    const file = Buffer.concat([Buffer.from(utf8), Buffer.from("Café,3,4\n", "latin1")]);
    const imported = await importText(file, "mixed.csv");
    expect(imported).toMatchObject({
      status: "FAILED",
      rowsImported: 0,
      errorMessage:
        "The file starts as UTF-8 text but later has characters in another encoding, so it cannot be read reliably. " +
        "Save it again as “CSV UTF-8 (Comma delimited)” and upload it again.",
    });
    // nothing of it is saved, "Ã¤" or otherwise
    expect(imported.records).toEqual([]);
  });

  it("imports Excel's “Unicode Text”: UTF-16 LE with a BOM, tab-separated", async () => {
    const text = "\ufeffName\tQuantity\tUnit Price\r\nZoë Ångström\t3\t2.5\r\n東京 Store\t12\t1\r\n";
    const file = Buffer.from(text, "utf16le");
    expect(file.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    const imported = await importText(file, "orders.txt");
    expect(imported).toMatchObject({
      status: "COMPLETED",
      rowsImported: 2,
      rowsFailed: 0,
      encoding: "UTF-16LE",
      delimiter: "\t",
    });
    expect(imported.records.map((record) => record.data.name)).toEqual(["Zoë Ångström", "東京 Store"]);
  });

  it("imports a pipe-separated file, quoted pipes and line breaks included", async () => {
    const text = 'Name|Quantity|Unit Price\n"A | B"|1|2.5\n"two\nlines"|2|3\n';
    const imported = await importText(Buffer.from(text), "orders.tsv");
    expect(imported).toMatchObject({
      status: "COMPLETED",
      rowsImported: 2,
      rowsFailed: 0,
      encoding: "UTF-8",
      delimiter: "|",
    });
    expect(imported.records.map((record) => [record.rowNumber, record.data.name])).toEqual([
      [2, "A | B"],
      [3, "two\nlines"],
    ]);
  });

  it("still refuses binary data at upload", async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 255 || 1; // no NUL, many control bytes
    const started = await uploadFile(t, token, templateId, bytes, "orders.csv");
    expect(started.errors?.map((error) => error.extensions?.code)).toEqual(["UNSUPPORTED_FILE_TYPE"]);
  });
});
