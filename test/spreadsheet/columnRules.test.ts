import { describe, expect, it } from "vitest";
import {
  BrokenRules,
  compilePattern,
  countCharacters,
  createRuleCheck,
  cutForMessage,
  normalizeBound,
} from "../../src/spreadsheet/columnRules.js";
import type { TemplateColumn } from "../../src/spreadsheet/index.js";

const column = (rules: Partial<TemplateColumn>): TemplateColumn => ({
  key: "c",
  header: "C",
  type: "STRING",
  required: false,
  ...rules,
});

/** The messages of the rules `value` breaks, or the value stored. */
function check(rules: Partial<TemplateColumn>, ...values: Array<string | number | boolean>) {
  const rule = createRuleCheck(column(rules))!;
  return values.map((value, i) => {
    const result = rule(value, i + 2);
    return result instanceof BrokenRules ? result.messages : result;
  });
}

describe("cutForMessage", () => {
  it("keeps text of up to 60 characters and cuts longer text to 60 with …", () => {
    expect(cutForMessage("x".repeat(60))).toBe("x".repeat(60));
    expect(cutForMessage("x".repeat(61))).toBe(`${"x".repeat(60)}…`);
  });

  it("counts an emoji as one character and never splits it", () => {
    expect(cutForMessage("🙂".repeat(60))).toBe("🙂".repeat(60));
    expect(cutForMessage(`${"x".repeat(59)}${"🙂".repeat(2)}`)).toBe(`${"x".repeat(59)}🙂…`);
  });
});

describe("countCharacters", () => {
  it("counts code points; a lone surrogate is one character", () => {
    expect(countCharacters("abc")).toBe(3);
    expect(countCharacters("a🙂b")).toBe(3);
    expect(countCharacters("\ud83d")).toBe(1);
    expect(countCharacters("\ude42\ud83d")).toBe(2);
  });
});

describe("normalizeBound", () => {
  it.each<[TemplateColumn["type"], string, string]>([
    ["INTEGER", " 1e3 ", "1000"],
    ["INTEGER", "-0", "0"],
    ["DECIMAL", "1,234.50", "1234.5"],
    ["DECIMAL", ".5", "0.5"],
    ["DATE", "2024/01/31", "2024-01-31"],
    ["DATETIME", "2024-01-31 10:00", "2024-01-31T10:00:00.000Z"],
    ["DATETIME", "2024-01-31T00:00:00.000Z", "2024-01-31T00:00:00.000Z"],
  ])("reads a %s bound %j as %j", (type, written, bound) => {
    expect(normalizeBound(type, written)).toEqual({ bound });
  });

  it("refuses what the type refuses, with its message", () => {
    expect(normalizeBound("INTEGER", "2.5")).toEqual({ problem: 'Expected a whole number, got "2.5".' });
    expect(normalizeBound("DECIMAL", "12345678901234567.5")).toEqual({
      problem: 'The number "12345678901234567.5" has more significant digits than can be stored exactly (15).',
    });
    expect(normalizeBound("DATE", "24-01-31")).toMatchObject({ problem: expect.stringMatching(/^Expected a date/) });
  });
});

describe("compilePattern", () => {
  it("compiles RE2 syntax and refuses what RE2 cannot run in linear time", () => {
    expect(compilePattern("^[A-Z]{3}-\\d+$")).toHaveProperty("regex");
    expect(compilePattern("(?<=a)b")).toEqual({ problem: expect.stringMatching(/^does not compile: /) });
    expect(compilePattern("(a)\\1")).toEqual({ problem: expect.stringMatching(/^does not compile: /) });
  });
});

describe("createRuleCheck", () => {
  it("is null for a column without rules, or with unique false", () => {
    expect(createRuleCheck(column({}))).toBeNull();
    expect(createRuleCheck(column({ unique: false, allowedValues: null }))).toBeNull();
  });

  it("searches a pattern anywhere in the value unless it is anchored", () => {
    expect(check({ pattern: "\\d" }, "abc1", "abc")).toEqual(["abc1", ["must match the pattern \\d; got 'abc'"]]);
  });

  it("cuts a long pattern in its message", () => {
    const pattern = `^(?:${"x".repeat(70)})$`;
    expect(check({ pattern }, "y")).toEqual([[`must match the pattern ${pattern.slice(0, 60)}…; got 'y'`]]);
  });

  it("gives allowed values their listed spelling, and checks the other rules on it", () => {
    expect(check({ allowedValues: ["Ab", "Ötzi"], pattern: "^A" }, "aB", "ÖTZI", "c")).toEqual([
      "Ab",
      ["must match the pattern ^A; got 'Ötzi'"],
      ["must be one of Ab, Ötzi; got 'c'", "must match the pattern ^A; got 'c'"],
    ]);
  });

  it("compares bounds of dates and date-times as instants", () => {
    expect(check({ type: "DATETIME", min: "2024-01-31T10:00:00.000Z" }, "2024-01-31T09:59:59.999Z")).toEqual([
      ["must be at least 2024-01-31T10:00:00.000Z; got 2024-01-31T09:59:59.999Z"],
    ]);
    expect(check({ type: "DATE", max: "2024-01-31" }, "2024-01-31", "2024-02-01")).toEqual([
      "2024-01-31",
      ["must be at most 2024-01-31; got 2024-02-01"],
    ]);
  });

  it("says '1 character', not '1 characters'", () => {
    expect(check({ maxLength: 1 }, "ab")).toEqual([["must be at most 1 character; got 'ab'"]]);
  });

  it("tells long unique values apart by digest, and never confuses text with a number or a digest", () => {
    const long = "y".repeat(41);
    expect(check({ unique: true }, long, `${long}z`, long, "1")).toEqual([
      long,
      `${long}z`,
      [`must be unique in the file; '${long}' is also in row 2`],
      "1",
    ]);
    expect(check({ type: "INTEGER", unique: true }, 1, 2, 1)).toEqual([
      1,
      2,
      ["must be unique in the file; '1' is also in row 2"],
    ]);
    expect(check({ type: "BOOLEAN", unique: true }, true, false, true)[2]).toEqual([
      "must be unique in the file; 'TRUE' is also in row 2",
    ]);
  });

  it("counts a value that breaks another rule as not seen by unique", () => {
    expect(check({ unique: true, maxLength: 2 }, "abc", "abc", "ab", "ab")).toEqual([
      ["must be at most 2 characters; got 'abc'"],
      ["must be at most 2 characters; got 'abc'"],
      "ab",
      ["must be unique in the file; 'ab' is also in row 4"],
    ]);
  });
});
