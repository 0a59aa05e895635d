import { hash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DigestTable } from "../../src/spreadsheet/digestTable.js";

const digest = (text: string) => hash("sha1", text, "binary");

describe("DigestTable", () => {
  it("gives each digest's first row back, through many growths", () => {
    const table = new DigestTable(4);
    for (let row = 1; row <= 50_000; row++) expect(table.claim(digest(`row ${row}`), row)).toBe(0);
    for (let row = 1; row <= 50_000; row += 997) expect(table.claim(digest(`row ${row}`), 60_000 + row)).toBe(row);
    expect(table.claim(digest("row 50001"), 50_001)).toBe(0);
  });

  it("tells digests apart by any of their first 16 bytes, and ignores the rest", () => {
    const table = new DigestTable(8);
    const base = "a".repeat(20);
    expect(table.claim(base, 2)).toBe(0);
    for (let at = 0; at < 16; at++) {
      const other = `${base.slice(0, at)}b${base.slice(at + 1)}`;
      expect(table.claim(other, 3 + at)).toBe(0);
    }
    expect(table.claim(`${"a".repeat(16)}zzzz`, 99)).toBe(2);
  });
});
