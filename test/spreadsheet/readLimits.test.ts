import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_READ_LIMITS,
  type FileType,
  openSpreadsheet,
  PermanentImportError,
  type ReadLimits,
  type TemplateColumn,
} from "../../src/spreadsheet/index.js";
import {
  deflatedZip,
  emptySharedStringsXlsx,
  headerRowXml,
  repeatedPart,
  whitespaceSheetFirstXlsx,
  workbookParts,
  worksheetXml,
} from "./bombs.js";
import { streamOf, xlsOf, zipOf } from "./fixtures.js";
import * as XLSX from "@e965/xlsx";

const columns: TemplateColumn[] = [{ key: "name", header: "Name", type: "STRING", required: true }];
const MiB = 1024 * 1024;

/** Reads every row of a file with the given caps; the file arrives in chunks (64 KiB), as an upload would. */
async function readAll(
  file: Buffer | Readable,
  limits?: Partial<ReadLimits>,
  kind?: FileType,
  chunkSize = 64 * 1024,
): Promise<number> {
  const open = () => (Buffer.isBuffer(file) ? streamOf(file, chunkSize) : file);
  const spreadsheet = await openSpreadsheet({ open, kind }, columns, { limits });
  let rows = 0;
  for await (const row of spreadsheet) if (row.ok) rows++;
  return rows;
}

/** The error reading fails with; fails the test if it reads to the end. */
async function failure(file: Buffer | Readable, limits?: Partial<ReadLimits>, kind?: FileType) {
  const rows = await readAll(file, limits, kind).then(
    (rows) => rows,
    (error: unknown) => error,
  );
  expect(rows).toBeInstanceOf(PermanentImportError);
  return rows as PermanentImportError;
}

/**
 * Runs `read` while sampling the process's resident memory; `growth` is its peak above where it
 * started: a coarse bound, enough to tell megabytes from gigabytes.
 */
async function memoryGrowth<T>(read: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  try {
    const result = await read();
    return { result, growth: Math.max(peak, process.memoryUsage().rss) - start };
  } finally {
    clearInterval(sampler);
  }
}

/** A one-sheet .xlsx of `rows` (sheet XML rows after a "Name" header), written by hand and deflated. */
function xlsxWithRows(rows: string, strings?: string[], options?: { dataDescriptor?: boolean }): Buffer {
  const parts: Array<[string, string]> = [
    ...workbookParts(),
    ["xl/worksheets/sheet1.xml", worksheetXml(headerRowXml(["Name"]) + rows)],
  ];
  if (strings) {
    parts.push([
      "xl/sharedStrings.xml",
      `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${strings.map((s) => `<si><t>${s}</t></si>`).join("")}</sst>`,
    ]);
  }
  return deflatedZip(parts, options);
}

