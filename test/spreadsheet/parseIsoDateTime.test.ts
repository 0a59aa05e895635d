import { describe, expect, it } from "vitest";
import { parseIsoDateTime } from "../../src/spreadsheet/index.js";

describe("parseIsoDateTime", () => {
  it("checks the calendar, leap years included", () => {
    expect(parseIsoDateTime("2024-02-29")?.date).toBe("2024-02-29");
    expect(parseIsoDateTime("2000-02-29")?.date).toBe("2000-02-29");
    expect(parseIsoDateTime("1900-02-29")).toBeNull();
    expect(parseIsoDateTime("2024-04-31")).toBeNull();
    expect(parseIsoDateTime("0000-01-01")).toBeNull();
    expect(parseIsoDateTime("2024-1-5")).toBeNull();
  });

  it("computes the instant in UTC", () => {
    expect(parseIsoDateTime("1969-12-31T23:59:59Z")?.time).toBe(-1000);
    expect(parseIsoDateTime("2024-05-31T14:30:00+0530")?.time).toBe(Date.UTC(2024, 4, 31, 9, 0));
    expect(parseIsoDateTime("2024-05-31T14:30:00-02")?.time).toBe(Date.UTC(2024, 4, 31, 16, 30));
    expect(parseIsoDateTime("0999-01-01")?.time).toBe(Date.parse("0999-01-01T00:00:00Z"));
  });

  it("marks only text already in toISOString() form as canonical", () => {
    expect(parseIsoDateTime("2024-05-31T14:30:00.000Z")?.canonical).toBe(true);
    for (const text of ["2024-05-31T14:30:00Z", "2024-05-31t14:30:00.000Z", "2024-05-31 14:30:00.000Z", "2024-05-31"]) {
      expect(parseIsoDateTime(text)?.canonical, text).toBe(false);
    }
  });

  it("rejects malformed times and offsets", () => {
    for (const text of [
      "2024-05-31T24:00",
      "2024-05-31T12:60",
      "2024-05-31T12",
      "2024-05-31T12:00:00.Z",
      "2024-05-31T12:00+25:00",
      "2024-05-31T12:00Z!",
      "2024-05-31X12:00",
    ]) {
      expect(parseIsoDateTime(text), text).toBeNull();
    }
  });
});
