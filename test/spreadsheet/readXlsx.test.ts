import { readFile as readFileBytes } from "node:fs/promises";
import { Readable } from "node:stream";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { ByteSource } from "../../src/spreadsheet/byteSource.js";
import { CellError, PermanentImportError, type RawRow, type TemplateColumn } from "../../src/spreadsheet/index.js";
import { readRows, type SheetInfo } from "../../src/spreadsheet/readRows.js";
import { handWrittenXlsx, readFile, STYLE, streamOf, xlsxOf, zipOf } from "./fixtures.js";

const utc = (y: number, m: number, d: number, h = 0, min = 0) => new Date(Date.UTC(y, m - 1, d, h, min));

describe("reading .xlsx", () => {
  it("reads typed values, matching headers by header or key and skipping empty rows", async () => {
    const file = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet("Products");
      // row 1 stays empty: the header is the first non-empty row
      sheet.getRow(2).values = [
        "name",
        "QUANTITY",
        " Unit price ",
        "Remarks",
        "active",
        "shipdate",
        "Ordered At",
        "contact email",
      ];
      sheet.getRow(3).values = [
        "Widget",
        3,
        "12.50",
        "ignored",
        true,
        utc(2024, 1, 5),
        utc(2024, 5, 31, 14, 30),
        "Ada@Example.com ",
      ];
      sheet.getCell("F3").numFmt = "yyyy-mm-dd";
      sheet.getCell("G3").numFmt = "yyyy-mm-dd hh:mm";
      // row 4 is empty; row 5 uses text for numbers and booleans, a serial number and ISO text
      sheet.getRow(5).values = [" Gadget ", "7", 19.99, "remark", "no", 45000, "2024-05-31T14:30:00Z"];
      // row 6 has something only in a column the template ignores: nothing to import
      sheet.getRow(6).values = [null, null, null, "only a remark"];
      // formulas give their cached results, rich text and hyperlinks their text
      sheet.getRow(7).values = [
        { richText: [{ text: "Super " }, { font: { bold: true }, text: "Widget" }] },
        { formula: "B3*2", result: 6 },
        { formula: "C3-C3", result: 0 },
        "remark",
        { formula: "TRUE()", result: true },
        { formula: "F3+1", result: 45297 },
        null,
        { text: "bob@example.com", hyperlink: "mailto:bob@example.com" },
      ];
      sheet.getCell("F7").numFmt = "yyyy-mm-dd";
    });

    const { header, rows } = await readFile(file);
    expect(header).toMatchObject({ fileType: "xlsx", sheetName: "Products", rowNumber: 2, date1904: false });
    expect(header.ignoredHeaders).toEqual(["Remarks"]);
    expect(rows).toEqual([
      {
        ok: true,
        rowNumber: 3,
        values: {
          name: "Widget",
          quantity: 3,
          unitPrice: 12.5,
          active: true,
          shipDate: "2024-01-05",
          orderedAt: "2024-05-31T14:30:00.000Z",
          email: "ada@example.com",
        },
      },
      {
        ok: true,
        rowNumber: 5,
        values: {
          name: "Gadget",
          quantity: 7,
          unitPrice: 19.99,
          active: false,
          shipDate: "2023-03-15",
          orderedAt: "2024-05-31T14:30:00.000Z",
          email: null,
        },
      },
      {
        ok: true,
        rowNumber: 7,
        values: {
          name: "Super Widget",
          quantity: 6,
          unitPrice: 0,
          active: true,
          shipDate: "2024-01-06",
          orderedAt: null,
          email: "bob@example.com",
        },
      },
    ]);
  });

  it("reports every invalid cell of a row with its row number, column, message and original value", async () => {
    const file = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet("Products");
      sheet.addRow(["Name", "Quantity", "Unit Price", "Active", "Ship Date", "Ordered At", "Contact Email"]);
      sheet.addRow(["Fine", 1]);
      sheet.addRow([]);
      sheet.addRow(["Broken", 1.5, "1,5", "maybe", "31/12/2024", "soon", "bob@"]);
      sheet.addRow(["  ", { error: "#N/A" }, null, null, utc(2024, 1, 5)]);
      sheet.getCell("E5").numFmt = "dd/mm/yyyy";
    });

    const { rows, invalid } = await readFile(file);
    expect(rows.map((row) => [row.rowNumber, row.ok])).toEqual([
      [2, true],
      [4, false],
      [5, false],
    ]);
    expect(invalid[0]).toEqual({
      ok: false,
      rowNumber: 4,
      errors: [
        { rowNumber: 4, column: "Quantity", message: "Expected a whole number, got 1.5.", value: "1.5" },
        {
          rowNumber: 4,
          column: "Unit Price",
          message:
            'Expected a number, got "1,5". This template writes numbers with a decimal point, e.g. 1234.5 ' +
            "or 1,234.5.",
          value: "1,5",
        },
        {
          rowNumber: 4,
          column: "Active",
          message: 'Expected yes/no, true/false or 1/0, got "maybe".',
          value: "maybe",
        },
        {
          rowNumber: 4,
          column: "Ship Date",
          message: 'Expected a date like 2024-05-31 (YYYY-MM-DD), got "31/12/2024".',
          value: "31/12/2024",
        },
        {
          rowNumber: 4,
          column: "Ordered At",
          message: 'Expected a date and time like 2024-05-31T14:30:00Z (or just a date), got "soon".',
          value: "soon",
        },
        {
          rowNumber: 4,
          column: "Contact Email",
          message: 'Expected an email address like name@example.com, got "bob@".',
          value: "bob@",
        },
      ],
      raw: {
        name: "Broken",
        quantity: "1.5",
        unitPrice: "1,5",
        active: "maybe",
        shipDate: "31/12/2024",
        orderedAt: "soon",
        email: "bob@",
      },
    });
    expect(invalid[1]).toEqual({
      ok: false,
      rowNumber: 5,
      errors: [
        { rowNumber: 5, column: "Name", message: "This column is required, but the cell is empty.", value: null },
        { rowNumber: 5, column: "Quantity", message: "The cell contains the error #N/A.", value: "#N/A" },
      ],
      raw: {
        name: "  ",
        quantity: "#N/A",
        unitPrice: null,
        active: null,
        shipDate: "2024-01-05",
        orderedAt: null,
        email: null,
      },
    });
  });

  it("respects the workbook's 1904 date system for date cells and serial numbers", async () => {
    const build = (date1904: boolean) =>
      xlsxOf((workbook) => {
        workbook.properties.date1904 = date1904;
        const sheet = workbook.addWorksheet("Dates");
        sheet.addRow(["Name", "Quantity", "Ship Date", "Ordered At"]);
        sheet.addRow(["a", 1, 45000, 45000.25]);
        sheet.getCell("C2").numFmt = "yyyy-mm-dd";
      });
    const in1900 = await readFile(await build(false));
    const in1904 = await readFile(await build(true));
    expect(in1900.header.date1904).toBe(false);
    expect(in1904.header.date1904).toBe(true);
    expect(in1900.valid[0]?.values).toMatchObject({ shipDate: "2023-03-15", orderedAt: "2023-03-15T06:00:00.000Z" });
    expect(in1904.valid[0]?.values).toMatchObject({ shipDate: "2027-03-16", orderedAt: "2027-03-16T06:00:00.000Z" });
  });

  it("fails on an empty workbook", async () => {
    const file = await xlsxOf((workbook) => workbook.addWorksheet("Empty"));
    await expect(readFile(file)).rejects.toMatchObject({
      name: "PermanentImportError",
      code: "NO_HEADER_ROW",
      message: "The file has no header row: all of its sheets are empty.",
    });
  });

  it("names missing required columns", async () => {
    const file = await xlsxOf((workbook) => workbook.addWorksheet("A").addRow(["Name", "Remarks"]));
    await expect(readFile(file)).rejects.toMatchObject({
      code: "MISSING_COLUMNS",
      message: "Missing required column(s): Quantity. The file's headers are: Name, Remarks.",
    });
  });
});

