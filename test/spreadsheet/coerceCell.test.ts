import { describe, expect, it } from "vitest";
import { CellError, coerceCell } from "../../src/spreadsheet/index.js";

const utc = (...parts: [number, number, number, number?, number?, number?]) =>
  new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0, parts[4] ?? 0, parts[5] ?? 0));

describe("coerceCell", () => {
  it("gives null for blank cells of any type", () => {
    for (const blank of [null, undefined, "", "   ", "\t\n"]) {
      expect(coerceCell(blank, "INTEGER")).toEqual({ ok: true, value: null });
      expect(coerceCell(blank, "STRING")).toEqual({ ok: true, value: null });
    }
  });

  describe("INTEGER", () => {
    it.each([
      [42, 42],
      [-7, -7],
      ["42", 42],
      [" +42 ", 42],
      ["-0", 0],
      ["1e3", 1000],
      ["3.0", 3],
    ])("accepts %j", (cell, value) => {
      expect(coerceCell(cell, "INTEGER")).toEqual({ ok: true, value });
    });

    it("rejects fractions, text and thousands separators with a sentence", () => {
      expect(coerceCell(1.5, "INTEGER")).toEqual({ ok: false, message: "Expected a whole number, got 1.5." });
      expect(coerceCell("1.5", "INTEGER")).toEqual({
        ok: false,
        message: 'Expected a whole number, got "1.5".',
      });
      expect(coerceCell("abc", "INTEGER")).toEqual({
        ok: false,
        message: 'Expected a whole number, got "abc".',
      });
      expect(coerceCell("12abc", "INTEGER")).toEqual({
        ok: false,
        message: 'Expected a whole number, got "12abc".',
      });
      expect(coerceCell("1,23", "INTEGER")).toEqual({
        ok: false,
        message:
          'Expected a whole number, got "1,23". This template writes numbers with a decimal point, e.g. 1234.5 ' +
          "or 1,234.5.",
      });
      expect(coerceCell("3.0000000000000001", "INTEGER")).toEqual({
        ok: false,
        message: 'Expected a whole number, got "3.0000000000000001".',
      });
      expect(coerceCell(true, "INTEGER")).toEqual({ ok: false, message: "Expected a whole number, got TRUE." });
      expect(coerceCell(utc(2024, 1, 5), "INTEGER")).toEqual({
        ok: false,
        message: "Expected a whole number, got the date 2024-01-05.",
      });
    });

    it("rejects integers beyond what a JSON number keeps exactly", () => {
      const result = coerceCell(2 ** 53, "INTEGER");
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/^The number 9007199254740992 is too large/);
      expect(coerceCell(String(Number.MAX_SAFE_INTEGER), "INTEGER")).toEqual({
        ok: true,
        value: Number.MAX_SAFE_INTEGER,
      });
    });
  });

  describe("DECIMAL", () => {
    it.each([
      [12.5, 12.5],
      ["12.50", 12.5],
      ["-.5", -0.5],
      ["+3.", 3],
      ["1.5E-3", 0.0015],
      [0, 0],
    ])("accepts %j", (cell, value) => {
      expect(coerceCell(cell, "DECIMAL")).toEqual({ ok: true, value });
    });

    it("rejects what is not plainly a number", () => {
      for (const text of ["12abc", "$12", "NaN", "Infinity", "0x1A", "1 00", "1,5", "--1", "1,2345", "1,234,5"]) {
        const result = coerceCell(text, "DECIMAL");
        expect(result.ok, text).toBe(false);
        expect(!result.ok && result.message, text).toContain(`Expected a number, got "${text}".`);
      }
      expect(coerceCell("1e999", "DECIMAL")).toEqual({ ok: false, message: 'The number "1e999" is too large.' });
    });
  });

  describe("BOOLEAN", () => {
    it.each([
      [true, true],
      [false, false],
      ["true", true],
      ["TRUE", true],
      [" Yes ", true],
      ["yes", true],
      ["NO", false],
      ["False", false],
      ["1", true],
      ["0", false],
      [1, true],
      [0, false],
      ["WAHR", true],
      ["falsch", false],
      ["VRAI", true],
      ["FAUX", false],
      ["VERDADERO", true],
      ["FALSO", false],
      ["Onwaar", false],
      ["EPÄTOSI", false],
      ["FAŁSZ", false],
    ])("reads %j as %j", (cell, value) => {
      expect(coerceCell(cell, "BOOLEAN")).toEqual({ ok: true, value });
    });

    it("rejects anything else", () => {
      expect(coerceCell("maybe", "BOOLEAN")).toEqual({
        ok: false,
        message: 'Expected yes/no, true/false or 1/0, got "maybe".',
      });
      expect(coerceCell(2, "BOOLEAN")).toEqual({
        ok: false,
        message: "Expected yes/no, true/false or 1/0, got 2.",
      });
      expect(coerceCell("y", "BOOLEAN").ok).toBe(false);
    });
  });

  describe("DATE", () => {
    it("takes date cells, serial numbers and ISO text", () => {
      expect(coerceCell(utc(2024, 2, 29), "DATE")).toEqual({ ok: true, value: "2024-02-29" });
      expect(coerceCell(utc(2024, 2, 29, 18, 30), "DATE")).toEqual({ ok: true, value: "2024-02-29" });
      expect(coerceCell(45000, "DATE")).toEqual({ ok: true, value: "2023-03-15" });
      expect(coerceCell(45000.75, "DATE")).toEqual({ ok: true, value: "2023-03-15" });
      expect(coerceCell(45000, "DATE", { date1904: true })).toEqual({ ok: true, value: "2027-03-16" });
      expect(coerceCell(0, "DATE", { date1904: true })).toEqual({ ok: true, value: "1904-01-01" });
      expect(coerceCell(" 2024-05-31 ", "DATE")).toEqual({ ok: true, value: "2024-05-31" });
      // the date as written, not shifted to UTC
      expect(coerceCell("2024-05-31T23:30:00-05:00", "DATE")).toEqual({ ok: true, value: "2024-05-31" });
    });

    it("rejects other spellings, impossible dates, times and other values", () => {
      expect(coerceCell("31/05/2024", "DATE")).toEqual({
        ok: false,
        message: 'Expected a date like 2024-05-31 (YYYY-MM-DD), got "31/05/2024".',
      });
      expect(coerceCell("2023-02-29", "DATE").ok).toBe(false);
      expect(coerceCell("2024-13-01", "DATE").ok).toBe(false);
      expect(coerceCell("45000", "DATE").ok).toBe(false); // a serial as text is too ambiguous
      expect(coerceCell(-1, "DATE")).toEqual({
        ok: false,
        message: "Expected a date like 2024-05-31 (YYYY-MM-DD), got the number -1, which is not a valid Excel date.",
      });
      expect(coerceCell(0.5, "DATE").ok).toBe(false); // a time of day in the 1900 system
      expect(coerceCell(utc(1899, 12, 31, 12), "DATE")).toEqual({
        ok: false,
        message: "Expected a date like 2024-05-31 (YYYY-MM-DD), got the time 12:00:00.",
      });
      expect(coerceCell(true, "DATE").ok).toBe(false);
    });
  });

  describe("DATETIME", () => {
    it("gives ISO strings in UTC", () => {
      expect(coerceCell(utc(2024, 5, 31, 14, 30), "DATETIME")).toEqual({
        ok: true,
        value: "2024-05-31T14:30:00.000Z",
      });
      expect(coerceCell(45000.5, "DATETIME")).toEqual({ ok: true, value: "2023-03-15T12:00:00.000Z" });
      expect(coerceCell(45000.5, "DATETIME", { date1904: true })).toEqual({
        ok: true,
        value: "2027-03-16T12:00:00.000Z",
      });
      expect(coerceCell("2024-05-31", "DATETIME")).toEqual({ ok: true, value: "2024-05-31T00:00:00.000Z" });
      expect(coerceCell("2024-05-31 14:30", "DATETIME")).toEqual({
        ok: true,
        value: "2024-05-31T14:30:00.000Z",
      });
      expect(coerceCell("2024-05-31T14:30:15.1234+02:00", "DATETIME")).toEqual({
        ok: true,
        value: "2024-05-31T12:30:15.123Z",
      });
      expect(coerceCell("2024-05-31t14:30:00z", "DATETIME")).toEqual({
        ok: true,
        value: "2024-05-31T14:30:00.000Z",
      });
      expect(coerceCell("2024-05-31T14:30:00.000Z", "DATETIME")).toEqual({
        ok: true,
        value: "2024-05-31T14:30:00.000Z",
      });
    });

    it("rejects malformed times", () => {
      for (const text of [
        "2024-05-31T24:00",
        "2024-05-31T12:60",
        "2024-05-31T12",
        "2024-05-31T12:00+25:00",
        "5/31/2024 2:30 PM",
      ]) {
        expect(coerceCell(text, "DATETIME"), text).toEqual({
          ok: false,
          message: `Expected a date and time like 2024-05-31T14:30:00Z (or just a date), got "${text}".`,
        });
      }
    });
  });

  describe("numbers as text in the template's locale", () => {
    const comma = { decimalSeparator: "COMMA" } as const;

    it.each([
      ["1,234.56", "DOT", 1234.56],
      ["-1,234,567.5", "DOT", -1234567.5],
      ["1 234.56", "DOT", 1234.56],
      ["1'234.56", "DOT", 1234.56],
      ["1234.56", "DOT", 1234.56],
      ["2,50", "COMMA", 2.5],
      ["1.234,56", "COMMA", 1234.56],
      ["1 234,56", "COMMA", 1234.56],
      ["1\u00a0234,56", "COMMA", 1234.56],
      ["1\u202f234,56", "COMMA", 1234.56],
      ["-7,25", "COMMA", -7.25],
      [",5", "COMMA", 0.5],
      ["1,5e3", "COMMA", 1500],
      ["1234", "COMMA", 1234],
    ] as const)("reads %j with a decimal %s as %j", (text, decimalSeparator, value) => {
      expect(coerceCell(text, "DECIMAL", { decimalSeparator })).toEqual({ ok: true, value });
    });

    it("reads whole numbers with thousands separators", () => {
      expect(coerceCell("1,234", "INTEGER")).toEqual({ ok: true, value: 1234 });
      expect(coerceCell("1.234", "INTEGER", comma)).toEqual({ ok: true, value: 1234 });
      expect(coerceCell("1,234", "INTEGER", comma)).toEqual({
        ok: false,
        message: 'Expected a whole number, got "1,234".',
      });
    });

    it("never reads a number with the other locale's meaning", () => {
      expect(coerceCell("2,5", "DECIMAL")).toEqual({
        ok: false,
        message:
          'Expected a number, got "2,5". This template writes numbers with a decimal point, e.g. 1234.5 or 1,234.5.',
      });
      for (const text of ["2.5", "1,234.56", "1.234.5", "1.23,4"]) {
        expect(coerceCell(text, "DECIMAL", comma), text).toEqual({
          ok: false,
          message: `Expected a number, got "${text}". This template writes numbers with a decimal comma, e.g. 1234,5 or 1.234,5.`,
        });
      }
      // one separator throughout
      expect(coerceCell("1,234 567.5", "DECIMAL").ok).toBe(false);
    });

    it("leaves number cells alone", () => {
      expect(coerceCell(2.5, "DECIMAL", comma)).toEqual({ ok: true, value: 2.5 });
      expect(coerceCell(1234, "INTEGER", comma)).toEqual({ ok: true, value: 1234 });
    });
  });

  describe("exact decimals", () => {
    it("refuses text a double would change, rather than storing another number", () => {
      expect(coerceCell("12345678901234567.891", "DECIMAL")).toEqual({
        ok: false,
        message: 'The number "12345678901234567.891" has more significant digits than can be stored exactly (15).',
      });
      expect(coerceCell("12.345.678.901.234.567,891", "DECIMAL", { decimalSeparator: "COMMA" }).ok).toBe(false);
      expect(coerceCell("0.12345678901234567", "DECIMAL").ok).toBe(false);
      expect(coerceCell("1e-400", "DECIMAL")).toEqual({
        ok: false,
        message: 'The number "1e-400" is too small to be stored exactly.',
      });
    });

    it.each([
      ["123456789012345.6", 123456789012345.6],
      ["0.000000000000001234567890123450", 1.23456789012345e-15],
      ["1.50000000000000000000", 1.5],
      ["100000000000000000000000", 1e23],
      // more than 15 digits, but the very number the double holds: stored as written
      ["0.30000000000000004", 0.30000000000000004],
      ["1.7976931348623157e308", Number.MAX_VALUE],
    ])("keeps %j", (text, value) => {
      expect(coerceCell(text, "DECIMAL")).toEqual({ ok: true, value });
      expect(String(value)).toBe(String(Number(text)));
    });

    it("takes number cells as the doubles they are", () => {
      expect(coerceCell(12345678901234568, "DECIMAL")).toEqual({ ok: true, value: 12345678901234568 });
    });
  });

  describe("dates as text in the template's order", () => {
    it.each([
      ["31/05/2024", "DMY", "2024-05-31"],
      ["31.05.2024", "DMY", "2024-05-31"],
      ["1.7.2024", "DMY", "2024-07-01"],
      ["31-05-2024", "DMY", "2024-05-31"],
      ["05/31/2024", "MDY", "2024-05-31"],
      ["5/31/2024", "MDY", "2024-05-31"],
      ["2024/05/31", "YMD", "2024-05-31"],
      ["2024.5.31", "YMD", "2024-05-31"],
      ["2024-05-31", "DMY", "2024-05-31"],
      ["2024-05-31", "MDY", "2024-05-31"],
      ["29.02.2024 23:59", "DMY", "2024-02-29"],
    ] as const)("reads %j (%s) as %s", (text, dateOrder, value) => {
      expect(coerceCell(text, "DATE", { dateOrder })).toEqual({ ok: true, value });
    });

    it("reads date-times", () => {
      const dmy = { dateOrder: "DMY" } as const;
      expect(coerceCell("31.05.2024 14:30", "DATETIME", dmy)).toEqual({ ok: true, value: "2024-05-31T14:30:00.000Z" });
      expect(coerceCell("01.07.2024 09:30:00", "DATETIME", dmy)).toEqual({
        ok: true,
        value: "2024-07-01T09:30:00.000Z",
      });
      expect(coerceCell("31/05/2024 14:30:15,5", "DATETIME", dmy)).toEqual({
        ok: true,
        value: "2024-05-31T14:30:15.500Z",
      });
      expect(coerceCell("31.05.2024", "DATETIME", dmy)).toEqual({ ok: true, value: "2024-05-31T00:00:00.000Z" });
      expect(coerceCell("5/31/2024 2:30 PM", "DATETIME", { dateOrder: "MDY" })).toEqual({
        ok: true,
        value: "2024-05-31T14:30:00.000Z",
      });
      expect(coerceCell("5/31/2024 12:05 am", "DATETIME", { dateOrder: "MDY" })).toEqual({
        ok: true,
        value: "2024-05-31T00:05:00.000Z",
      });
      expect(coerceCell("2024/05/31 14:30", "DATETIME")).toEqual({ ok: true, value: "2024-05-31T14:30:00.000Z" });
    });

    it("says what was expected for dates that do not fit the order or the calendar", () => {
      const dmy = "Expected a date like 31.05.2024 or 31/05/2024 (day, month, year) or 2024-05-31";
      for (const text of ["05/31/2024", "31.02.2024", "2024/05/31", "31.05/2024", "0.05.2024", "31.05.20245"]) {
        expect(coerceCell(text, "DATE", { dateOrder: "DMY" }), text).toEqual({
          ok: false,
          message: `${dmy}, got "${text}".`,
        });
      }
      expect(coerceCell("31/05/2024", "DATE", { dateOrder: "MDY" })).toEqual({
        ok: false,
        message: 'Expected a date like 05/31/2024 (month, day, year) or 2024-05-31, got "31/05/2024".',
      });
      expect(coerceCell("31.05.2024 24:00", "DATETIME", { dateOrder: "DMY" })).toEqual({
        ok: false,
        message:
          "Expected a date and time like 31.05.2024 14:30 or 2024-05-31T14:30:00Z (or just a date), " +
          'got "31.05.2024 24:00".',
      });
      expect(coerceCell("5/31/2024 13:30 PM", "DATETIME", { dateOrder: "MDY" }).ok).toBe(false);
    });

    it("refuses two-digit years", () => {
      expect(coerceCell("31.05.24", "DATE", { dateOrder: "DMY" })).toEqual({
        ok: false,
        message:
          'Expected a date like 31.05.2024 or 31/05/2024 (day, month, year) or 2024-05-31, got "31.05.24". ' +
          "Write the year with four digits: a two-digit year could be in either century.",
      });
      expect(coerceCell("5/31/24 14:30", "DATETIME", { dateOrder: "MDY" }).ok).toBe(false);
    });
  });

  describe("EMAIL", () => {
    it("lower-cases and trims valid addresses", () => {
      expect(coerceCell("  Ada.Lovelace+test@Example.COM ", "EMAIL")).toEqual({
        ok: true,
        value: "ada.lovelace+test@example.com",
      });
      expect(coerceCell("mailto:bob@example.org", "EMAIL")).toEqual({ ok: true, value: "bob@example.org" });
    });

    it("rejects invalid addresses", () => {
      for (const text of ["bob", "bob@", "@example.com", "bob@example", "bob smith@example.com", "bob@exa_mple.com"]) {
        expect(coerceCell(text, "EMAIL"), text).toEqual({
          ok: false,
          message: `Expected an email address like name@example.com, got "${text}".`,
        });
      }
      expect(coerceCell(42, "EMAIL").ok).toBe(false);
    });
  });

  describe("STRING", () => {
    it("trims text and turns other values into the text Excel shows", () => {
      expect(coerceCell("  Widget  ", "STRING")).toEqual({ ok: true, value: "Widget" });
      expect(coerceCell(12345, "STRING")).toEqual({ ok: true, value: "12345" });
      expect(coerceCell(0.1 + 0.2, "STRING")).toEqual({ ok: true, value: "0.3" });
      expect(coerceCell(true, "STRING")).toEqual({ ok: true, value: "TRUE" });
      expect(coerceCell(utc(2024, 1, 5), "STRING")).toEqual({ ok: true, value: "2024-01-05" });
    });
  });

  it("rejects error cells in every column type", () => {
    for (const type of ["STRING", "INTEGER", "DECIMAL", "BOOLEAN", "DATE", "DATETIME", "EMAIL"] as const) {
      expect(coerceCell(new CellError("#N/A"), type), type).toEqual({
        ok: false,
        message: "The cell contains the error #N/A.",
      });
    }
  });
});
