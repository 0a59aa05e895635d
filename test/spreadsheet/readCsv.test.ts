import fs from "node:fs/promises";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ByteSource } from "../../src/spreadsheet/byteSource.js";
import {
  detectDelimiter,
  detectFileType,
  openSpreadsheet,
  type RawRow,
  SNIFF_LENGTH,
  type TemplateColumn,
} from "../../src/spreadsheet/index.js";
import { DEFAULT_READ_LIMITS } from "../../src/spreadsheet/limits.js";
import { readCsv } from "../../src/spreadsheet/readCsv.js";
import type { SheetInfo } from "../../src/spreadsheet/readRows.js";
import { readFile, streamOf } from "./fixtures.js";

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

  it("reads Windows-1252 whose first byte that is not ASCII comes after the 64 KiB sample", async () => {
    const head = Buffer.from(`Name,Quantity\n${"abc,1\n".repeat(20_000)}`);
    // é as 0xE9 and € as 0x80, as Excel writes "CSV (Comma delimited)"
    const tail = Buffer.from([...Buffer.from("caf"), 0xe9, 0x20, 0x80, ...Buffer.from(",2\n")]);
    const { header, valid } = await readFile(Buffer.concat([head, tail]), columns);
    // the sample was all ASCII; the header shows what reading the rows found out
    expect(header.encoding).toBe("windows-1252");
    expect(valid).toHaveLength(20_001);
    expect(valid.at(-1)?.values).toEqual({ name: "café €", quantity: 2, active: null });
  });

  it("switches to Windows-1252 also when the first such byte ends a chunk, or the file", async () => {
    for (const chunkSize of [1, 2, 5, 7, 1000]) {
      const { info, rows } = await rawRows(
        Buffer.from("Quantity,Name\n1,caf\xe9\n2,na\xefve\xe9", "latin1"),
        chunkSize,
      );
      expect(info.encoding).toBe("windows-1252");
      expect(rows.map((row) => row.cells[1])).toEqual(["Name", "café", "naïveé"]);
      const endsInIt = await rawRows(Buffer.from("Quantity,Name\n1,caf\xe9\x80", "latin1"), chunkSize);
      expect(endsInIt.rows.map((row) => row.cells[1])).toEqual(["Name", "café€"]);
    }
  });

  it("refuses bytes that are not UTF-8 after UTF-8 characters: the file mixes encodings", async () => {
    const head = Buffer.from(`Name,Quantity\nZoë,1\n${"abc,1\n".repeat(20_000)}`);
    const latin1 = Buffer.from("caf\xe9,1\n", "latin1");
    await expect(readFile(Buffer.concat([head, latin1]), columns)).rejects.toMatchObject({
      code: "CORRUPT_FILE",
      message:
        "The file starts as UTF-8 text but later has characters in another encoding, so it cannot be read reliably. " +
        "Save it again as “CSV UTF-8 (Comma delimited)” and upload it again.",
    });
  });

  it("refuses a file that mixes encodings also when its UTF-8 and the byte that is not come in one chunk", async () => {
    // ä in UTF-8, a row that carries the file past the 64 KiB sample, then é as the single byte 0xE9
    const file = Buffer.concat([
      Buffer.from(`Name,Quantity\nä,1\n${"x".repeat(70_000)},2\n`),
      Buffer.from("caf\xe9,3\n", "latin1"),
    ]);
    // the peeked sample and what follows it up to the 0xE9 are one chunk, or the whole file is
    for (const chunkSize of [1000, 100_000, file.length]) {
      await expect(rawRows(file, chunkSize)).rejects.toMatchObject({
        code: "CORRUPT_FILE",
        message: expect.stringContaining("The file starts as UTF-8 text but later has characters in another encoding"),
      });
    }
    // as does a BOM that says UTF-8 (it was read as "ï»¿" when the file switched to Windows-1252)
    const bom = Buffer.concat([Buffer.from("\ufeffName,Quantity\n"), Buffer.from("caf\xe9,3\n", "latin1")]);
    await expect(rawRows(bom, bom.length)).rejects.toMatchObject({ code: "CORRUPT_FILE" });
    // and an ä past the sample, cut between two chunks, the second of which has the 0xE9 as well
    const ascii = Buffer.from(`Name,Quantity\n${"x".repeat(70_000)},2\n`);
    const split = Buffer.concat([ascii, Buffer.from("ä,1\n"), Buffer.from("caf\xe9,3\n", "latin1")]);
    await expect(rawRows(split, ascii.length + 1)).rejects.toMatchObject({ code: "CORRUPT_FILE" });
  });

  it("reads a file that is ASCII up to its first byte that is not UTF-8 as Windows-1252, in one chunk too", async () => {
    const file = Buffer.concat([
      Buffer.from(`Name,Quantity\n${"x".repeat(70_000)},2\n`),
      Buffer.from("caf\xe9 \x80,3\n", "latin1"),
    ]);
    const { info, rows } = await rawRows(file, file.length);
    expect(info.encoding).toBe("windows-1252");
    expect(rows.at(-1)?.cells).toEqual(["café €", "3"]);
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
    await expect(readFile("Name,Price\nA,1\n", columns)).rejects.toMatchObject({
      code: "MISSING_COLUMNS",
      message: "Missing required column(s): Quantity. The file's headers are: Name, Price.",
    });
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
  it("counts candidates outside quotes", () => {
    expect(detectDelimiter("a,b,c\n")).toBe(",");
    expect(detectDelimiter("a\tb\n")).toBe("\t");
    expect(detectDelimiter("a|b|c\n1|2,5|x;y\n")).toBe("|");
    expect(detectDelimiter('"x,y,z";b;c\n')).toBe(";");
    expect(detectDelimiter('"a\nb,c,d,e";f\n"g";h\n')).toBe(";");
    expect(detectDelimiter("single\n")).toBe(",");
    expect(detectDelimiter("")).toBe(",");
  });

  it("prefers the candidate that occurs the same number of times on the most lines", () => {
    // decimal commas outnumber the semicolons on some lines, not on every line
    expect(detectDelimiter("Name;Price;Tax\nA;2,5;0,25\nB;3;1\nC;1,25;0\n")).toBe(";");
    // a title line without delimiters, and free text with commas in a tab-separated file
    expect(detectDelimiter("Q3 report, draft\n\nName\tNotes\nA\tx, y, z\nB\tfoo, bar\n")).toBe("\t");
    // on a tie in lines, the larger count; on a full tie, comma
    expect(detectDelimiter("a;b;c,d\n")).toBe(";");
    expect(detectDelimiter("a;b,c\n")).toBe(",");
  });
});