describe("reading hand-written .xlsx parts", () => {
  const columns: TemplateColumn[] = [
    { key: "name", header: "Name", type: "STRING", required: true },
    { key: "day", header: "Day", type: "DATE", required: false },
    { key: "flag", header: "Flag", type: "BOOLEAN", required: false },
    { key: "amount", header: "Amount", type: "DECIMAL", required: false },
  ];
  const headerRow =
    `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>` +
    `<c r="C2" t="s"><v>2</v></c><c r="D2" t="s"><v>3</v></c></row>`;

  it.each([1, 0])(
    "reads shared, inline and rich text, typed formula results and error cells (%i sheets before the strings)",
    async (sheetsBeforeStrings) => {
      const file = handWrittenXlsx({
        sheetsBeforeStrings,
        sharedStrings: ["Name", "Day", "Flag", "Amount", "<r><t>Super </t></r><r><rPr><b/></rPr><t>Widget</t></r>"],
        sheetData:
          headerRow +
          `<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" s="${STYLE.date}"><v>45296</v></c>` +
          `<c r="C3" t="b"><v>1</v></c><c r="D3" s="${STYLE.number}"><v>1234.5</v></c></row>` +
          `<row r="5"><c r="A5" t="inlineStr"><is><t>Inline &amp; escaped</t></is></c>` +
          `<c r="B5" s="${STYLE.date}"><f>B3+1</f><v>45297</v></c>` +
          `<c r="C5" t="b"><f>TRUE()</f><v>1</v></c><c r="D5" t="str"><f>"4"&amp;"2"</f><v>42</v></c></row>` +
          `<row r="6"><c r="A6" t="str"><f>"x"</f><v>x</v></c><c r="B6" t="e"><v>#DIV/0!</v></c>` +
          `<c r="D6" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>` +
          // a formula filled down: the later cells only point at the first one's formula
          `<row r="7"><c r="A7" t="inlineStr"><is><t>shared</t></is></c>` +
          `<c r="D7"><f t="shared" ref="D7:D8" si="0">D3-D3</f><v>0</v></c></row>` +
          `<row r="8"><c r="A8" t="inlineStr"><is><t>shared 2</t></is></c><c r="D8"><f t="shared" si="0"/><v>0</v></c></row>` +
          `<row r="9"><c r="A9" t="inlineStr"><is><t>not calculated</t></is></c><c r="D9"><f>D3*2</f></c></row>`,
      });
      const { header, rows } = await readFile(file, columns);
      expect(header).toMatchObject({ rowNumber: 2, sheetName: "Data" });
      expect(rows).toEqual([
        { ok: true, rowNumber: 3, values: { name: "Super Widget", day: "2024-01-05", flag: true, amount: 1234.5 } },
        { ok: true, rowNumber: 5, values: { name: "Inline & escaped", day: "2024-01-06", flag: true, amount: 42 } },
        {
          ok: false,
          rowNumber: 6,
          errors: [
            { rowNumber: 6, column: "Day", message: "The cell contains the error #DIV/0!.", value: "#DIV/0!" },
            { rowNumber: 6, column: "Amount", message: "The cell contains the error #DIV/0!.", value: "#DIV/0!" },
          ],
          raw: { name: "x", day: "#DIV/0!", flag: null, amount: "#DIV/0!" },
        },
        { ok: true, rowNumber: 7, values: { name: "shared", day: null, flag: null, amount: 0 } },
        { ok: true, rowNumber: 8, values: { name: "shared 2", day: null, flag: null, amount: 0 } },
        {
          ok: false,
          rowNumber: 9,
          errors: [
            {
              rowNumber: 9,
              column: "Amount",
              message: "The cell's formula has no saved result. Open the file in Excel, save it, and upload it again.",
              value: "=D3*2",
            },
          ],
          raw: { name: "not calculated", day: null, flag: null, amount: "=D3*2" },
        },
      ]);
    },
  );

  it("honours date1904 as Excel and LibreOffice write it", async () => {
    const sheetData =
      headerRow +
      `<row r="3"><c r="A3" t="inlineStr"><is><t>a</t></is></c><c r="B3" s="${STYLE.date}"><v>0</v></c></row>` +
      `<row r="4"><c r="A4" t="inlineStr"><is><t>b</t></is></c><c r="B4"><v>1</v></c></row>`;
    const strings = ["Name", "Day", "Flag", "Amount"];
    const in1904 = await readFile(handWrittenXlsx({ sheetData, sharedStrings: strings, date1904: true }), columns);
    expect(in1904.valid.map((row) => row.values.day)).toEqual(["1904-01-01", "1904-01-02"]);
    const spelledOut = await readFile(
      handWrittenXlsx({ sheetData, sharedStrings: strings, date1904: "true" }),
      columns,
    );
    expect(spelledOut.header.date1904).toBe(true);
    expect(spelledOut.valid.map((row) => row.values.day)).toEqual(["1904-01-01", "1904-01-02"]);
    const in1900 = await readFile(handWrittenXlsx({ sheetData, sharedStrings: strings }), columns);
    // serial 0 is Excel's "1900-01-00": not a date
    expect(in1900.invalid[0]?.errors[0]?.message).toBe(
      "Expected a date like 2024-05-31 (YYYY-MM-DD), got the time 00:00:00.",
    );
    expect(in1900.valid.map((row) => row.values.day)).toEqual(["1900-01-01"]);
  });

  it("keeps Excel's 1900 leap-year bug in mind for early dates", async () => {
    const cell = (row: number, serial: number) =>
      `<row r="${row}"><c r="A${row}" t="inlineStr"><is><t>r${row}</t></is></c>` +
      `<c r="B${row}" s="${STYLE.date}"><v>${serial}</v></c></row>`;
    const file = handWrittenXlsx({
      sharedStrings: ["Name", "Day", "Flag", "Amount"],
      sheetData: headerRow + cell(3, 59) + cell(4, 61) + cell(5, 36526) + cell(6, 60),
    });
    const { rows } = await readFile(file, columns);
    expect(rows.map((row) => (row.ok ? row.values.day : row.errors[0]?.message))).toEqual([
      "1900-02-28",
      "1900-03-01",
      "2000-01-01",
      "The cell does not hold a date Excel can show.",
    ]);
  });

  it("keeps the sheets' order when some must wait for the shared strings", async () => {
    const file = handWrittenXlsx({
      sharedStrings: ["Name", "Day", "Flag", "Amount"],
      sheetData: headerRow + `<row r="3"><c r="A3" t="inlineStr"><is><t>first</t></is></c></row>`,
      extraSheets: [
        {
          name: "Second",
          sheetData: headerRow + `<row r="3"><c r="A3" t="inlineStr"><is><t>second</t></is></c></row>`,
        },
      ],
      sheetsBeforeStrings: 1,
    });
    const { header, rows } = await readFile(file, columns);
    expect(header.sheetName).toBe("Data");
    expect(rows.map((row) => row.ok && row.values.name)).toEqual(["first"]);
  });

  it("reads the first sheet that has data", async () => {
    const file = handWrittenXlsx({
      sharedStrings: ["Name", "Day", "Flag", "Amount"],
      sheetData: `<row r="1"><c r="A1" t="inlineStr"><is><t>  </t></is></c></row>`,
      extraSheets: [
        {
          name: "Real data",
          sheetData: headerRow + `<row r="3"><c r="A3" t="inlineStr"><is><t>yes</t></is></c></row>`,
        },
        { name: "Ignored", sheetData: headerRow + `<row r="3"><c r="A3" t="inlineStr"><is><t>no</t></is></c></row>` },
      ],
    });
    const { header, rows } = await readFile(file, columns);
    expect(header.sheetName).toBe("Real data");
    expect(rows).toEqual([{ ok: true, rowNumber: 3, values: { name: "yes", day: null, flag: null, amount: null } }]);
  });
});

