import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import v8 from "node:v8";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import {
  openSpreadsheet,
  type ParsedRow,
  PermanentImportError,
  type ReadOptions,
  readSpreadsheet,
  type SpreadsheetHeader,
} from "../../src/spreadsheet/index.js";
import { corpusBytes, corpusFile } from "../helpers/corpus.js";
import { productColumns, readFile, streamOf, xlsxOf } from "./fixtures.js";

// a full garbage collection on demand, so a test can measure what stays reachable
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
  randomBytes(200),
]);

describe("readSpreadsheet", () => {
  it("reports the header before the first row", async () => {
    const events: string[] = [];
    let header: SpreadsheetHeader | undefined;
    const csv = "Name,Quantity\nA,1\nB,2\n";
    for await (const row of readSpreadsheet({ stream: streamOf(csv) }, productColumns, {
      onHeader: (h) => {
        header = h;
        events.push("header");
      },
    })) {
      events.push(`row ${row.rowNumber}`);
    }
    expect(events).toEqual(["header", "row 2", "row 3"]);
    expect(header?.columns.map((c) => c.index)).toEqual([0, 1, null, null, null, null, null]);
  });

  it("detects the type from the bytes, not the name, and uses a given kind as is", async () => {
    const xlsx = await xlsxOf((workbook) => workbook.addWorksheet("A").addRow(["Name", "Quantity"]));
    expect((await readFile(xlsx)).header.fileType).toBe("xlsx");
    for (const kind of ["xlsx", "xls"] as const) {
      await expect(readFile("Name,Quantity\nA,1\n", productColumns, kind)).rejects.toMatchObject({
        code: "CORRUPT_FILE",
      });
    }
  });

  it("rejects a PNG and random binary data as unsupported", async () => {
    for (const bytes of [PNG, randomBytes(5000)]) {
      await expect(readFile(bytes)).rejects.toThrow(
        new PermanentImportError(
          "UNSUPPORTED_FILE_TYPE",
          "This file type is not supported. Upload an Excel workbook (.xlsx, .xlsm or .xls), an OpenDocument spreadsheet (.ods), or a text file (.csv, .tsv or .txt).",
        ),
      );
    }
  });

  it("releases the upload's stream when the reader stops early", async () => {
    const csv = `Name,Quantity\n${"a,1\n".repeat(50_000)}`;
    const stream = streamOf(csv, 64 * 1024);
    const rows: ParsedRow[] = [];
    for await (const row of readSpreadsheet({ stream }, productColumns)) {
      rows.push(row);
      if (rows.length === 3) break;
    }
    expect(rows.map((row) => row.rowNumber)).toEqual([2, 3, 4]);
    expect(stream.destroyed).toBe(true);
  });

  it("removes the worksheets it parked on disk when the reader stops early", async () => {
    // a private temporary directory, so files of tests running in parallel do not interfere
    const originalTmpdir = process.env.TMPDIR;
    const privateTmp = await mkdtemp(path.join(tmpdir(), "parking-test-"));
    process.env.TMPDIR = privateTmp;
    try {
      // exceljs writes worksheets before the shared strings, so the sheet is parked in a file
      const xlsx = await xlsxOf((workbook) => {
        const sheet = workbook.addWorksheet("A");
        sheet.addRow(["Name", "Quantity"]);
        for (let i = 0; i < 5000; i++) sheet.addRow([`item ${i}`, i]);
      });
      const stream = streamOf(xlsx, 16 * 1024);
      const rows: ParsedRow[] = [];
      for await (const row of readSpreadsheet({ stream }, productColumns)) {
        expect(await readdir(privateTmp)).toHaveLength(1);
        rows.push(row);
        if (rows.length === 2) break;
      }
      expect(rows.map((row) => row.ok && row.values.name)).toEqual(["item 0", "item 1"]);
      expect(stream.destroyed).toBe(true);
      expect(await readdir(privateTmp)).toEqual([]);
    } finally {
      if (originalTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = originalTmpdir;
      await rm(privateTmp, { recursive: true, force: true });
    }
  });

  it("releases the upload's stream when the header is rejected", async () => {
    const stream = streamOf("Name,Nothing else\na,b\n");
    await expect(openSpreadsheet({ stream }, productColumns)).rejects.toMatchObject({ code: "MISSING_COLUMNS" });
    expect(stream.destroyed).toBe(true);
  });

  it("streams a large csv holding a bounded amount of memory, far less than its rows", async () => {
    const rowCount = 200_000;
    async function* lines() {
      yield "Name,Quantity,Unit Price\n";
      for (let i = 0; i < rowCount; i += 1000) {
        let chunk = "";
        for (let j = i; j < i + 1000; j++) chunk += `item ${j},${j},${j}.5\n`;
        yield chunk;
      }
    }
    // what stays reachable after a full collection, measured before and halfway through
    const retained = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = retained();
    const spreadsheet = await openSpreadsheet({ open: () => Readable.from(lines()) }, productColumns);
    let count = 0;
    let last: ParsedRow | undefined;
    let halfway = 0;
    const kept: ParsedRow[] = [];
    for await (const row of spreadsheet) {
      count++;
      last = row;
      if (count <= 1_000) kept.push(row);
      if (count === rowCount / 2) halfway = retained() - before;
    }
    expect(count).toBe(rowCount);
    expect(last).toMatchObject({ ok: true, rowNumber: rowCount + 1, values: { quantity: rowCount - 1 } });
    expect(spreadsheet.bytesRead).toBeGreaterThan(rowCount * 10);
    // the first 1,000 parsed rows, held on purpose, show what rows cost; holding the 100,000 read
    // by halfway would cost 100 times that (about 20 MB), and streaming must stay under a quarter
    // of it (it keeps about 1.5 MB: buffers and what the parser set up on first use)
    const withKept = retained();
    kept.length = 0;
    const perThousandRows = withKept - retained();
    expect(perThousandRows).toBeGreaterThan(100 * 1024);
    expect(halfway).toBeLessThan(25 * perThousandRows);
  });
});

/** Reads a whole file with reader options, giving its header row's number and its rows. */
async function readWith(bytes: Buffer | string, options: ReadOptions) {
  const spreadsheet = await openSpreadsheet({ open: () => streamOf(bytes) }, productColumns, options);
  const rows: ParsedRow[] = [];
  for await (const row of spreadsheet) rows.push(row);
  return { headerRow: spreadsheet.header.rowNumber, rows };
}

const values = (rows: ParsedRow[]) => rows.map((row) => (row.ok ? row.values : row.errors));

const corpus = (name: string) => ({ file: corpusBytes(name), expected: corpusFile(name) });
/** The corpus's data rows (rows 6 and 7 are blank), each imported. */
const CORPUS_ROWS_ALL_VALID = [4, 5, 8, 9, 10].map((rowNumber) => [rowNumber, true]);
/** A record as the manifest writes it: DECIMAL as exact text. */
const asManifest = (values: Record<string, unknown>) => ({ ...values, unitPrice: String(values.unitPrice) });

describe("the header row", () => {
  it("is found below a title, in LibreOffice's CSV (title in row 1, headers in row 3)", async () => {
    const { file, expected } = corpus("libreoffice-utf8.csv");
    const { headerRow, rows } = await readWith(file, {});
    expect(headerRow).toBe(expected.headerRow);
    expect(rows.map((row) => [row.rowNumber, row.ok])).toEqual(CORPUS_ROWS_ALL_VALID);
    expect(rows.filter((row) => row.ok)).toHaveLength(expected.rowsImported);
    expect(asManifest(rows[0]!.ok ? rows[0]!.values : {})).toEqual(expected.firstRecord);
    // "1,234.56" as a decimal dot template writes it
    expect(rows[1]).toMatchObject({ ok: true, values: { quantity: 12, unitPrice: 1234.56 } });
  });

  it("is found below a title in an xlsx, and the rows above it are not data", async () => {
    const file = await xlsxOf((workbook) => {
      const sheet = workbook.addWorksheet("Report");
      sheet.addRow(["Q3 sales report"]);
      sheet.addRow(["Exported 2024-10-01", "by Ada"]);
      sheet.addRow(["Name", "Quantity", "Unit Price"]);
      sheet.addRow(["Widget", 3, 2.5]);
    });
    const { headerRow, rows } = await readWith(file, {});
    expect(headerRow).toBe(3);
    expect(rows.map((row) => row.rowNumber)).toEqual([4]);
    expect(rows[0]).toMatchObject({ ok: true, values: { name: "Widget", quantity: 3, unitPrice: 2.5 } });
  });

  it("is the row with the most template columns, required ones counting double", async () => {
    // row 1 has three optional columns (3 points), row 2 both required ones (4 points)
    const csv = "Unit Price,Active,Ship Date\nName,Quantity\nWidget,3\n";
    const { headerRow, rows } = await readWith(csv, {});
    expect(headerRow).toBe(2);
    expect(values(rows)).toEqual([
      { name: "Widget", quantity: 3, unitPrice: null, active: null, shipDate: null, orderedAt: null, email: null },
    ]);
  });

  it("is the earliest of equally good rows", async () => {
    expect((await readWith("Report\nUnit Price\nActive\nName,Quantity,Unit Price\n", {})).headerRow).toBe(4);
    await expect(readWith("Report\nUnit Price\nActive\n", {})).rejects.toMatchObject({
      code: "MISSING_COLUMNS",
      message:
        "Missing required column(s) in the header row (row 2): Name, Quantity. The file's headers are: Unit Price.",
    });
  });

  it("is row 1 when it has the required columns, so a data row repeating the headers stays data", async () => {
    const { headerRow, rows } = await readWith("Name,Quantity\nWidget,3\nName,Quantity\n", {});
    expect(headerRow).toBe(1);
    expect(rows.map((row) => [row.rowNumber, row.ok])).toEqual([
      [2, true],
      [3, false],
    ]);
  });

  it("is looked for in the first 20 non-blank rows only; blank rows do not count", async () => {
    const notes = (count: number) => Array.from({ length: count }, (_, i) => `note ${i + 1}\n\n`).join("");
    const twentieth = await readWith(`${notes(19)}Name,Quantity\nWidget,3\n`, {});
    expect(twentieth.headerRow).toBe(39);
    expect(twentieth.rows.map((row) => row.rowNumber)).toEqual([40]);
    await expect(readWith(`${notes(20)}Name,Quantity\nWidget,3\n`, {})).rejects.toMatchObject({
      code: "MISSING_COLUMNS",
      message:
        "None of the expected columns were found in the header row (row 1). Expected: Name, Quantity, " +
        "Unit Price, Active, Ship Date, Ordered At, Contact Email. The row holds: note 1.",
    });
  });

  it("names the row it found when required columns are missing there", async () => {
    await expect(readWith("Q3 sales report\nName,Unit Price\nWidget,2.5\n", {})).rejects.toMatchObject({
      code: "MISSING_COLUMNS",
      message:
        "Missing required column(s) in the header row (row 2): Quantity. The file's headers are: Name, Unit Price.",
    });
  });

  it("can be forced with options.headerRow; the rows above it are read and dropped", async () => {
    const csv = "Name,Quantity\nA,1\nName,Quantity,Unit Price\nB,2,2.5\n";
    expect(await readWith(csv, { headerRow: 3 })).toMatchObject({
      headerRow: 3,
      rows: [{ rowNumber: 4, ok: true, values: { name: "B", quantity: 2, unitPrice: 2.5 } }],
    });
    const { file } = corpus("libreoffice-utf8.csv");
    expect((await readWith(file, { headerRow: 3 })).rows).toHaveLength(5);
  });

  it("refuses a forced row without the required columns, or a blank one, naming it", async () => {
    const csv = "Q3 sales report\nName,Unit Price\n\nName,Quantity\nWidget,3\n";
    await expect(readWith(csv, { headerRow: 2 })).rejects.toMatchObject({
      code: "MISSING_COLUMNS",
      message:
        "Missing required column(s) in the header row (row 2): Quantity. The file's headers are: Name, Unit Price.",
    });
    await expect(readWith(csv, { headerRow: 1 })).rejects.toMatchObject({
      code: "MISSING_COLUMNS",
      message: expect.stringContaining("in the header row (row 1)"),
    });
    for (const headerRow of [3, 99]) {
      await expect(readWith(csv, { headerRow })).rejects.toThrow(
        new PermanentImportError(
          "NO_HEADER_ROW",
          `Row ${headerRow}, chosen as the header row, is empty. Choose the row that holds the column titles.`,
        ),
      );
    }
  });
});

describe("the template's locale", () => {
  it("reads LibreOffice's German CSV: decimal comma, dates with dots, WAHR/FALSCH", async () => {
    const { file, expected } = corpus("libreoffice-semicolon-de.csv");
    const { headerRow, rows } = await readWith(file, { decimalSeparator: "COMMA", dateOrder: "DMY" });
    expect(headerRow).toBe(expected.headerRow);
    // the manifest counts 4 failures for a reader that knows no German booleans; this one does
    expect(rows.map((row) => [row.rowNumber, row.ok])).toEqual(CORPUS_ROWS_ALL_VALID);
    expect(asManifest(rows[0]!.ok ? rows[0]!.values : {})).toEqual(expected.firstRecord);
    expect(values(rows).slice(1, 4)).toEqual([
      {
        name: "東京 Store",
        quantity: 12,
        unitPrice: 1234.56,
        active: false,
        shipDate: "2024-08-15",
        orderedAt: "2024-08-15T17:45:30.000Z",
        email: "tokyo@example.jp",
      },
      {
        name: "Rocket 🚀",
        quantity: 1,
        unitPrice: 0.1,
        active: true,
        shipDate: "2024-09-30",
        orderedAt: "2024-09-30T00:00:00.000Z",
        email: null,
      },
      {
        name: 'Smith, "Jo"',
        quantity: 1500,
        unitPrice: -7.25,
        active: false,
        shipDate: "2024-12-31",
        orderedAt: "2024-12-31T23:59:59.000Z",
        email: "jo.smith@example.org",
      },
    ]);
  });

  it("rejects the German CSV's numbers and dates with a template in the default locale, saying why", async () => {
    const { file } = corpus("libreoffice-semicolon-de.csv");
    const { rows } = await readWith(file, {});
    expect(rows[0]).toMatchObject({
      ok: false,
      errors: [
        {
          column: "Unit Price",
          message:
            'Expected a number, got "2,5". This template writes numbers with a decimal point, e.g. 1234.5 or 1,234.5.',
        },
        { column: "Ship Date", message: 'Expected a date like 2024-05-31 (YYYY-MM-DD), got "01.07.2024".' },
        { column: "Ordered At" },
      ],
    });
  });
});
