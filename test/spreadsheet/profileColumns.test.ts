import { describe, expect, it } from "vitest";
import { CellError, type Cell, type RawRow } from "../../src/spreadsheet/cell.js";
import { inferColumnType, keyFromHeader, profileColumns } from "../../src/spreadsheet/profileColumns.js";

const utc = (...parts: [number, number, number, number?, number?]) =>
  new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0));

describe("inferColumnType", () => {
  it.each<[string, Cell[], string | null]>([
    ["0 and 1 are numbers before they are booleans", [0, 1, "1", "0"], "INTEGER"],
    ["whole numbers as numbers and text", [3, "-42", "1,234", "1e3"], "INTEGER"],
    ["one fraction makes the column decimal", [3, "2.5", 7], "DECIMAL"],
    ["yes/no words", ["yes", "No", "TRUE", false], "BOOLEAN"],
    ["yes/no words with a 1 among them", ["yes", "no", 1], "BOOLEAN"],
    ["date cells at midnight", [utc(2024, 5, 31), utc(2024, 6, 1)], "DATE"],
    ["ISO dates as text", ["2024-05-31", "2024-06-01"], "DATE"],
    ["a date cell with a time of day", [utc(2024, 5, 31), utc(2024, 6, 1, 14, 30)], "DATETIME"],
    ["ISO date-times as text", ["2024-05-31", "2024-05-31T14:30:00Z"], "DATETIME"],
    ["addresses", ["ada@example.com", "mailto:Bob@Example.org"], "EMAIL"],
    ["zero-padded codes as text, which a number would lose", ["007", "010", "12"], "STRING"],
    ["a signed zero-padded code", ["-012", "+5"], "STRING"],
    ["a zero-padded fraction", ["00.5", "1.5"], "STRING"],
    ["zero, and fractions below one", ["0", "-0", "0.5", "-0.25", " 0 "], "DECIMAL"],
    ["number cells, whatever a workbook's format showed", [7, 10, 0], "INTEGER"],
    ["text with a few numbers in it", ["apple", 12, "pear", 3.5], "STRING"],
    ["addresses and one name", ["ada@example.com", "Bob"], "STRING"],
    ["dates and one word", ["2024-05-31", "soon"], "STRING"],
    ["nothing but blanks", [null, undefined, "", "   "], null],
    ["nothing at all", [], null],
  ])("%s", (_name, cells, expected) => {
    expect(inferColumnType(cells)).toBe(expected);
  });

  it("leaves blanks and error cells out of the verdict", () => {
    expect(inferColumnType([null, 4, "  ", new CellError("#N/A"), 5])).toBe("INTEGER");
    expect(inferColumnType([new CellError("#DIV/0!")])).toBeNull();
  });

  it("reads numbers and dates as text in the locale it is given", () => {
    expect(inferColumnType(["2,5", "1.234,5"], { decimalSeparator: "COMMA" })).toBe("DECIMAL");
    expect(inferColumnType(["2,5", "1.234,5"])).toBe("STRING");
    expect(inferColumnType(["31.05.2024", "01.06.2024"], { dateOrder: "DMY" })).toBe("DATE");
    expect(inferColumnType(["31.05.2024 14:30"], { dateOrder: "DMY" })).toBe("DATETIME");
    expect(inferColumnType(["31.05.2024"])).toBe("STRING");
    // a leading zero rules out numbers only
    expect(inferColumnType(["01.06.2024", "09.06.2024"], { dateOrder: "DMY" })).toBe("DATE");
    expect(inferColumnType(["0,5", "0012,5"], { decimalSeparator: "COMMA" })).toBe("STRING");
    expect(inferColumnType(["0,5", "12,5"], { decimalSeparator: "COMMA" })).toBe("DECIMAL");
  });
});

describe("profileColumns", () => {
  const rows: RawRow[] = [
    { rowNumber: 2, cells: ["Ada", 3, null, " x@example.com "] },
    { rowNumber: 3, cells: ["Bob", "4", null] },
    { rowNumber: 4, cells: [null, 5.5, null, "y@example.com"] },
    ...["Cy", "Di", "Ed", "Flo"].map((name, i) => ({ rowNumber: 5 + i, cells: [name] })),
  ];

  it("describes each non-blank header cell's column: samples as text and the narrowest type", () => {
    expect(profileColumns([" Name ", "Qty", "Notes", "Email", "  ", null], rows)).toEqual([
      { index: 0, header: "Name", samples: ["Ada", "Bob", "Cy", "Di", "Ed"], detectedType: "STRING" },
      { index: 1, header: "Qty", samples: ["3", "4", "5.5"], detectedType: "DECIMAL" },
      { index: 2, header: "Notes", samples: [], detectedType: null },
      { index: 3, header: "Email", samples: [" x@example.com ", "y@example.com"], detectedType: "EMAIL" },
    ]);
  });

  it("types a column of zero-padded codes as text, as an import's source columns show it", () => {
    const codes: RawRow[] = [
      { rowNumber: 2, cells: ["007", 1] },
      { rowNumber: 3, cells: ["010", 2] },
    ];
    expect(profileColumns(["SKU", "Qty"], codes).map((column) => column.detectedType)).toEqual(["STRING", "INTEGER"]);
  });

  it("names number and date header cells as Excel shows them", () => {
    const profiled = profileColumns([2024, utc(2024, 5, 31)], []);
    expect(profiled.map((column) => column.header)).toEqual(["2024", "2024-05-31"]);
  });
});

describe("keyFromHeader", () => {
  it.each([
    ["Unit Price (USD)", "unitPriceUsd"],
    ["unit_price", "unitPrice"],
    ["unitPrice", "unitPrice"],
    ["  Contact   Email ", "contactEmail"],
    ["ID", "id"],
    ["HTMLParser", "htmlParser"],
    ["Größe", "grosse"],
    ["Café", "cafe"],
    ["2024 Sales", "_2024Sales"],
  ])("%s → %s", (header, key) => {
    expect(keyFromHeader(header, 0)).toBe(key);
  });

  it("falls back to the column's number when no letter or digit is left", () => {
    expect(keyFromHeader("東京", 2)).toBe("column3");
    expect(keyFromHeader("%", 0)).toBe("column1");
  });

  it("always gives a key a template accepts, however long the header", () => {
    const key = keyFromHeader("word ".repeat(40), 0);
    expect(key).toMatch(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/);
  });
});
