import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  detectDelimiter,
  openSpreadsheet,
  PermanentImportError,
  type TemplateColumn,
} from "../../src/spreadsheet/index.js";
import { readFile } from "./fixtures.js";

const columns: TemplateColumn[] = [
  { key: "name", header: "Name", type: "STRING", required: true },
  { key: "quantity", header: "Quantity", type: "INTEGER", required: true },
  { key: "active", header: "Active", type: "BOOLEAN", required: false },
];

describe("reading .csv", () => {
  it("reads typed values from text, matching headers case-insensitively", async () => {
    const csv = "NAME, quantity ,Notes,active\nWidget,3,x,yes\nGadget,-4,,FALSE\n";
    const { header, rows } = await readFile(csv, columns);
    expect(header).toMatchObject({ fileType: "csv", sheetName: null, rowNumber: 1, ignoredHeaders: ["Notes"] });
    expect(rows).toEqual([
      { ok: true, rowNumber: 2, values: { name: "Widget", quantity: 3, active: true } },
      { ok: true, rowNumber: 3, values: { name: "Gadget", quantity: -4, active: false } },
    ]);
  });

  it("reads booleans in every spelling", async () => {
    const spellings = ["true", "FALSE", "Yes", "no", "1", "0", " TRUE "];
    const csv = `Name,Quantity,Active\n${spellings.map((s, i) => `r${i},${i},${s}`).join("\n")}`;
    const { valid } = await readFile(csv, columns);
    expect(valid.map((row) => row.values.active)).toEqual([true, false, true, false, true, false, true]);
  });

  it("strips a UTF-8 BOM", async () => {
    const { header, valid } = await readFile("\ufeffName,Quantity\nCafé,1\n", columns);
    expect(header.columns[0]?.index).toBe(0);
    expect(valid[0]?.values.name).toBe("Café");
  });

  it("detects semicolons and tabs as delimiters", async () => {
    const semicolon = await readFile('Name;Quantity;Active\n"Smith, John";2;no\n', columns);
    expect(semicolon.valid[0]?.values).toEqual({ name: "Smith, John", quantity: 2, active: false });
    const tab = await readFile("Name\tQuantity\nA, B; C\t5\n", columns);
    expect(tab.valid[0]?.values).toEqual({ name: "A, B; C", quantity: 5, active: null });
  });

  it("handles quoted delimiters, doubled quotes and quoted line breaks without shifting row numbers", async () => {
    const csv =
      "Name,Quantity\r\n" +
      '"Widget, large",1\r\n' +
      '"He said ""hi""",2\r\n' +
      '"two\r\nlines",3\r\n' +
      "\r\n" +
      "after,x\r\n";
    const { rows } = await readFile(csv, columns);
    expect(rows).toEqual([
      { ok: true, rowNumber: 2, values: { name: "Widget, large", quantity: 1, active: null } },
      { ok: true, rowNumber: 3, values: { name: 'He said "hi"', quantity: 2, active: null } },
      { ok: true, rowNumber: 4, values: { name: "two\r\nlines", quantity: 3, active: null } },
      {
        ok: false,
        rowNumber: 6,
        errors: [{ rowNumber: 6, column: "Quantity", message: 'Expected a whole number, got "x".', value: "x" }],
        raw: { name: "after", quantity: "x", active: null },
      },
    ]);
  });

  it("skips empty rows (blank lines or only delimiters) but keeps counting them, even at the top", async () => {
    const csv = "\n,,\nName,Quantity\n\n , \nA,1\n,,\nB,2";
    const { header, rows } = await readFile(csv, columns);
    expect(header.rowNumber).toBe(3);
    expect(rows.map((row) => row.rowNumber)).toEqual([6, 8]);
  });

  it("copes with mixed line endings", async () => {
    const { rows } = await readFile("Name,Quantity\r\nA,1\nB,2\rC,3\n", columns);
    expect(rows.map((row) => row.ok && row.values.name)).toEqual(["A", "B", "C"]);
  });

  it("reads multi-byte characters split across chunks", async () => {
    const name = "日本語テキスト€".repeat(300);
    const csv = `Name,Quantity\n${name},1\n`;
    // 1000-byte chunks cut through 3-byte characters
    const { valid } = await readFile(csv, columns);
    expect(valid[0]?.values.name).toBe(name);
  });

  it("rejects text that is not UTF-8, even far into the file", async () => {
    const head = Buffer.from(`Name,Quantity\n${"abc,1\n".repeat(5000)}`);
    const latin1 = Buffer.from("caf\xe9,1\n", "latin1");
    await expect(readFile(Buffer.concat([head, latin1]), columns)).rejects.toMatchObject({
      code: "CORRUPT_FILE",
      message:
        "The file is not valid UTF-8 text. If it is a CSV file, save it from Excel as “CSV UTF-8 (Comma delimited)” and upload it again.",
    });
  });

  it("rejects a quote that is never closed", async () => {
    await expect(readFile('Name,Quantity\nA,1\n"B,2\nC,3\n', columns)).rejects.toMatchObject({
      code: "CORRUPT_FILE",
      message:
        "The file has a quoted value that is never closed (from row 3 on). Check that every opening quote has a closing quote.",
    });
  });

  it("rejects an empty file, a file of blank lines and missing columns", async () => {
    await expect(readFile("", columns)).rejects.toMatchObject({ code: "EMPTY_FILE", message: "The file is empty." });
    await expect(readFile("\n\r\n,,\n", columns)).rejects.toMatchObject({
      code: "NO_HEADER_ROW",
      message: "The file has no header row: it contains only empty lines.",
    });
    await expect(readFile("Name,Price\nA,1\n", columns)).rejects.toThrow(
      new PermanentImportError("MISSING_COLUMNS", "Missing required column(s): Quantity"),
    );
  });

  it("passes a failing upload stream's error through", async () => {
    const failure = new Error("socket hang up");
    const open = () =>
      Readable.from(
        (async function* () {
          yield Buffer.from(`Name,Quantity\n${"a,1\n".repeat(1000)}`);
          throw failure;
        })(),
      );
    // depending on how far the parser got, opening or reading the rows fails
    const read = async () => {
      for await (const row of await openSpreadsheet({ open }, columns)) void row;
    };
    await expect(read()).rejects.toBe(failure);
  });
});

describe("detectDelimiter", () => {
  it("counts candidates outside quotes on the first non-blank line", () => {
    expect(detectDelimiter("a,b,c\n")).toBe(",");
    expect(detectDelimiter("a;b;c\n1,5;2,5;3\n")).toBe(";");
    expect(detectDelimiter("a\tb\n")).toBe("\t");
    expect(detectDelimiter('"x,y,z";b;c\n')).toBe(";");
    expect(detectDelimiter("\n;;\n\na\tb,c\tc\n")).toBe("\t");
    expect(detectDelimiter("single\n")).toBe(",");
  });
});
