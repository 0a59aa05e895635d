import { describe, expect, it } from "vitest";
import { DigestTable } from "../../src/spreadsheet/digestTable.js";
import { PermanentImportError } from "../../src/spreadsheet/permanentImportError.js";
import { createRepeatCheck } from "../../src/spreadsheet/repeatedRows.js";
import type { TemplateColumn, ValidRow } from "../../src/spreadsheet/types.js";

const columns: TemplateColumn[] = [
  { key: "sku", header: "SKU", type: "STRING", required: true },
  { key: "qty", header: "Quantity", type: "INTEGER", required: false },
];
const row = (rowNumber: number, sku: string, qty: number): ValidRow => ({ ok: true, rowNumber, values: { sku, qty } });
const check = (policy: Parameters<typeof createRepeatCheck>[1], table?: DigestTable) => {
  const verdict = createRepeatCheck(columns, policy, table);
  return (r: ValidRow) => verdict(r, JSON.stringify(r.values));
};

describe("createRepeatCheck", () => {
  it("rejects a repeated key on the later row, with the key's values as they were read", () => {
    const byKey = check({ keyColumns: ["sku"], duplicates: "SKIP" });
    expect(byKey(row(2, "A-1", 1))).toEqual(row(2, "A-1", 1));
    expect(byKey(row(3, "A-1", 5))).toEqual({
      ok: false,
      rowNumber: 3,
      errors: [{ rowNumber: 3, column: "SKU", message: "repeats the key of row 2 (SKU 'A-1')", value: "A-1" }],
      raw: { sku: "A-1", qty: "5" },
    });
  });

  it("skips or rejects exact repeats only, per the duplicates policy", () => {
    const skip = check({ keyColumns: [], duplicates: "SKIP" });
    expect(skip(row(2, "A-1", 1))).toMatchObject({ ok: true });
    expect(skip(row(3, "A-1", 2))).toMatchObject({ ok: true });
    expect(skip(row(4, "A-1", 1))).toBe("duplicate");
    const reject = check({ keyColumns: [], duplicates: "REJECT" });
    reject(row(2, "A-1", 1));
    expect(reject(row(9, "A-1", 1))).toMatchObject({
      ok: false,
      errors: [{ rowNumber: 9, column: null, message: "repeats row 2 exactly", value: null }],
    });
  });

  it("fails the file TOO_LARGE once the table of digests is full, saying how to import it anyway", () => {
    const full = check({ keyColumns: [], duplicates: "SKIP" }, new DigestTable(4, 8));
    const rows = Array.from({ length: 5 }, (_, i) => row(i + 2, `A-${i}`, i));
    for (const r of rows.slice(0, 4)) expect(full(r)).toMatchObject({ ok: true });
    let thrown: unknown;
    try {
      full(rows[4]!);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PermanentImportError);
    expect(thrown).toMatchObject({
      code: "TOO_LARGE",
      message:
        "This file has more than 4 different rows, more than an import can check for exact repeats; set the " +
        "template's duplicates to IMPORT to import it without that check.",
    });
  });
});