describe("damaged .xlsx files", () => {
  const expectPermanent = async (bytes: Buffer, code: string, message: string | RegExp) => {
    const error: unknown = await readFile(bytes).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PermanentImportError);
    const { code: actualCode, message: actualMessage } = error as PermanentImportError;
    expect(actualCode).toBe(code);
    expect(actualMessage).toMatch(message);
    expect(actualMessage).not.toMatch(/undefined|Cannot read|FILE_ENDED|signature/i);
  };

  it("rejects a truncated workbook as damaged", async () => {
    const file = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet("A");
      sheet.addRow(["Name", "Quantity"]);
      for (let i = 0; i < 2000; i++) sheet.addRow([`item ${i}`, i]);
    });
    await expectPermanent(
      file.subarray(0, Math.floor(file.length / 2)),
      "CORRUPT_FILE",
      /^This file is not a valid Excel workbook: it is damaged or incomplete\./,
    );
  });

  it("rejects a zip archive without a workbook", async () => {
    const file = zipOf([
      ["readme.txt", "hello"],
      ["data/list.csv", "Name,Quantity\nx,1\n"],
    ]);
    await expectPermanent(
      file,
      "CORRUPT_FILE",
      "This file is not a valid Excel workbook: it is a zip archive without a workbook inside. Upload an .xlsx, .xls or .csv file.",
    );
  });

  it("rejects garbage behind a zip signature", async () => {
    const file = Buffer.concat([Buffer.from("PK\x03\x04", "latin1"), Buffer.alloc(5000, 7)]);
    await expectPermanent(file, "CORRUPT_FILE", /^This file is not a valid Excel workbook/);
  });

  it("passes a failing upload stream's error through, not as a damaged file", async () => {
    const file = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet("A");
      sheet.addRow(["Name", "Quantity"]);
      for (let i = 0; i < 5000; i++) sheet.addRow([`item ${i}`, i]);
    });
    const failure = new Error("connection reset by peer");
    const open = () =>
      Readable.from(
        (async function* () {
          yield file.subarray(0, 4000);
          throw failure;
        })(),
      );
    const { openSpreadsheet } = await import("../../src/spreadsheet/index.js");
    await expect(
      openSpreadsheet({ open }, [{ key: "name", header: "Name", type: "STRING", required: true }]),
    ).rejects.toBe(failure);
  });
});

