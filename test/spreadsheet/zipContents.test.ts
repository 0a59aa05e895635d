import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFileType, SNIFF_LENGTH } from "../../src/spreadsheet/index.js";
import { ZipInspector } from "../../src/spreadsheet/zipContents.js";
import { zipOf } from "./fixtures.js";

const real = (name: string) => readFileSync(`test/fixtures/real/${name}`);

/** What {@link ZipInspector} makes of a file fed to it in 7-byte chunks, so names straddle chunks. */
function verdictOf(file: Buffer) {
  const inspector = new ZipInspector();
  for (let i = 0; i < file.length; i += 7) inspector.push(file.subarray(i, i + 7));
  return inspector.verdict(file.subarray(0, SNIFF_LENGTH));
}

const docx = zipOf([
  ["[Content_Types].xml", "<Types/>"],
  ["word/document.xml", "<w:document/>"],
]);
const pptx = zipOf([
  ["[Content_Types].xml", "<Types/>"],
  ["ppt/presentation.xml", "<p:presentation/>"],
]);
const odt = zipOf([
  ["mimetype", "application/vnd.oasis.opendocument.text"],
  ["content.xml", "<office:document-content/>"],
]);
const xlsb = zipOf([
  ["[Content_Types].xml", "<Types/>"],
  ["xl/workbook.bin", "\u0083\u0001"],
]);

describe("zip classification", () => {
  it("tells an .ods by its first entry and an .xlsx by its workbook, from real files", () => {
    expect(detectFileType(real("libreoffice.ods").subarray(0, SNIFF_LENGTH))).toBe("ods");
    expect(verdictOf(real("libreoffice.ods"))).toEqual({ kind: "ods" });
    for (const name of ["libreoffice.xlsx", "excel-part-order.xlsx", "openpyxl.xlsm", "sheetjs.xlsx"]) {
      expect(detectFileType(real(name).subarray(0, SNIFF_LENGTH))).toBe("xlsx");
      expect(verdictOf(real(name))).toEqual({ kind: "xlsx" });
    }
  });

  it("refuses an OpenDocument text from its first bytes", () => {
    expect(detectFileType(odt)).toBe("unsupported");
  });

  it.each([
    ["a Word document", docx, "This is a Word document, not a spreadsheet."],
    ["a PowerPoint file", pptx, "This is a PowerPoint presentation, not a spreadsheet."],
    ["an OpenDocument text", odt, "This is an OpenDocument text document (.odt), not a spreadsheet."],
    ["an .xlsb", xlsb, "This is an Excel binary workbook (.xlsb), which cannot be read: save it as .xlsx."],
    ["any other zip", zipOf([["notes.txt", "hello"]]), "This is a ZIP archive with no spreadsheet inside."],
  ])("names what it found in %s", (_what, file, sentence) => {
    expect(verdictOf(file)).toEqual({
      message: `${sentence} Upload an Excel workbook (.xlsx or .xls), an OpenDocument spreadsheet (.ods) or a CSV file.`,
    });
  });
});
