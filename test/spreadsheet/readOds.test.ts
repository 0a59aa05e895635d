import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ByteSource } from "../../src/spreadsheet/byteSource.js";
import { CellError, type RawRow } from "../../src/spreadsheet/cell.js";
import { readRows, type SheetInfo } from "../../src/spreadsheet/readRows.js";
import { PermanentImportError } from "../../src/spreadsheet/index.js";
import { streamOf, zipOf } from "./fixtures.js";

const ODS_MIME_TYPE = "application/vnd.oasis.opendocument.spreadsheet";

/** An .ods with the given automatic styles and `<table:table>` elements, as LibreOffice lays it out. */
function odsOf(tables: string, styles = ""): Buffer {
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ' +
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ' +
    'xmlns:xlink="http://www.w3.org/1999/xlink" ' +
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3">' +
    `<office:automatic-styles>${styles}</office:automatic-styles>` +
    `<office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`;
  return zipOf([
    ["mimetype", ODS_MIME_TYPE],
    ["content.xml", content],
    ["META-INF/manifest.xml", "<manifest/>"],
  ]);
}

const HIDDEN_STYLE =
  '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>';

function table(name: string, rows: string, style = "ta1"): string {
  return `<table:table table:name="${name}" table:style-name="${style}">${rows}</table:table>`;
}

function text(value: string): string {
  return `<table:table-cell office:value-type="string"><text:p>${value}</text:p></table:table-cell>`;
}

function float(value: number): string {
  return `<table:table-cell office:value-type="float" office:value="${value}"><text:p>${value}</text:p></table:table-cell>`;
}

async function read(file: Buffer, sheet?: string): Promise<{ rows: RawRow[]; info: SheetInfo }> {
  const info: SheetInfo = { date1904: false, sheetName: null, sheets: [], encoding: null, delimiter: null };
  const rows: RawRow[] = [];
  for await (const batch of readRows("ods", new ByteSource(streamOf(file)), info, sheet)) rows.push(...batch);
  return { rows, info };
}

/** The rows with their holes (cells never written) as `undefined`, which is what they read as. */
function plain(rows: RawRow[]): Array<[number, unknown[]]> {
  return rows.map((row) => [row.rowNumber, Array.from(row.cells)]);
}

