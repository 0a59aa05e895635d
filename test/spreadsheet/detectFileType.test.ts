import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { detectFileType, SNIFF_LENGTH } from "../../src/spreadsheet/index.js";
import { xlsOf, xlsxOf } from "./fixtures.js";
import * as XLSX from "@e965/xlsx";

const PNG_HEADER = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
]);

describe("detectFileType", () => {
  it("recognises an xlsx by its zip signature, whatever it is called", async () => {
    const xlsx = await xlsxOf((workbook) => workbook.addWorksheet("A").addRow(["x"]));
    expect(detectFileType(xlsx.subarray(0, SNIFF_LENGTH))).toBe("xlsx");
    expect(detectFileType(Buffer.from("PK\x03\x04rest of a zip", "latin1"))).toBe("xlsx");
  });

  it("recognises an xls by its OLE2 signature", () => {
    const xls = xlsOf([{ name: "A", sheet: XLSX.utils.aoa_to_sheet([["x"]]) }]);
    expect(detectFileType(xls.subarray(0, SNIFF_LENGTH))).toBe("xls");
  });

  it("takes UTF-8 text as csv, with or without a BOM, and an empty file too", () => {
    expect(detectFileType(Buffer.from("Name,Quantity\nWidget,3\n"))).toBe("csv");
    expect(detectFileType(Buffer.from("\ufeffNamé;Größe\n"))).toBe("csv");
    expect(detectFileType(new Uint8Array(0))).toBe("csv");
  });

  it("tolerates a multi-byte character cut off at the end of the sample", () => {
    const text = Buffer.from("a,b\n" + "é".repeat(10), "utf8");
    expect(detectFileType(text.subarray(0, text.length - 1))).toBe("csv");
    const euro = Buffer.from("€", "utf8"); // 3 bytes
    expect(detectFileType(Buffer.concat([Buffer.from("x,"), euro.subarray(0, 2)]))).toBe("csv");
  });

  it("rejects a PNG", () => {
    expect(detectFileType(PNG_HEADER)).toBe("unsupported");
  });

  it("takes Windows-1252 text and UTF-16 text with a BOM as csv", () => {
    // Excel's "CSV (Comma delimited)": é = 0xE9 followed by ASCII is invalid UTF-8
    expect(detectFileType(Buffer.from("Name\ncaf\xe9,x\n", "latin1"))).toBe("csv");
    // Excel's "Unicode Text": UTF-16 LE with a BOM, full of NUL bytes
    expect(detectFileType(Buffer.from("\ufeffName\tQuantity\n", "utf16le"))).toBe("csv");
    expect(detectFileType(Buffer.from("\ufeffName\tQuantity\n", "utf16le").swap16())).toBe("csv");
    // curly quotes (0x93, 0x94) are characters in Windows-1252, not the C1 controls of Latin-1
    expect(detectFileType(Buffer.from("Name,Note\nA,\x93quoted\x94\n".repeat(10), "latin1"))).toBe("csv");
    // an old file ending in Ctrl-Z
    expect(detectFileType(Buffer.from(`Name\n${"x\n".repeat(50)}\x1a`))).toBe("csv");
  });

  it("rejects binary data, NUL characters and many control characters", () => {
    expect(detectFileType(randomBytes(4096))).toBe("unsupported");
    // without NUL bytes, random bytes read as Windows-1252 are full of control characters
    expect(detectFileType(randomBytes(4096).map((byte) => byte || 1))).toBe("unsupported");
    expect(detectFileType(Buffer.from("Name,Quantity\n\0\0\0\n"))).toBe("unsupported");
    expect(detectFileType(Buffer.from("Name,Quantity\n\x01\x02\x03\n"))).toBe("unsupported");
    // UTF-16 without a BOM is not recognised; its NUL bytes give it away
    expect(detectFileType(Buffer.from("Name\tQuantity\n", "utf16le"))).toBe("unsupported");
    // a BOM does not make binary data text
    expect(detectFileType(Buffer.concat([Buffer.from([0xff, 0xfe]), PNG_HEADER]))).toBe("unsupported");
  });

  it("only looks at the first SNIFF_LENGTH bytes", () => {
    const text = Buffer.concat([Buffer.alloc(SNIFF_LENGTH, "a"), Buffer.from([0, 0xff])]);
    expect(detectFileType(text)).toBe("csv");
  });
});
