import { describe, expect, it } from "vitest";
import { columnLetter, matchHeaders, PermanentImportError, type TemplateColumn } from "../../src/spreadsheet/index.js";
import { scoreHeaders } from "../../src/spreadsheet/matchHeaders.js";

const columns: TemplateColumn[] = [
  { key: "sku", header: "Article Number", type: "STRING", required: true },
  { key: "unitPrice", header: "Unit Price", type: "DECIMAL", required: true },
  { key: "email", header: "Contact Email", type: "EMAIL", required: true },
  { key: "note", header: "Note", type: "STRING", required: false },
];

function thrown(fn: () => unknown): PermanentImportError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PermanentImportError) return error;
    throw error;
  }
  throw new Error("expected a PermanentImportError");
}

describe("matchHeaders", () => {
  it("matches by header or key, ignoring case and surrounding whitespace, and ignores extra columns", () => {
    const match = matchHeaders(
      [null, "  ARTICLE NUMBER ", "Comments", "unitprice", "contact\u00a0 email", ""],
      columns,
      3,
    );
    expect(match.rowNumber).toBe(3);
    expect(match.columns.map((c) => [c.column.key, c.index, c.sourceHeader])).toEqual([
      ["sku", 1, "ARTICLE NUMBER"],
      ["unitPrice", 3, "unitprice"],
      ["email", 4, "contact\u00a0 email"],
      ["note", null, null],
    ]);
    expect(match.ignoredHeaders).toEqual(["Comments"]);
  });

  it("names the missing required columns, by header, in template order", () => {
    const error = thrown(() => matchHeaders(["Article Number", "Note"], columns));
    expect(error.code).toBe("MISSING_COLUMNS");
    expect(error.message).toBe("Missing required column(s): Unit Price, Contact Email");
  });

  it("names the header row when it is not row 1", () => {
    const error = thrown(() => matchHeaders(["Article Number", "Note"], columns, 3));
    expect(error.message).toBe("Missing required column(s) in the header row (row 3): Unit Price, Contact Email");
  });

  it("rejects a header row that matches no column at all, saying what was expected, before what is missing", () => {
    expect(thrown(() => matchHeaders(["Q3 sales report"], columns)).message).toBe(
      "None of the expected columns were found in the header row (row 1). " +
        "Expected: Article Number, Unit Price, Contact Email, Note",
    );
  });

  it("rejects a header row that matches no optional column either", () => {
    const optional: TemplateColumn[] = [{ key: "note", header: "Note", type: "STRING", required: false }];
    const error = thrown(() => matchHeaders(["Foo", "Bar"], optional, 2));
    expect(error.code).toBe("MISSING_COLUMNS");
    expect(error.message).toBe("None of the expected columns were found in the header row (row 2). Expected: Note");
  });

  it("rejects two header cells for the same column", () => {
    const error = thrown(() =>
      matchHeaders(["Article Number", "Unit Price", "Contact Email", "Note", "EMAIL"], columns),
    );
    expect(error.code).toBe("DUPLICATE_COLUMN");
    expect(error.message).toBe(
      "The column “Contact Email” appears twice in the header row (columns C and E). Remove or rename one of them.",
    );
  });

  it("prefers a column's header over another column's key", () => {
    const tricky: TemplateColumn[] = [
      { key: "name", header: "Full Name", type: "STRING", required: true },
      { key: "nickname", header: "Name", type: "STRING", required: true },
    ];
    const match = matchHeaders(["name", "full name"], tricky);
    expect(match.columns.map((c) => c.index)).toEqual([1, 0]);
  });
});

describe("scoreHeaders", () => {
  it("counts the template columns a row has, required ones double, and whether it has the required ones", () => {
    expect(scoreHeaders(["Q3 sales report"], columns)).toEqual({ score: 0, complete: false });
    expect(scoreHeaders(["Note"], columns)).toEqual({ score: 1, complete: false });
    expect(scoreHeaders(["unit price", null, "NOTE"], columns)).toEqual({ score: 3, complete: false });
    expect(scoreHeaders(["Article Number", "Unit Price", "Contact Email", "email"], columns)).toEqual({
      score: 6,
      complete: true,
    });
    const optional: TemplateColumn[] = [{ key: "note", header: "Note", type: "STRING", required: false }];
    expect(scoreHeaders(["Title"], optional)).toEqual({ score: 0, complete: false });
  });
});

describe("columnLetter", () => {
  it("names columns as Excel does", () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnLetter)).toEqual(["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]);
  });
});