describe("text encodings and delimiters of real files", () => {
  const titles = ["Name", "Quantity", "Unit Price", "Active", "Ship Date", "Ordered At", "Contact Email", "SKU"];
  it.each([
    ["libreoffice-utf8.csv", "UTF-8", ",", "Zoë Ångström", "東京 Store", "2.5"],
    ["libreoffice-windows1252.csv", "windows-1252", ",", "Zoë Ångström", "?? Store", "2.5"],
    ["libreoffice-utf16.txt", "UTF-16LE", "\t", "Zoë Ångström", "東京 Store", "2.5"],
    ["libreoffice-tab.tsv", "UTF-8", "\t", "Zoë Ångström", "東京 Store", "2.5"],
    ["libreoffice-semicolon-de.csv", "UTF-8", ";", "Zoë Ångström", "東京 Store", "2,5"],
  ])("%s: %s, %j", async (file, encoding, delimiter, first, second, price) => {
    const bytes = await readFixture(file);
    expect(detectFileType(bytes.subarray(0, SNIFF_LENGTH))).toBe("csv");
    // odd chunk sizes cut UTF-16 code units and UTF-8 characters in two
    for (const chunkSize of [7, 1000]) {
      const { info, rows } = await rawRows(bytes, chunkSize);
      expect(info).toMatchObject({ encoding, delimiter });
      expect(rows.map((row) => row.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(rows[0]?.cells[0]).toBe("Q3 sales report");
      expect(rows[2]?.cells).toEqual(titles);
      expect(rows[3]?.cells.slice(0, 3)).toEqual([first, "3", price]);
      expect(rows[4]?.cells[0]).toBe(second);
      expect(rows[8]?.cells[0]).toBe('Smith, "Jo"');
      expect(rows[9]?.cells.slice(0, 2)).toEqual(["Two\nlines", "0"]);
    }
  });

  it("reads UTF-16 BE with a BOM", async () => {
    const bytes = Buffer.from("\ufeffName\tQuantity\r\nZoë 🚀\t3\r\n", "utf16le").swap16();
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0xfe, 0xff]));
    const { info, rows } = await rawRows(bytes, 3);
    expect(info).toMatchObject({ encoding: "UTF-16BE", delimiter: "\t" });
    expect(rows.map((row) => row.cells)).toEqual([
      ["Name", "Quantity"],
      ["Zoë 🚀", "3"],
    ]);
  });

  it("reads UTF-8 without a BOM, and pipes as the delimiter", async () => {
    const { info, rows } = await rawRows(Buffer.from('Name|Quantity\n"A|B, C"|1\nŽluťoučký|2\n'), 5);
    expect(info).toMatchObject({ encoding: "UTF-8", delimiter: "|" });
    expect(rows.map((row) => row.cells)).toEqual([
      ["Name", "Quantity"],
      ["A|B, C", "1"],
      ["Žluťoučký", "2"],
    ]);
  });
});

/** The raw rows and sheet facts readCsv finds, the file delivered in chunks of `chunkSize` bytes. */
async function rawRows(bytes: Buffer, chunkSize: number): Promise<{ info: SheetInfo; rows: RawRow[] }> {
  const info: SheetInfo = { date1904: false, sheetName: null, sheets: [], encoding: null, delimiter: null };
  const rows: RawRow[] = [];
  for await (const batch of readCsv(new ByteSource(streamOf(bytes, chunkSize)), info, DEFAULT_READ_LIMITS))
    rows.push(...batch);
  return { info, rows };
}

function readFixture(name: string): Promise<Buffer> {
  return fs.readFile(new URL(`../fixtures/real/${name}`, import.meta.url));
}
