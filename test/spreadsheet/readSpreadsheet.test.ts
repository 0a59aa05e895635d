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
  readSpreadsheet,
  type SpreadsheetHeader,
} from "../../src/spreadsheet/index.js";
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
          "This file type is not supported. Upload an Excel workbook (.xlsx or .xls) or a CSV file saved as UTF-8 text.",
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
