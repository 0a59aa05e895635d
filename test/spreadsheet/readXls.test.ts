import * as XLSX from "@e965/xlsx";
import { describe, expect, it } from "vitest";
import { PermanentImportError } from "../../src/spreadsheet/index.js";
import { readFile, xlsOf } from "./fixtures.js";

/** A sheet from rows of cell objects (`null` for no cell), starting at A1. */
function sheetOf(rows: Array<Array<XLSX.CellObject | null>>): XLSX.WorkSheet {
  const sheet: XLSX.WorkSheet = {};
  let maxColumn = 0;
  rows.forEach((row, r) =>
    row.forEach((cell, c) => {
      if (!cell) return;
      sheet[XLSX.utils.encode_cell({ r, c })] = cell;
      maxColumn = Math.max(maxColumn, c);
    }),
  );
  sheet["!ref"] = XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows.length - 1, c: maxColumn } });
  return sheet;
}
const s = (v: string): XLSX.CellObject => ({ t: "s", v });
const n = (v: number, z?: string): XLSX.CellObject => (z ? { t: "n", v, z } : { t: "n", v });
const b = (v: boolean): XLSX.CellObject => ({ t: "b", v });

const header = [
  s("Name"),
  s("QUANTITY"),
  s("unitPrice"),
  s("Active"),
  s("Ship Date"),
  s("Ordered At"),
  s("Contact Email"),
  s("Extra"),
];

describe("reading .xls", () => {
  it("reads typed values from the first sheet with data, with true row numbers", async () => {
    const data = sheetOf([
      [],
      header,
      [
        s("Widget"),
        n(3),
        n(12.5),
        b(true),
        n(45296, "yyyy-mm-dd"),
        n(45296.5, "yyyy-mm-dd hh:mm"),
        s("Ada@Example.com"),
        s("x"),
      ],
      [],
      [s(" Gadget "), s("7"), s("19.99"), s("no"), n(45000), s("2024-05-31 14:30"), null, null],
      // a formula cell keeps its cached result
      [s("Formula"), { t: "n", v: 6, f: "B3*2" }, null, n(0), null, null, null, null],
      [s("Broken"), n(1.5), s("abc"), s("maybe"), s("tomorrow"), null, s("bob@"), null],
      [s("Error"), { t: "e", v: 0x2a }, null, null, null, null, null, null],
    ]);
    const file = xlsOf([
      { name: "Cover", sheet: sheetOf([[null]]) },
      { name: "Products", sheet: data },
    ]);

    const result = await readFile(file);
    expect(result.header).toMatchObject({ fileType: "xls", sheetName: "Products", rowNumber: 2, date1904: false });
    expect(result.header.ignoredHeaders).toEqual(["Extra"]);
    expect(result.valid).toEqual([
      {
        ok: true,
        rowNumber: 3,
        values: {
          name: "Widget",
          quantity: 3,
          unitPrice: 12.5,
          active: true,
          shipDate: "2024-01-05",
          orderedAt: "2024-01-05T12:00:00.000Z",
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
        rowNumber: 6,
        values: {
          name: "Formula",
          quantity: 6,
          unitPrice: null,
          active: false,
          shipDate: null,
          orderedAt: null,
          email: null,
        },
      },
    ]);
    expect(result.invalid.map((row) => [row.rowNumber, row.errors.map((e) => [e.column, e.value])])).toEqual([
      [
        7,
        [
          ["Quantity", "1.5"],
          ["Unit Price", "abc"],
          ["Active", "maybe"],
          ["Ship Date", "tomorrow"],
          ["Contact Email", "bob@"],
        ],
      ],
      [8, [["Quantity", "#N/A"]]],
    ]);
    expect(result.invalid[1]?.errors[0]?.message).toBe("The cell contains the error #N/A.");
  });

  it("respects the workbook's 1904 date system", async () => {
    const sheet = () =>
      sheetOf([
        [s("Name"), s("Quantity"), s("Ship Date")],
        [s("a"), n(1), n(45000, "yyyy-mm-dd")],
        [s("b"), n(2), n(0)],
      ]);
    const in1904 = await readFile(xlsOf([{ name: "A", sheet: sheet() }], true));
    expect(in1904.header.date1904).toBe(true);
    expect(in1904.valid.map((row) => row.values.shipDate)).toEqual(["2027-03-16", "1904-01-01"]);
    const in1900 = await readFile(xlsOf([{ name: "A", sheet: sheet() }], false));
    expect(in1900.valid.map((row) => row.values.shipDate)).toEqual(["2023-03-15"]);
    expect(in1900.invalid[0]?.errors[0]?.message).toBe(
      "Expected a date like 2024-05-31 (YYYY-MM-DD), got the number 0, which is not a valid Excel date.",
    );
  });

  it("rejects a damaged file with a readable message", async () => {
    const file = xlsOf([{ name: "A", sheet: sheetOf([[s("Name"), s("Quantity")]]) }]);
    for (const damaged of [file.subarray(0, 1000), Buffer.concat([file.subarray(0, 8), Buffer.alloc(2000, 1)])]) {
      const error: unknown = await readFile(damaged).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentImportError);
      expect(error).toMatchObject({
        code: "CORRUPT_FILE",
        message:
          "This file is not a valid Excel 97-2003 workbook (.xls): it is damaged, or it is another kind of " +
          "Office document. Open it in Excel, save it as .xlsx, and upload it again.",
      });
    }
  });

  it("recognises a password-protected workbook and other Office documents", async () => {
    const compoundFile = (streams: Record<string, Buffer>) => {
      const cfb = XLSX.CFB.utils.cfb_new();
      for (const [name, content] of Object.entries(streams)) XLSX.CFB.utils.cfb_add(cfb, name, content);
      return Buffer.from(XLSX.CFB.write(cfb, { type: "buffer" }) as Uint8Array);
    };
    // an encrypted .xlsx is an OLE2 file holding the encrypted zip
    const encrypted = compoundFile({
      "/EncryptionInfo": Buffer.alloc(200, 1),
      "/EncryptedPackage": Buffer.alloc(5000),
    });
    await expect(readFile(encrypted)).rejects.toMatchObject({
      code: "CORRUPT_FILE",
      message: "This workbook is password-protected. Remove the password in Excel, save it, and upload it again.",
    });
    const wordDocument = compoundFile({ "/WordDocument": Buffer.alloc(5000, 3) });
    await expect(readFile(wordDocument)).rejects.toMatchObject({
      code: "CORRUPT_FILE",
      message: expect.stringMatching(/^This file is not a valid Excel 97-2003 workbook \(\.xls\)/),
    });
  });

  it("rejects a workbook whose sheets are all empty", async () => {
    await expect(readFile(xlsOf([{ name: "A", sheet: sheetOf([[null]]) }]))).rejects.toMatchObject({
      code: "NO_HEADER_ROW",
    });
  });
});