function inlineCell(ref: string, text: string): string {
  return `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
}

/** `count` rows of one text cell each, from row 2 on. */
function textRows(count: number, text = (i: number) => `Item ${i}`): string {
  let xml = "";
  for (let i = 2; i < count + 2; i++) xml += `<row r="${i}">${inlineCell(`A${i}`, text(i))}</row>`;
  return xml;
}

describe("the caps' defaults", () => {
  it("are Excel's own where it has one, and fit a million distinct texts", () => {
    expect(DEFAULT_READ_LIMITS).toMatchObject({
      maxUncompressedBytes: 1024 * MiB,
      maxRows: 1_048_576,
      maxColumns: 16_384,
      maxCellsPerRow: 16_384,
      maxSharedStrings: 5_000_000,
      maxSharedStringsBytes: 128 * MiB,
      maxXlsBytes: 16 * MiB,
    });
  });
});

describe("bytes unpacked from a zip (MAX_UNCOMPRESSED_BYTES)", { timeout: 60_000 }, () => {
  it("counts a part that is only skipped", async () => {
    const file = deflatedZip([
      ...workbookParts(),
      ["xl/media/image1.bin", randomBytes(2 * MiB)],
      ["xl/worksheets/sheet1.xml", worksheetXml(headerRowXml(["Name"]) + textRows(3))],
    ]);
    expect(await readAll(file)).toBe(3);
    const error = await failure(file, { maxUncompressedBytes: MiB });
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe(
      "The file unpacks to more than 1 MiB (MAX_UNCOMPRESSED_BYTES), more than this server reads from one file.",
    );
  });

  it("counts a worksheet parked on disk because it came before the workbook's sheet list", async () => {
    const sheet = worksheetXml(
      headerRowXml(["Name"]) + textRows(30_000, (i) => `Item ${i} ${randomBytes(8).toString("hex")}`),
    );
    const [styles, ...rest] = workbookParts();
    const file = deflatedZip([styles!, ["xl/worksheets/sheet1.xml", sheet], ...rest]);
    expect(await readAll(file)).toBe(30_000);
    const error = await failure(file, { maxUncompressedBytes: MiB });
    expect(error.message).toMatch(/^The file unpacks to more than 1 MiB \(MAX_UNCOMPRESSED_BYTES\)/);
  });

  it("counts an .ods's parts", async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) => `<table:table-row>${odsText(`Item ${i} ${randomBytes(8).toString("hex")}`)}</table:table-row>`,
    );
    const file = odsOf(
      `<table:table table:name="Orders"><table:table-row>${odsText("Name")}</table:table-row>${rows.join("")}</table:table>`,
    );
    expect(await readAll(file)).toBe(20_000);
    const error = await failure(file, { maxUncompressedBytes: MiB });
    expect(error.message).toMatch(/^The file unpacks to more than 1 MiB \(MAX_UNCOMPRESSED_BYTES\)/);
  });
});

describe("the compression ratio of a zip entry", { timeout: 60_000 }, () => {
  it("stops a 2 GiB worksheet of spaces parked before the workbook's sheet list, 2 MB packed, early and leaving nothing on disk", async () => {
    const file = whitespaceSheetFirstXlsx(2 * 1024 * MiB, ["Name"]);
    expect(file.length).toBeLessThan(3 * MiB);
    const { result: error, growth } = await memoryGrowth(() => withTemporaryDirectory(() => failure(file)));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe(
      "The file's part xl/worksheets/sheet1.xml unpacks to more than 100 times its packed size (the compression " +
        "ratio limit), which no real spreadsheet does: it is a zip bomb or damaged.",
    );
    expect(growth).toBeLessThan(200 * MiB);
  });

  it("stops an entry whose sizes come after its data (a data descriptor)", async () => {
    const sheet = repeatedPart(
      `<worksheet><sheetData>${headerRowXml(["Name"])}`,
      " ",
      512 * MiB,
      "</sheetData></worksheet>",
    );
    const file = deflatedZip([...workbookParts(), ["xl/worksheets/sheet1.xml", sheet]], { dataDescriptor: true });
    const error = await failure(file);
    expect(error.message).toMatch(/^The file's part xl\/worksheets\/sheet1.xml unpacks to more than 100 times/);
  });

  it("passes a real sheet of identical rows deflated hard, with or without a data descriptor, checked from its first 64 KiB", async () => {
    const rows = textRows(20_000, () => "The same text on every row");
    for (const dataDescriptor of [false, true]) {
      const file = xlsxWithRows(rows, undefined, { dataDescriptor });
      // in small chunks, so the packed size is known only as far as it came in
      expect(await readAll(file, { ratioCheckAfterBytes: 64 * 1024 }, undefined, 4096)).toBe(20_000);
      // it packs 17:1
      const limits = { ratioCheckAfterBytes: 64 * 1024, maxCompressionRatio: 10 };
      expect((await failure(file, limits)).message).toMatch(/more than 10 times its packed size/);
    }
  });
});

describe("columns", () => {
  it("reads a cell in column XFD, Excel's last, and fails one past it", async () => {
    expect(await readAll(xlsxWithRows(`<row r="2">${inlineCell("A2", "a")}${inlineCell("XFD2", "b")}</row>`))).toBe(1);
    const error = await failure(xlsxWithRows(`<row r="2">${inlineCell("A2", "a")}${inlineCell("XFE2", "b")}</row>`));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe(
      "Row 2 has a cell past column XFD, the last of the 16,384 columns allowed (the column limit).",
    );
  });

  it("counts cells that leave out their reference", async () => {
    const error = await failure(xlsxWithRows(`<row r="2">${"<c><v>1</v></c>".repeat(16_385)}</row>`));
    expect(error.message).toBe(
      "Row 2 has a cell past column XFD, the last of the 16,384 columns allowed (the column limit).",
    );
  });

  it("reads a csv row of 16,384 fields and fails one of 16,385", async () => {
    expect(await readAll(Buffer.from(`Name${",".repeat(16_383)}\nItem${",".repeat(16_383)}\n`))).toBe(1);
    const error = await failure(Buffer.from(`Name\nItem${",x".repeat(16_384)}\n`));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe("Row 2 has 16,385 columns, more than the 16,384 allowed (the column limit).");
  });
});

describe("cells per row", () => {
  it("fails an .xlsx row that names one cell more times than a row has columns", async () => {
    const error = await failure(xlsxWithRows(`<row r="2">${inlineCell("A2", "a").repeat(16_385)}</row>`));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe("Row 2 has more than 16,384 cells (the cells per row limit).");
  });

  it("fails an .ods row of more cell elements than allowed", async () => {
    const file = odsOf(
      `<table:table table:name="Orders"><table:table-row>${odsText("Name")}</table:table-row>` +
        `<table:table-row>${odsText("a")}${"<table:table-cell/>".repeat(20)}</table:table-row></table:table>`,
    );
    expect(await readAll(file)).toBe(1);
    const error = await failure(file, { maxCellsPerRow: 20 });
    expect(error.message).toBe("Row 2 has more than 20 cells (the cells per row limit).");
  });
});

describe("rows", () => {
  it("fails an .ods row with content repeated past row 1,048,576, and reads one repeated up to it", async () => {
    const repeated = (times: number) =>
      odsOf(
        `<table:table table:name="Orders"><table:table-row>${odsText("Name")}</table:table-row>` +
          `<table:table-row table:number-rows-repeated="${times}">${odsText("a")}</table:table-row></table:table>`,
      );
    expect(await readAll(repeated(3), { maxRows: 4 })).toBe(3);
    const error = await failure(repeated(1_000_000_000));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe("Row 2 is repeated past row 1,048,576, the last a sheet may have (the row limit).");
  });
});

describe("the shared strings table", { timeout: 60_000 }, () => {
  it("stops 300 million empty entries (1.5 GB unpacked, 2 MB packed) at the compression ratio, with memory bounded", async () => {
    const file = emptySharedStringsXlsx(300_000_000, ["Name"]);
    const { result: error, growth } = await memoryGrowth(() => failure(file));
    expect(error.message).toMatch(/^The file's part xl\/sharedStrings.xml unpacks to more than 100 times/);
    expect(growth).toBeLessThan(200 * MiB);
  });

  it("stops them at its count cap when the ratio is not checked, with memory bounded", async () => {
    const file = emptySharedStringsXlsx(300_000_000, ["Name"]);
    const { result: error, growth } = await memoryGrowth(() => failure(file, { maxCompressionRatio: Infinity }));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe(
      "The file's shared strings table has more than 5,000,000 entries (the shared strings count limit).",
    );
    // 5 million entries of one shared empty string: 40 MB of pointers; 300 million would be 2.4 GB
    expect(growth).toBeLessThan(400 * MiB);
  });

  it("caps the bytes of text, within one entry too", async () => {
    // 4 + 600 + 400 bytes
    const strings = ["Name", "é".repeat(300), "b".repeat(400)];
    const rows = `<row r="2"><c r="A2" t="s"><v>1</v></c></row>`;
    expect(await readAll(xlsxWithRows(rows, strings), { maxSharedStringsBytes: 1004 })).toBe(1);
    const error = await failure(xlsxWithRows(rows, strings), { maxSharedStringsBytes: 1000 });
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe(
      "The file's shared strings hold more than 1000 bytes of text (the shared strings size limit).",
    );
    const one = await failure(xlsxWithRows(rows, ["Name", "c".repeat(5000)]), { maxSharedStringsBytes: 1000 });
    expect(one.message).toMatch(/more than 1000 bytes of text/);
  });
});

describe("the size of an .xls read whole", { timeout: 60_000 }, () => {
  it("fails a file past the cap as soon as that much came in, before SheetJS reads it", async () => {
    // an OLE2 header, then zeros: never read as a workbook
    const head = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array<number>(504).fill(0)]);
    let sent = 0;
    const upload = Readable.from(
      (function* () {
        yield head;
        for (sent = head.length; sent < 100 * MiB; sent += MiB) yield Buffer.alloc(MiB);
      })(),
    );
    const error = await failure(upload, undefined, "xls");
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe(
      "The file is larger than 16 MiB, the largest Excel 97-2003 workbook (.xls) this server reads (the .xls size limit). " +
        "Save it as .xlsx, and upload it again.",
    );
    expect(sent).toBeLessThan(40 * MiB);
  });

  it("reads a real one under the cap, and fails it with a lower cap", async () => {
    const file = xlsOf([{ name: "Orders", sheet: XLSX.utils.aoa_to_sheet([["Name"], ["a"], ["b"]]) }]);
    expect(await readAll(file)).toBe(2);
    const error = await failure(file, { maxXlsBytes: 1024 });
    expect(error.message).toMatch(/^The file is larger than 1 KiB, the largest Excel 97-2003 workbook/);
  });
});

describe("a csv line", { timeout: 60_000 }, () => {
  it("fails 24 MB of empty columns on one line before splitting it, with memory bounded", async () => {
    const upload = () =>
      Readable.from(
        (function* () {
          yield Buffer.from("Name\n");
          for (let i = 0; i < 24; i++) yield Buffer.alloc(MiB, ",");
        })(),
      );
    const { result: error, growth } = await memoryGrowth(() => failure(upload()));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe("Line 2 of the file is longer than 2,000,000 characters (the line length limit).");
    expect(growth).toBeLessThan(200 * MiB);
  });

  it("counts a line from its last line break, CRLF or not", async () => {
    const file = Buffer.from(`Name\r\nItem\r\n${"x".repeat(11)}\r\n`);
    expect(await readAll(Buffer.from(`Name\r\nItem\r\n${"x".repeat(10)}\r\n`), { maxCsvLineChars: 10 })).toBe(2);
    const error = await failure(file, { maxCsvLineChars: 10 });
    expect(error.message).toBe("Line 3 of the file is longer than 10 characters (the line length limit).");
  });
});

/**
 * Runs `read` with a temporary directory of its own (os.tmpdir() follows TMPDIR), and checks it is
 * left empty: what the reader parked there was removed.
 */
async function withTemporaryDirectory<T>(read: () => Promise<T>): Promise<T> {
  const directory = await mkdtemp(path.join(tmpdir(), "read-limits-"));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = directory;
  try {
    return await read();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    expect(await readdir(directory)).toEqual([]);
    await rm(directory, { recursive: true });
  }
}

const ODS_MIME_TYPE = "application/vnd.oasis.opendocument.spreadsheet";

/** An .ods of the given `<table:table>` elements (stored, not deflated). */
function odsOf(tables: string): Buffer {
  const content =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ' +
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ' +
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">' +
    `<office:body><office:spreadsheet>${tables}</office:spreadsheet></office:body></office:document-content>`;
  return zipOf([
    ["mimetype", ODS_MIME_TYPE],
    ["content.xml", content],
  ]);
}

function odsText(value: string): string {
  return `<table:table-cell office:value-type="string"><text:p>${value}</text:p></table:table-cell>`;
}