describe("readOds", () => {
  it("reads LibreOffice's .ods: the first visible sheet, its rows as typed cells, blank rows skipped", async () => {
    const { rows, info } = await read(readFileSync("test/fixtures/real/libreoffice.ods"));
    expect(info).toMatchObject({ sheetName: "Sales", sheets: ["Sales", "Notes"], date1904: false });
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 3, 4, 5, 8, 9, 10]);
    expect(rows[0]!.cells).toEqual(["Q3 sales report"]);
    expect(rows[1]!.cells).toEqual([
      "Name",
      "Quantity",
      "Unit Price",
      "Active",
      "Ship Date",
      "Ordered At",
      "Contact Email",
      "SKU",
    ]);
    expect(rows[2]!.cells).toEqual([
      "Zoë Ångström",
      3,
      2.5,
      true,
      new Date("2024-07-01T00:00:00Z"),
      new Date("2024-07-01T09:30:00Z"),
      "zoe@example.com",
      "00123",
    ]);
    // a formula's cached result; a grouped number's value, not its "1,234.56" text
    expect(rows[3]!.cells.slice(0, 4)).toEqual(["東京 Store", 12, 1234.56, false]);
    expect(rows[5]!.cells[5]).toEqual(new Date("2024-12-31T23:59:59Z"));
    // two paragraphs are two lines; repeated blank cells leave holes, then the row goes on
    expect(plain(rows.slice(6))).toEqual([
      [10, ["Two\nlines", 0, undefined, undefined, undefined, undefined, "two@example.net", "000"]],
    ]);
  });

  it("reads another visible sheet by name, ignoring case, and refuses a hidden or unknown one", async () => {
    const file = readFileSync("test/fixtures/real/libreoffice.ods");
    const { rows, info } = await read(file, "notes");
    expect(info).toMatchObject({ sheetName: "Notes", sheets: ["Sales", "Notes"] });
    expect(plain(rows)).toEqual([
      [1, ["Note", "Value"]],
      [2, ["Prices exclude VAT", 0.19]],
      [3, ["Prepared by", "Finance"]],
    ]);
    for (const name of ["Internal", "Summary"]) {
      await expect(read(file, name)).rejects.toMatchObject({
        code: "SHEET_NOT_FOUND",
        message: `This workbook has no sheet named “${name}”. Its sheets: Sales, Notes.`,
      });
    }
  });

  it("skips a hidden first sheet: the default is the first visible one", async () => {
    const file = odsOf(
      table("Secret", `<table:table-row>${text("no")}</table:table-row>`, "ta2") +
        table("Shown", `<table:table-row>${text("yes")}</table:table-row>`),
      HIDDEN_STYLE,
    );
    const { rows, info } = await read(file);
    expect(info).toMatchObject({ sheetName: "Shown", sheets: ["Shown"] });
    expect(plain(rows)).toEqual([[1, ["yes"]]]);
  });

  it("counts a million repeated blank rows and columns without expanding them", async () => {
    const file = odsOf(
      table(
        "Big",
        `<table:table-row>${text("a")}<table:table-cell table:number-columns-repeated="16383"/></table:table-row>` +
          '<table:table-row table:number-rows-repeated="1000000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>' +
          `<table:table-row><table:table-cell table:number-columns-repeated="1000"/>${float(7)}<table:table-cell table:number-columns-repeated="15383"/></table:table-row>` +
          '<table:table-row table:number-rows-repeated="1047574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>',
      ),
    );
    const { rows } = await read(file);
    expect(rows.map((row) => [row.rowNumber, row.cells.length])).toEqual([
      [1, 1],
      [1_000_002, 1001],
    ]);
    expect(rows[1]!.cells[1000]).toBe(7);
  });

  it("expands repeated rows and cells that hold values, up to Excel's 16,384 columns", async () => {
    const file = odsOf(
      table(
        "Repeats",
        `<table:table-row>${text("h")}</table:table-row>` +
          `<table:table-row table:number-rows-repeated="600">${text("same")}<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="2"/></table:table-row>` +
          `<table:table-row><table:table-cell office:value-type="float" office:value="0" table:number-columns-repeated="1000000"/></table:table-row>`,
      ),
    );
    const { rows } = await read(file);
    expect(rows).toHaveLength(602);
    expect(plain(rows.slice(1, 2))).toEqual([[2, ["same", 1, 1]]]);
    expect(rows[600]!.rowNumber).toBe(601);
    expect(rows[601]!.rowNumber).toBe(602);
    expect(rows[601]!.cells).toHaveLength(16_384);
  });

  it("reads text as LibreOffice writes it: spaces, spans, links, line breaks; a comment is no part of it", async () => {
    const file = odsOf(
      table(
        "Text",
        "<table:table-row>" +
          '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b<text:s/>c</text:p></table:table-cell>' +
          '<table:table-cell office:value-type="string"><text:p><text:span text:style-name="T1">bold</text:span> and <text:a xlink:href="https://example.com">a link</text:a></text:p></table:table-cell>' +
          '<table:table-cell office:value-type="string"><text:p>one<text:line-break/>two<text:tab/>three</text:p></table:table-cell>' +
          '<table:table-cell office:value-type="string"><office:annotation><text:p>a note</text:p></office:annotation><text:p>kept</text:p></table:table-cell>' +
          '<table:table-cell office:value-type="string" office:string-value="stored"><text:p>shown</text:p></table:table-cell>' +
          "<table:table-cell><text:p>untyped</text:p></table:table-cell>" +
          '<table:covered-table-cell office:value-type="string"><text:p>covered</text:p></table:covered-table-cell>' +
          "</table:table-row>",
      ),
    );
    const { rows } = await read(file);
    expect(plain(rows)).toEqual([
      [1, ["a   b c", "bold and a link", "one\ntwo\tthree", "kept", "stored", "untyped", "covered"]],
    ]);
  });

  it("types percentages, currencies, times and dates, and reads error results as cell errors", async () => {
    const cell = (attributes: string, shown: string) =>
      `<table:table-cell ${attributes}><text:p>${shown}</text:p></table:table-cell>`;
    const file = odsOf(
      table(
        "Types",
        "<table:table-row>" +
          cell('office:value-type="percentage" office:value="0.19"', "19%") +
          cell('office:value-type="currency" office:currency="EUR" office:value="-3.5"', "-3,50 €") +
          cell('office:value-type="time" office:time-value="PT09H30M15S"', "09:30:15") +
          cell('office:value-type="date" office:date-value="1899-12-30T12:00:00.250"', "") +
          cell('office:value-type="date" office:date-value="2024-02-30"', "2024-02-30") +
          cell('office:value-type="float" office:value="0" calcext:value-type="error"', "#DIV/0!") +
          cell('office:value-type="boolean" office:boolean-value="false"', "FALSE") +
          "</table:table-row>",
      ),
    );
    const [row] = (await read(file)).rows;
    expect(row!.cells.slice(0, 4)).toEqual([
      0.19,
      -3.5,
      new Date("1899-12-31T09:30:15Z"),
      new Date("1899-12-30T12:00:00.250Z"),
    ]);
    expect(row!.cells[4]).toEqual(new CellError("2024-02-30", "The cell does not hold a readable date."));
    expect(row!.cells[5]).toEqual(new CellError("#DIV/0!"));
    expect(row!.cells[6]).toBe(false);
  });

  it("falls through an empty first sheet by default, but refuses a chosen sheet that is empty", async () => {
    const file = odsOf(
      table("Empty", '<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row>') +
        table(
          "Full",
          `<table:table-row table:number-rows-repeated="2"/><table:table-row>${text("x")}</table:table-row>`,
        ),
    );
    const { rows, info } = await read(file);
    expect(info).toMatchObject({ sheetName: "Full", sheets: ["Empty", "Full"] });
    expect(plain(rows)).toEqual([[3, ["x"]]]);
    await expect(read(file, "Empty")).rejects.toMatchObject({
      code: "NO_HEADER_ROW",
      message: "The sheet “Empty” has no header row: it is empty. This workbook's sheets: Empty, Full.",
    });
  });

  it("refuses a damaged file as CORRUPT_FILE: cut short, XML that is not well-formed, no content.xml", async () => {
    const whole = readFileSync("test/fixtures/real/libreoffice.ods");
    const damaged = [
      // cut inside content.xml, whose data follows its name
      whole.subarray(0, whole.indexOf("content.xml") + 500),
      zipOf([
        ["mimetype", ODS_MIME_TYPE],
        ["content.xml", "<office:document-content><table:table>"],
      ]),
      zipOf([
        ["mimetype", ODS_MIME_TYPE],
        ["styles.xml", "<x/>"],
      ]),
    ];
    for (const file of damaged) {
      const error = await read(file).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(PermanentImportError);
      expect(error).toMatchObject({
        code: "CORRUPT_FILE",
        message: expect.stringContaining("not a valid OpenDocument spreadsheet"),
      });
    }
  });
});
