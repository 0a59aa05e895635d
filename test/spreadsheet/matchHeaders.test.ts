import { describe, expect, it } from "vitest";
import { columnLetter, matchHeaders, normalizeHeader, type TemplateColumn } from "../../src/spreadsheet/index.js";
import { FUZZY_THRESHOLD, headerSimilarity, scoreHeaders } from "../../src/spreadsheet/matchHeaders.js";

const columns: TemplateColumn[] = [
  { key: "sku", header: "Article Number", type: "STRING", required: true },
  { key: "unitPrice", header: "Unit Price", type: "DECIMAL", required: true },
  { key: "email", header: "Contact Email", type: "EMAIL", required: true },
  { key: "note", header: "Note", type: "STRING", required: false },
];

/** The reason a header row cannot be imported, which must exist. */
function problem(...args: Parameters<typeof matchHeaders>) {
  const { problem } = matchHeaders(...args);
  if (!problem) throw new Error("expected a problem");
  return problem;
}

describe("matchHeaders", () => {
  it("matches by header or key, ignoring case, spaces and punctuation, and ignores extra columns", () => {
    const match = matchHeaders(
      [null, "  ARTICLE NUMBER ", "Comments", "unit_price", "contact\u00a0 e-mail", ""],
      columns,
      3,
    );
    expect(match.rowNumber).toBe(3);
    expect(match.problem).toBeNull();
    expect(match.columns.map((c) => [c.column.key, c.index, c.sourceHeader])).toEqual([
      ["sku", 1, "ARTICLE NUMBER"],
      ["unitPrice", 3, "unit_price"],
      ["email", 4, "contact\u00a0 e-mail"],
      ["note", null, null],
    ]);
    expect(match.mapping.map((m) => [m.templateKey, m.sourceIndex, m.match, m.score])).toEqual([
      ["sku", 1, "EXACT", 1],
      ["unitPrice", 3, "EXACT", 1],
      ["email", 4, "EXACT", 1],
      ["note", null, "NONE", null],
    ]);
    expect(match.ignoredHeaders).toEqual(["Comments"]);
  });

  it("normalises case, accents, spaces, punctuation and camelCase alike", () => {
    const keys = ["Unit Price", "unit_price", "unitPrice", "UNIT-PRICE", " Ünit  Price. "].map(normalizeHeader);
    expect(new Set(keys)).toEqual(new Set(["unitprice"]));
    expect(normalizeHeader("E-mail")).toBe(normalizeHeader("email"));
    // no letter or digit: as written, so "#" is not "—"
    expect(normalizeHeader(" # ")).toBe("#");
    const numbered: TemplateColumn[] = [{ key: "number", header: "#", type: "INTEGER", required: true }];
    expect(matchHeaders(["—", "#"], numbered).mapping[0]).toMatchObject({ sourceIndex: 1, match: "EXACT" });
  });

  it("maps “Price (USD)” by similarity and “E-mail” by alias, with how alike they are", () => {
    const template: TemplateColumn[] = [
      { key: "unitPrice", header: "Unit Price", type: "DECIMAL", required: true },
      { key: "contact", header: "Contact Email", type: "EMAIL", required: true, aliases: ["E-mail"] },
    ];
    const match = matchHeaders(["Price (USD)", "E-mail"], template);
    expect(match.problem).toBeNull();
    const [price, email] = match.mapping;
    expect(price).toMatchObject({
      templateKey: "unitPrice",
      sourceIndex: 0,
      sourceHeader: "Price (USD)",
      match: "FUZZY",
    });
    expect(price!.score).toBeGreaterThanOrEqual(FUZZY_THRESHOLD);
    expect(price!.score).toBeLessThan(1);
    expect(email).toMatchObject({ templateKey: "contact", sourceIndex: 1, match: "ALIAS", score: 1 });
  });

  it("takes typos and abbreviations as similar, and leaves unrelated headers alone", () => {
    const table: TemplateColumn[] = [
      { key: "quantity", header: "Quantity", type: "INTEGER", required: true },
      { key: "description", header: "Description", type: "STRING", required: false },
      { key: "customerName", header: "Customer Name", type: "STRING", required: false },
    ];
    const match = matchHeaders(["Qty", "Desc.", "Custmer Name", "Warehouse"], table);
    expect(match.mapping.map((m) => [m.templateKey, m.sourceHeader, m.match])).toEqual([
      ["quantity", "Qty", "FUZZY"],
      ["description", "Desc.", "FUZZY"],
      ["customerName", "Custmer Name", "FUZZY"],
    ]);
    expect(match.ignoredHeaders).toEqual(["Warehouse"]);
    expect(headerSimilarity("Warehouse", "Quantity")).toBeLessThan(FUZZY_THRESHOLD);
  });

  it("does not guess: a header that says more than the column, or a rival nearly as alike, is left to a person", () => {
    const col = (header: string, key: string): TemplateColumn => ({ key, header, type: "STRING", required: false });
    const cases: Array<[string[], TemplateColumn[]]> = [
      [
        ["SKU Description", "Product Category", "No."],
        [col("SKU", "sku"), col("Product", "product"), col("Notes", "notes")],
      ],
      [["Email Opt-in"], [col("Email", "email")]],
      [
        ["Product Name", "Order ID", "Net price", "PO", "Dt"],
        [col("Name", "name"), col("ID", "id"), col("Unit Price", "price"), col("Discount", "discount")],
      ],
      // two headers fit one column about equally
      [["Unit", "Price"], [col("Unit Price", "unitPrice")]],
      [["Price (EUR)", "Price (USD)"], [col("Unit Price", "unitPrice")]],
      [["Sender Email", "Recipient Email"], [col("Contact Email", "contact")]],
      // one header fits two columns about equally
      [["Date"], [col("Ship Date", "shipDate"), col("Order Date", "orderDate")]],
    ];
    for (const [headers, template] of cases) {
      expect(matchHeaders(headers, template).mapping.map((m) => m.match)).toEqual(template.map(() => "NONE"));
    }
  });

  it("takes the plain header over longer ones, and reads past filler words", () => {
    const price: TemplateColumn[] = [{ key: "unitPrice", header: "Unit Price", type: "DECIMAL", required: true }];
    expect(matchHeaders(["Price Type", "Unit Price Currency", "Price"], price).mapping[0]).toMatchObject({
      sourceHeader: "Price",
      match: "FUZZY",
    });
    expect(matchHeaders(["Price per unit"], price).mapping[0]).toMatchObject({ match: "FUZZY", score: 1 });
  });

  it("lets an alias win over a header that only looks the same, without calling it a duplicate", () => {
    // a person once chose "Customer E-mail" over the "Email" column: the next such file maps itself
    const template: TemplateColumn[] = [
      { key: "name", header: "Name", type: "STRING", required: true },
      { key: "email", header: "Email", type: "EMAIL", required: true, aliases: ["Customer E-mail"] },
    ];
    const match = matchHeaders(["Name", "Email", "Customer E-mail"], template);
    expect(match.problem).toBeNull();
    expect(match.mapping[1]).toMatchObject({ sourceIndex: 2, match: "ALIAS" });
    expect(match.ignoredHeaders).toEqual(["Email"]);
    // two headers that are both the alias are a duplicate, as two exact ones are
    expect(problem(["Name", "Customer E-mail", "customer email"], template).code).toBe("DUPLICATE_COLUMN");
  });

  it("says when the mapping leaves a required column empty, apart from columns not found", () => {
    const found = problem(["Article Number", "Unit Price", "Contact Email"], columns, 1, [
      { templateKey: "sku", sourceIndex: null },
    ]);
    expect(found.message).toBe("The mapping leaves required column(s) empty: Article Number.");
  });

  it("matches a header row of 150,000 cells by exact header at once", () => {
    const wide = Array.from({ length: 150_000 }, () => "a");
    const match = matchHeaders([...wide, "Unit Price"], columns);
    expect(match.mapping[1]).toMatchObject({ sourceIndex: 150_000, match: "EXACT" });
  });

  it("gives each file column to one template column, the most alike pair first", () => {
    const names: TemplateColumn[] = [
      { key: "firstName", header: "First Name", type: "STRING", required: false },
      { key: "name", header: "Name", type: "STRING", required: false },
    ];
    // "Name" is EXACT for name, so First Name cannot have it too
    expect(matchHeaders(["Name"], names).mapping.map((m) => m.sourceIndex)).toEqual([null, 0]);
    // the closer pair wins: "First name." goes to First Name, not to Name
    expect(matchHeaders(["Firstname"], names).mapping.map((m) => m.match)).toEqual(["EXACT", "NONE"]);
  });

  it("lets picks win: MANUAL unless the header picked matches anyway, and null leaves a column empty", () => {
    const match = matchHeaders(["Article Number", "Cost", "Contact Email", "Unit Price"], columns, 1, [
      { templateKey: "unitPrice", sourceIndex: 1 },
      { templateKey: "sku", sourceIndex: 0 },
      { templateKey: "note", sourceIndex: null },
    ]);
    expect(match.problem).toBeNull();
    expect(match.mapping.map((m) => [m.templateKey, m.sourceIndex, m.match])).toEqual([
      ["sku", 0, "EXACT"],
      ["unitPrice", 1, "MANUAL"],
      ["email", 2, "EXACT"],
      ["note", null, "MANUAL"],
    ]);
    expect(match.ignoredHeaders).toEqual(["Unit Price"]);
  });

  it("names a pick outside the file's headers as the problem", () => {
    const found = problem(["Article Number", "Unit Price", "Contact Email"], columns, 1, [
      { templateKey: "note", sourceIndex: 5 },
    ]);
    expect(found.code).toBe("BAD_MAPPING");
    expect(found.message).toBe(
      "The mapping puts column F into “Note”, but the file has no header in column F. " +
        "Its headers are: Article Number, Unit Price, Contact Email.",
    );
  });

  it("names the missing required columns in template order, the file's headers, and the closest candidates", () => {
    const found = problem(["Article Number", "Note", "Price Total"], columns);
    expect(found.code).toBe("MISSING_COLUMNS");
    expect(found.message).toMatch(
      /^Missing required column\(s\): Unit Price, Contact Email\. The file's headers are: Article Number, Note, Price Total\. Closest: “Price Total” for Unit Price \(50% alike\)\.$/,
    );
  });

  it("names the header row when it is not row 1", () => {
    expect(problem(["Article Number", "Note"], columns, 3).message).toBe(
      "Missing required column(s) in the header row (row 3): Unit Price, Contact Email. " +
        "The file's headers are: Article Number, Note.",
    );
  });

  it("rejects a header row that matches no column at all, saying what was expected and what it holds", () => {
    expect(problem(["Q3 sales report"], columns).message).toBe(
      "None of the expected columns were found in the header row (row 1). " +
        "Expected: Article Number, Unit Price, Contact Email, Note. The row holds: Q3 sales report.",
    );
  });

  it("rejects a header row that matches no optional column either", () => {
    const optional: TemplateColumn[] = [{ key: "note", header: "Note", type: "STRING", required: false }];
    const found = problem(["Foo", "Bar"], optional, 2);
    expect(found.code).toBe("MISSING_COLUMNS");
    expect(found.message).toBe(
      "None of the expected columns were found in the header row (row 2). Expected: Note. The row holds: Foo, Bar.",
    );
  });

  it("rejects two header cells for the same column, unless a pick chooses one", () => {
    const headers = ["Article Number", "Unit Price", "Contact Email", "Note", "EMAIL"];
    const found = problem(headers, columns);
    expect(found.code).toBe("DUPLICATE_COLUMN");
    expect(found.message).toBe(
      "The column “Contact Email” appears twice in the header row (columns C and E). " +
        "Remove or rename one of them, or choose one in the mapping.",
    );
    const picked = matchHeaders(headers, columns, 1, [{ templateKey: "email", sourceIndex: 4 }]);
    expect(picked.problem).toBeNull();
    expect(picked.mapping[2]).toMatchObject({ sourceIndex: 4, match: "EXACT" });
  });

  it("skips fuzzy matching on a row thousands of columns wide, which would take too long", () => {
    const wide = Array.from({ length: 5_000 }, (_, i) => `Field ${i}`);
    const match = matchHeaders([...wide, "Unit Price (USD)"], columns);
    expect(match.mapping.every((m) => m.match === "NONE")).toBe(true);
    expect(matchHeaders(["Unit Price (USD)"], columns).mapping[1]!.match).toBe("FUZZY");
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
