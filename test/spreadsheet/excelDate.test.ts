import { describe, expect, it } from "vitest";
import { excelSerialToDate } from "../../src/spreadsheet/index.js";

describe("excelSerialToDate", () => {
  it("follows Excel's 1900 date system, fake leap day included", () => {
    expect(excelSerialToDate(1, false)?.toISOString()).toBe("1900-01-01T00:00:00.000Z");
    expect(excelSerialToDate(59, false)?.toISOString()).toBe("1900-02-28T00:00:00.000Z");
    expect(excelSerialToDate(60, false)).toBeNull(); // 1900-02-29 never existed
    expect(excelSerialToDate(61, false)?.toISOString()).toBe("1900-03-01T00:00:00.000Z");
    expect(excelSerialToDate(45_000.25, false)?.toISOString()).toBe("2023-03-15T06:00:00.000Z");
    expect(excelSerialToDate(2_958_465, false)?.toISOString()).toBe("9999-12-31T00:00:00.000Z");
    expect(excelSerialToDate(2_958_466, false)).toBeNull();
  });

  it("follows the 1904 date system", () => {
    expect(excelSerialToDate(0, true)?.toISOString()).toBe("1904-01-01T00:00:00.000Z");
    expect(excelSerialToDate(45_000, true)?.toISOString()).toBe("2027-03-16T00:00:00.000Z");
  });
});