/** Reads a file's raw rows (no template), as the import's reader sees them. */
async function readRaw(bytes: Buffer, kind: "xlsx" | "xls", sheet?: string) {
  const info: SheetInfo = { date1904: false, sheetName: null, sheets: [], encoding: null, delimiter: null };
  const rows: RawRow[] = [];
  for await (const batch of readRows(kind, new ByteSource(streamOf(bytes)), info, sheet)) rows.push(...batch);
  return { info, rows: rows.map((row) => [row.rowNumber, ...row.cells]) };
}

async function readCorpus(name: string, sheet?: string) {
  const bytes = await readFileBytes(new URL(`../fixtures/real/${name}`, import.meta.url));
  return readRaw(bytes, name.endsWith(".xls") ? "xls" : "xlsx", sheet);
}

/** The same zip with `first` moved to the front. */
async function movedFirst(file: Buffer, first: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(file);
  const names = Object.keys(zip.files).filter((name) => !zip.files[name]?.dir);
  const ordered = [first, ...names.filter((name) => name !== first)];
  return zipOf(
    await Promise.all(
      ordered.map(async (name): Promise<[string, Buffer]> => [name, await zip.file(name)!.async("nodebuffer")]),
    ),
  );
}

describe("which sheet of a workbook written by a real program is read", () => {
  const libreOffice = [
    [1, "Q3 sales report"],
    [3, "Name", "Quantity", "Unit Price", "Active", "Ship Date", "Ordered At", "Contact Email", "SKU"],
  ];
  const products = [[1, "Name", "Quantity", "Unit Price", "Active", "Ship Date", "Ordered At", "Contact Email"]];

  it.each([
    // LibreOffice stores sheet1.xml (Sales) after the others in the second file
    ["libreoffice.xlsx", "Sales", ["Sales", "Notes"], libreOffice],
    ["libreoffice-sheet1-last.xlsx", "Sales", ["Sales", "Notes"], libreOffice],
    ["libreoffice.xls", "Sales", ["Sales", "Notes"], libreOffice],
    // the hidden Lookup comes first, in the zip and in the workbook
    ["openpyxl-hidden-first.xlsx", "Products", ["Products"], products],
    ["openpyxl.xlsm", "Products", ["Products"], products],
    ["openpyxl-1904.xlsx", "Products", ["Products"], products],
    // workbook.xml last in the zip
    ["sheetjs.xlsx", "Products", ["Products"], products],
    ["exceljs.xlsx", "Products", ["Products", "Notes"], products],
    ["excel-part-order.xlsx", "Products", ["Products", "Notes"], products],
  ])("%s: the sheet %s of %j", async (file, sheetName, sheets, head) => {
    const { info, rows } = await readCorpus(file);
    expect(info).toMatchObject({ sheetName, sheets });
    expect(rows.slice(0, head.length)).toEqual(head);
  });

  it.each(["libreoffice.xlsx", "libreoffice-sheet1-last.xlsx", "libreoffice.xls"])(
    "%s: reads the sheet asked for, by its exact name or ignoring case",
    async (file) => {
      const notes = await readCorpus(file, "Notes");
      expect(notes.info).toMatchObject({ sheetName: "Notes", sheets: ["Sales", "Notes"] });
      expect(notes.rows[0]).toEqual([1, "Note", "Value"]);
      expect(notes.rows[1]).toEqual([2, "Prices exclude VAT", 0.19]);
      const lower = await readCorpus(file, "notes");
      expect(lower.info.sheetName).toBe("Notes");
      expect(lower.rows).toEqual(notes.rows);
    },
  );

  it.each(["libreoffice-sheet1-last.xlsx", "libreoffice.xls"])(
    "%s: a sheet that is not there, or hidden, is refused naming the sheets there are",
    async (file) => {
      for (const name of ["Q4", "Internal"]) {
        await expect(readCorpus(file, name)).rejects.toThrow(
          new PermanentImportError(
            "SHEET_NOT_FOUND",
            `This workbook has no sheet named “${name}”. Its sheets: Sales, Notes.`,
          ),
        );
      }
    },
  );

  it("refuses an empty sheet asked for by name, naming the others", async () => {
    const file = handWrittenXlsx({
      sharedStrings: ["Name"],
      sheetData: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
      extraSheets: [{ name: "Blank", sheetData: "" }],
    });
    await expect(readRaw(file, "xlsx", "blank")).rejects.toThrow(
      new PermanentImportError(
        "NO_HEADER_ROW",
        "The sheet “Blank” has no header row: it is empty. This workbook's sheets: Data, Blank.",
      ),
    );
  });

  it("skips unread the sheets after the first one with data, even when the zip stores them first", async () => {
    const file = handWrittenXlsx({
      sharedStrings: ["Name"],
      sheetData: `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>first</t></is></c></row>`,
      // not well-formed: reading it would fail the file
      extraSheets: [{ name: "Second", sheetData: `<row r="1"><c r="A1"></row>` }],
      sheetsBeforeStrings: 0,
    });
    const { info, rows } = await readRaw(await movedFirst(file, "xl/worksheets/sheet2.xml"), "xlsx");
    expect(info).toMatchObject({ sheetName: "Data", sheets: ["Data", "Second"] });
    expect(rows).toEqual([
      [1, "Name"],
      [2, "first"],
    ]);
    // asked for, the damaged sheet is read and refused
    await expect(readRaw(file, "xlsx", "Second")).rejects.toMatchObject({ code: "CORRUPT_FILE" });
  });

  it("finds a worksheet whose part name differs in case from its relationship's target", async () => {
    const zip = await JSZip.loadAsync(
      handWrittenXlsx({ sharedStrings: ["Name"], sheetData: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` }),
    );
    const sheet = await zip.file("xl/worksheets/sheet1.xml")!.async("nodebuffer");
    zip.remove("xl/worksheets/sheet1.xml");
    zip.file("xl/worksheets/Sheet1.xml", sheet);
    const { info, rows } = await readRaw(await zip.generateAsync({ type: "nodebuffer" }), "xlsx");
    expect(info.sheetName).toBe("Data");
    expect(rows).toEqual([[1, "Name"]]);
  });

  it("falls through an empty first sheet to the next one with data, in workbook order", async () => {
    const file = handWrittenXlsx({
      sharedStrings: ["Name"],
      sheetData: "",
      extraSheets: [
        { name: "Third", sheetData: `<row r="1"><c r="A1" t="inlineStr"><is><t>third</t></is></c></row>` },
        { name: "Fourth", sheetData: `<row r="1"><c r="A1" t="inlineStr"><is><t>fourth</t></is></c></row>` },
      ],
    });
    // worksheets stored 3, 2, 1 (sheet4 last): each waits its turn
    const reordered = await movedFirst(
      await movedFirst(await movedFirst(file, "xl/worksheets/sheet1.xml"), "xl/worksheets/sheet2.xml"),
      "xl/worksheets/sheet3.xml",
    );
    const { info, rows } = await readRaw(reordered, "xlsx");
    expect(info).toMatchObject({ sheetName: "Third", sheets: ["Data", "Third", "Fourth"] });
    expect(rows).toEqual([[1, "third"]]);
  });
});

describe("cells as real programs write them", () => {
  const day = (y: number, m: number, d: number, h = 0, min = 0) => new Date(Date.UTC(y, m - 1, d, h, min));
  const firstProduct = [2, "Zoë Ångström", 3, 2.5, true, day(2024, 7, 1), day(2024, 7, 1, 9, 30), "zoe@example.com"];
  const notCalculated = (formula: string) =>
    new CellError(
      formula,
      "The cell's formula has no saved result. Open the file in Excel, save it, and upload it again.",
    );

  it.each(["libreoffice.xlsx", "libreoffice.xls"])(
    "%s: formula booleans (numbers with a TRUE/FALSE format) are booleans, 15-digit times exact to the millisecond",
    async (file) => {
      const { rows } = await readCorpus(file);
      const byRow = new Map(rows.map(([rowNumber, ...cells]) => [rowNumber, cells]));
      expect(byRow.get(4)).toEqual([
        "Zoë Ångström",
        3,
        2.5,
        true,
        day(2024, 7, 1),
        day(2024, 7, 1, 9, 30),
        "zoe@example.com",
        "00123",
      ]);
      // D5 is =1=2; D8 and D9 are plain booleans; F5 is 45519.7399305556
      expect(byRow.get(5)?.slice(3, 6)).toEqual([false, day(2024, 8, 15), new Date(Date.UTC(2024, 7, 15, 17, 45, 30))]);
      expect(byRow.get(8)?.[3]).toBe(true);
      expect(byRow.get(9)?.[3]).toBe(false);
      expect(byRow.get(10)?.[0]).toBe("Two\nlines");
    },
  );

  it.each([
    // D2 is <c t="b"><f>1=1</f><v>1</v></c>
    "exceljs.xlsx",
    "excel-part-order.xlsx",
    // texts are t="str" cells, dates and date-times both numFmt 14
    "sheetjs.xlsx",
  ])("%s: formula booleans are booleans, not 1", async (file) => {
    const { rows } = await readCorpus(file);
    expect(rows[1]).toEqual(firstProduct);
  });

  it("reads openpyxl's inline strings and 1904 dates, and its formulas that were never calculated as such", async () => {
    const in1900 = await readCorpus("openpyxl.xlsm");
    const in1904 = await readCorpus("openpyxl-1904.xlsx");
    expect(in1904.info.date1904).toBe(true);
    for (const { rows } of [in1900, in1904]) {
      expect(rows.slice(1)).toEqual([
        firstProduct,
        [
          3,
          "東京 Store",
          12,
          1234.56,
          notCalculated("=1=2"),
          day(2024, 8, 15),
          new Date(Date.UTC(2024, 7, 15, 17, 45, 30)),
          "tokyo@example.jp",
        ],
        [4, "Rocket 🚀", notCalculated("=2*6"), 0.1, false, day(2024, 9, 30), day(2024, 9, 30)],
      ]);
    }
  });

  it("reads rich inline strings whole, leaves phonetic guides out, decodes _xHHHH_ and characters split between chunks", async () => {
    const long = "Zoë Ångström 東京 ".repeat(5000);
    const file = handWrittenXlsx({
      sharedStrings: [
        "Name",
        // 東京 with its reading, as Japanese Excel saves it
        '<t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/>',
        "line_x000D_\nbreak",
        long,
      ],
      sheetData:
        `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` +
        `<row r="2"><c r="A2" t="inlineStr"><is><r><t>Super </t></r><r><rPr><b/></rPr><t>Widget</t></r></is></c>` +
        `<c r="B2" t="s"><v>1</v></c><c r="C2" t="s"><v>2</v></c></row>` +
        // cells without r, as some writers leave it out
        `<row><c t="inlineStr"><is><t>no refs</t></is></c><c><v>7</v></c></row>` +
        Array.from({ length: 40 }, (_, i) => `<row r="${i + 4}"><c r="A${i + 4}" t="s"><v>3</v></c></row>`).join(""),
    });
    const { rows } = await readRaw(file, "xlsx");
    expect(rows.slice(0, 3)).toEqual([
      [1, "Name"],
      [2, "Super Widget", "東京", "line\r\nbreak"],
      [3, "no refs", 7],
    ]);
    // streamed in 1,000-byte chunks: a split character would read as U+FFFD
    expect(rows.slice(3).every(([, text]) => text === long)).toBe(true);
    expect(rows).toHaveLength(43);
  });
});
