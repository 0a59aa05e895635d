import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createSheetWriter, type SheetFormat } from "../src/spreadsheet/sheetWriter.js";

/**
 * An output that takes one chunk and then holds on to it until `release()`, like a storage insert
 * or a network peer that has stopped reading.
 */
function stalledOutput() {
  let held: Array<() => void> = [];
  let flowing = false;
  const out = new Writable({
    highWaterMark: 16 * 1024,
    write(_chunk: Buffer, _encoding, callback) {
      if (flowing) callback();
      else held.push(callback);
    },
  });
  return {
    out,
    release() {
      flowing = true;
      for (const callback of held.splice(0)) callback();
      held = [];
    },
  };
}

/** Lets the event loop turn `n` times: long enough for any unthrottled producer to run ahead. */
async function turns(n: number) {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

describe.each<SheetFormat>(["CSV", "XLSX"])("%s writer", (format) => {
  it("stops producing while the output does not drain, and goes on when it does", async () => {
    const { out, release } = stalledOutput();
    const writer = createSheetWriter(format, out, {
      sheetName: "Backpressure",
      columns: [
        { header: "Text", type: "STRING" },
        { header: "Number", type: "DECIMAL" },
      ],
    });
    const total = 200_000;
    let added = 0;
    const producing = (async () => {
      for (let i = 0; i < total; i++) {
        await writer.addRow([`row ${i} ${"x".repeat(50)}`, i]);
        added++;
      }
      await writer.end();
    })();

    // the output fills up; from then on the producer must wait, however long we let it run
    while (!out.writableNeedDrain) await turns(1);
    await turns(20);
    const stalledAt = added;
    await turns(200);
    expect(added).toBe(stalledAt);
    // csv: one 16 KiB buffer of rows; xlsx: also what sits in exceljs's zip and zlib (about 6,000
    // rows here), which is bounded because the producer stops
    expect(added).toBeLessThan(format === "CSV" ? 1_000 : 20_000);

    release();
    await producing;
    expect(added).toBe(total);
  });
});
