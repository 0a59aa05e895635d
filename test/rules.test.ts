import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./gql/index.js";
import type { TemplateColumnInput } from "./gql/graphql.js";
import { importFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { SignUp } from "./operations.js";

/** The fields these tests compare, spelled once. */
export const RuleFields = graphql(`
  fragment RuleFields on ImportTemplate {
    id
    columns {
      key
      type
      allowedValues
      min
      max
      minLength
      maxLength
      pattern
      unique
    }
  }
`);

const CreateRuleTemplate = graphql(`
  mutation CreateRuleTemplate($input: CreateImportTemplateInput!) {
    createImportTemplate(input: $input) {
      ...RuleFields
    }
  }
`);

const UpdateRuleTemplate = graphql(`
  mutation UpdateRuleTemplate($id: ID!, $input: UpdateImportTemplateInput!) {
    updateImportTemplate(id: $id, input: $input) {
      ...RuleFields
    }
  }
`);

const RuleTemplate = graphql(`
  query RuleTemplate($id: ID!) {
    importTemplate(id: $id) {
      ...RuleFields
    }
  }
`);

let t: TestApp;
let sql: pg.Pool;

beforeAll(async () => {
  t = await startTestApp();
  sql = new pg.Pool({ connectionString: t.database.url });
});

afterAll(async () => {
  await sql.end();
  await t.stop();
});

async function newUser(): Promise<string> {
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  expect(signUp.errors).toBeUndefined();
  return signUp.data!.signUp.token;
}

async function createTemplate(token: string, columns: TemplateColumnInput[]) {
  const created = await t.request(CreateRuleTemplate, { input: { name: "Rules", columns } }, token);
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  return created.data.createImportTemplate;
}

const refusal = (result: { errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }) =>
  result.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }));

/** A CSV file: the header row, then the rows; fields are quoted when they hold a comma. */
const csv = (rows: ReadonlyArray<ReadonlyArray<string | number>>) =>
  Buffer.from(
    rows.map((row) => row.map((field) => (String(field).includes(",") ? `"${field}"` : field)).join(",")).join("\n") +
      "\n",
  );

/** Imports `rows` (headers first) over real multipart and returns its records and row errors. */
async function importRows(token: string, templateId: string, rows: ReadonlyArray<ReadonlyArray<string | number>>) {
  const imported = await importFile(t, token, templateId, csv(rows), "rules.csv");
  return {
    status: imported.status,
    records: imported.records.edges.map((e) => e.node),
    errors: imported.errors.edges.map((e) => e.node),
  };
}

describe("rules on template columns", () => {
  it("are stored normalised, served back, and kept in each import's snapshot of the template", async () => {
    const token = await newUser();
    const created = await createTemplate(token, [
      { key: "status", header: "Status", type: "STRING", allowedValues: [" Active ", "Paused"], unique: true },
      { key: "qty", header: "Qty", type: "INTEGER", min: " 1e3 ", max: "1,500" },
      { key: "price", header: "Price", type: "DECIMAL", min: "-0", max: "2.50" },
      { key: "day", header: "Day", type: "DATE", min: "2024/01/31", max: "2024-12-31T23:00:00Z" },
      { key: "at", header: "At", type: "DATETIME", min: "2024-01-31", max: "2024-06-01T12:00:00+02:00" },
      { key: "code", header: "Code", type: "STRING", minLength: 0, maxLength: 8, pattern: "^[A-Z]{3}-\\d+$" },
      { key: "email", header: "Email", type: "EMAIL", pattern: "@example\\.com$", unique: null },
    ]);
    const none = { allowedValues: null, min: null, max: null, minLength: null, maxLength: null, pattern: null };
    const expected = [
      { key: "status", type: "STRING", ...none, allowedValues: ["Active", "Paused"], unique: true },
      { key: "qty", type: "INTEGER", ...none, min: "1000", max: "1500", unique: false },
      { key: "price", type: "DECIMAL", ...none, min: "0", max: "2.5", unique: false },
      { key: "day", type: "DATE", ...none, min: "2024-01-31", max: "2024-12-31", unique: false },
      {
        key: "at",
        type: "DATETIME",
        ...none,
        min: "2024-01-31T00:00:00.000Z",
        max: "2024-06-01T10:00:00.000Z",
        unique: false,
      },
      { key: "code", type: "STRING", ...none, minLength: 0, maxLength: 8, pattern: "^[A-Z]{3}-\\d+$", unique: false },
      { key: "email", type: "EMAIL", ...none, pattern: "@example\\.com$", unique: false },
    ];
    expect(created.columns).toEqual(expected);
    const found = await t.request(RuleTemplate, { id: created.id }, token);
    expect(found.data!.importTemplate!.columns).toEqual(expected);

    // stored with only the rules a column has
    const stored = await sql.query<{ columns: Array<Record<string, unknown>> }>(
      "select columns from import_templates where id = $1",
      [created.id],
    );
    expect(stored.rows[0]!.columns[1]).toEqual({
      key: "qty",
      header: "Qty",
      type: "INTEGER",
      required: false,
      aliases: [],
      min: "1000",
      max: "1500",
    });

    const imported = await importFile(
      t,
      token,
      created.id,
      csv([
        ["Status", "Qty", "Price", "Day", "At", "Code", "Email"],
        ["active", 1200, 1, "2024-02-01", "2024-02-01T00:00:00Z", "ABC-1", "ada@example.com"],
      ]),
      "rules.csv",
    );
    const snapshot = await sql.query<{ template_columns: Array<Record<string, unknown>> }>(
      "select template_columns from imports where id = $1",
      [imported.id],
    );
    expect(snapshot.rows[0]!.template_columns).toEqual(stored.rows[0]!.columns);
  });

  it("make each broken rule a row error with the rule and the value, and store allowed values as listed", async () => {
    const token = await newUser();
    const template = await createTemplate(token, [
      { key: "status", header: "Status", type: "STRING", allowedValues: ["Active", "Paused", "Retired"] },
      { key: "qty", header: "Qty", type: "INTEGER", min: "0", max: "100" },
      { key: "price", header: "Price", type: "DECIMAL", min: "0.5" },
      { key: "day", header: "Day", type: "DATE", min: "2024-01-01", max: "2024-12-31" },
      { key: "at", header: "At", type: "DATETIME", max: "2024-06-01T00:00:00.000Z" },
      { key: "name", header: "Name", type: "STRING", minLength: 3, maxLength: 10 },
      { key: "code", header: "Code", type: "STRING", pattern: "^[A-Z]{3}-\\d+$" },
      { key: "email", header: "Email", type: "EMAIL", pattern: "@example\\.com$", maxLength: 20 },
    ]);
    const long = `${"x".repeat(59)}é${"y".repeat(40)}`;
    const { status, records, errors } = await importRows(token, template.id, [
      ["Status", "Qty", "Price", "Day", "At", "Code", "Name", "Email"],
      [" ACTIVE ", 0, 0.5, "2024-01-01", "2024-06-01T00:00:00Z", "ABC-1", "Ada", "Ada@EXAMPLE.com"], // 2
      ["actve", 100, 9, "2024-12-31", "2024-05-31", "XYZ-42", "Ada Byron", ""], // 3
      ["paused", -5, 0.49, "2023-12-31", "2024-06-01T00:00:00.001Z", "ab-1", "ab", "ada@example.org"], // 4
      ["Retired", 150, 1, "2025-01-01", "", "ABC-1x", "abcdefghijkl", "a.very.long.name@example.com"], // 5
      ["retired", 1, 1, "", "", "", long, ""], // 6
      ["", "", "", "", "", "", "🙂🙂🙂", ""], // 7: three characters, six UTF-16 units
      ["", "", "", "", "", "", "🙂🙂", ""], // 8
    ]);
    expect(status).toBe("COMPLETED");
    expect(records).toEqual([
      {
        rowNumber: 2,
        data: {
          status: "Active",
          qty: 0,
          price: 0.5,
          day: "2024-01-01",
          at: "2024-06-01T00:00:00.000Z",
          name: "Ada",
          code: "ABC-1",
          email: "ada@example.com",
        },
      },
      {
        rowNumber: 7,
        data: { status: null, qty: null, price: null, day: null, at: null, name: "🙂🙂🙂", code: null, email: null },
      },
    ]);
    expect(errors).toEqual([
      {
        rowNumber: 3,
        column: "Status",
        message: "must be one of Active, Paused, Retired; got 'actve'",
        value: "actve",
      },
      { rowNumber: 4, column: "Qty", message: "must be at least 0; got -5", value: "-5" },
      { rowNumber: 4, column: "Price", message: "must be at least 0.5; got 0.49", value: "0.49" },
      { rowNumber: 4, column: "Day", message: "must be at least 2024-01-01; got 2023-12-31", value: "2023-12-31" },
      {
        rowNumber: 4,
        column: "At",
        message: "must be at most 2024-06-01T00:00:00.000Z; got 2024-06-01T00:00:00.001Z",
        value: "2024-06-01T00:00:00.001Z",
      },
      { rowNumber: 4, column: "Name", message: "must be at least 3 characters; got 'ab'", value: "ab" },
      { rowNumber: 4, column: "Code", message: "must match the pattern ^[A-Z]{3}-\\d+$; got 'ab-1'", value: "ab-1" },
      {
        rowNumber: 4,
        column: "Email",
        message: "must match the pattern @example\\.com$; got 'ada@example.org'",
        value: "ada@example.org",
      },
      { rowNumber: 5, column: "Qty", message: "must be at most 100; got 150", value: "150" },
      { rowNumber: 5, column: "Day", message: "must be at most 2024-12-31; got 2025-01-01", value: "2025-01-01" },
      {
        rowNumber: 5,
        column: "Name",
        message: "must be at most 10 characters; got 'abcdefghijkl'",
        value: "abcdefghijkl",
      },
      {
        rowNumber: 5,
        column: "Code",
        message: "must match the pattern ^[A-Z]{3}-\\d+$; got 'ABC-1x'",
        value: "ABC-1x",
      },
      {
        rowNumber: 5,
        column: "Email",
        message: "must be at most 20 characters; got 'a.very.long.name@example.com'",
        value: "a.very.long.name@example.com",
      },
      {
        rowNumber: 6,
        column: "Name",
        message: `must be at most 10 characters; got '${"x".repeat(59)}é…'`,
        value: long,
      },
      { rowNumber: 8, column: "Name", message: "must be at least 3 characters; got '🙂🙂'", value: "🙂🙂" },
    ]);
  });

  it("name the earlier row of a value that must be unique, on each later row", async () => {
    const token = await newUser();
    const template = await createTemplate(token, [
      { key: "sku", header: "SKU", type: "STRING", unique: true },
      { key: "qty", header: "Qty", type: "INTEGER", unique: true },
      { key: "status", header: "Status", type: "STRING", allowedValues: ["Open", "Closed"], unique: true },
      { key: "note", header: "Note", type: "STRING", unique: true },
    ]);
    const longNote = "n".repeat(70);
    const { records, errors } = await importRows(token, template.id, [
      ["SKU", "Qty", "Status", "Note"],
      ["X-1", 1, "open", longNote], // 2
      ["X-2", 2, "", ""], // 3: blank cells are not values
      ["X-3", 3, "", ""], // 4
      ["X-1", 1.0, "OPEN", `${longNote}`], // 5: every value again
      ["x-1", 4, "shut", `${longNote}!`], // 6: text is compared as stored, and a broken rule is not a value
      ["X-1", 5, "shut", ""], // 7: the first row still counts, not the one in between
    ]);
    expect(records.map((record) => record.rowNumber)).toEqual([2, 3, 4]);
    expect(errors).toEqual([
      { rowNumber: 5, column: "SKU", message: "must be unique in the file; 'X-1' is also in row 2", value: "X-1" },
      { rowNumber: 5, column: "Qty", message: "must be unique in the file; '1' is also in row 2", value: "1" },
      {
        rowNumber: 5,
        column: "Status",
        message: "must be unique in the file; 'Open' is also in row 2",
        value: "OPEN",
      },
      {
        rowNumber: 5,
        column: "Note",
        message: `must be unique in the file; '${"n".repeat(60)}…' is also in row 2`,
        value: longNote,
      },
      { rowNumber: 6, column: "Status", message: "must be one of Open, Closed; got 'shut'", value: "shut" },
      { rowNumber: 7, column: "SKU", message: "must be unique in the file; 'X-1' is also in row 2", value: "X-1" },
      { rowNumber: 7, column: "Status", message: "must be one of Open, Closed; got 'shut'", value: "shut" },
    ]);
  });

  it("list at most about 200 characters of allowed values in a message", async () => {
    const token = await newUser();
    const values = Array.from({ length: 500 }, (_, i) => `Value number ${i}`);
    const template = await createTemplate(token, [
      { key: "name", header: "Name", type: "STRING", required: true },
      { key: "kind", header: "Kind", type: "STRING", allowedValues: values },
    ]);
    const { errors } = await importRows(token, template.id, [
      ["Name", "Kind"],
      ["ok", "VALUE NUMBER 499"],
      ["bad", "value number 500"],
    ]);
    const shown = values.slice(0, 12).join(", ");
    expect(errors).toEqual([
      {
        rowNumber: 3,
        column: "Kind",
        message: `must be one of ${shown}, … and 488 more; got 'value number 500'`,
        value: "value number 500",
      },
    ]);
  });

  it("run a catastrophic pattern in linear time: ^(a+)+$ against 'aaaa…b' finishes at once", async () => {
    const token = await newUser();
    const template = await createTemplate(token, [
      { key: "name", header: "Name", type: "STRING", required: true },
      { key: "code", header: "Code", type: "STRING", pattern: "^(a+)+$" },
    ]);
    // a backtracking engine takes about 2^n steps for n a's; here n is 100,000, in 20 rows
    const evil = `${"a".repeat(100_000)}b`;
    const rows: string[][] = [
      ["Name", "Code"],
      ["fine", "aaaa"],
    ];
    for (let i = 0; i < 20; i++) rows.push([`evil ${i}`, evil]);
    const started = performance.now();
    const { status, records, errors } = await importRows(token, template.id, rows);
    const elapsed = performance.now() - started;
    expect(status).toBe("COMPLETED");
    expect(records.map((record) => record.data)).toEqual([{ name: "fine", code: "aaaa" }]);
    expect(errors).toHaveLength(20);
    expect(errors[0]).toEqual({
      rowNumber: 3,
      column: "Code",
      message: `must match the pattern ^(a+)+$; got '${"a".repeat(60)}…'`,
      value: evil,
    });
    expect(elapsed).toBeLessThan(2000);
  });
});

describe("saving a template with rules", () => {
  const STRING = "STRING" as const;
  it.each<[string, TemplateColumnInput, string]>([
    [
      "allowedValues on a number",
      { key: "qty", header: "Qty", type: "INTEGER", allowedValues: ["1"] },
      'Column "qty" is INTEGER: allowedValues is for STRING columns only.',
    ],
    [
      "min on text",
      { key: "name", header: "Name", type: STRING, min: "a" },
      'Column "name" is STRING: min is for INTEGER, DECIMAL, DATE and DATETIME columns only.',
    ],
    [
      "max on a boolean",
      { key: "ok", header: "OK", type: "BOOLEAN", max: "1" },
      'Column "ok" is BOOLEAN: max is for INTEGER, DECIMAL, DATE and DATETIME columns only.',
    ],
    [
      "minLength on a date",
      { key: "day", header: "Day", type: "DATE", minLength: 1 },
      'Column "day" is DATE: minLength is for STRING and EMAIL columns only.',
    ],
    [
      "maxLength on a number",
      { key: "qty", header: "Qty", type: "DECIMAL", maxLength: 1 },
      'Column "qty" is DECIMAL: maxLength is for STRING and EMAIL columns only.',
    ],
    [
      "pattern on a date-time",
      { key: "at", header: "At", type: "DATETIME", pattern: "^2024" },
      'Column "at" is DATETIME: pattern is for STRING and EMAIL columns only.',
    ],
    [
      "a min that is not a whole number",
      { key: "qty", header: "Qty", type: "INTEGER", min: "1.5" },
      'Column "qty" has a min that does not fit its type INTEGER: Expected a whole number, got "1.5".',
    ],
    [
      "a max written with a decimal comma",
      { key: "price", header: "Price", type: "DECIMAL", max: "2,5" },
      'Column "price" has a max that does not fit its type DECIMAL: Expected a number, got "2,5". ' +
        "This template writes numbers with a decimal point, e.g. 1234.5 or 1,234.5.",
    ],
    [
      "a min that is no date",
      { key: "day", header: "Day", type: "DATE", min: "31.01.2024" },
      'Column "day" has a min that does not fit its type DATE: Expected a date like 2024-05-31 (YYYY-MM-DD), ' +
        'got "31.01.2024".',
    ],
    [
      "an empty min",
      { key: "qty", header: "Qty", type: "INTEGER", min: " " },
      'Column "qty" has an empty min: leave it out (null) for none.',
    ],
    [
      "min above max",
      { key: "qty", header: "Qty", type: "INTEGER", min: "10", max: "9" },
      'Column "qty" has min 10 above max 9.',
    ],
    [
      "min above max, as dates",
      { key: "at", header: "At", type: "DATETIME", min: "2024-02-01", max: "2024-01-31T23:59:59Z" },
      'Column "at" has min 2024-02-01T00:00:00.000Z above max 2024-01-31T23:59:59.000Z.',
    ],
    [
      "minLength above maxLength",
      { key: "name", header: "Name", type: STRING, minLength: 5, maxLength: 4 },
      'Column "name" has minLength 5 above maxLength 4.',
    ],
    [
      "a negative minLength",
      { key: "name", header: "Name", type: STRING, minLength: -1 },
      'Column "name" has minLength -1; it must be from 0 to 1000000.',
    ],
    [
      "a maxLength of 0",
      { key: "name", header: "Name", type: STRING, maxLength: 0 },
      'Column "name" has maxLength 0; it must be from 1 to 1000000.',
    ],
    [
      "a maxLength over the bound",
      { key: "name", header: "Name", type: STRING, maxLength: 1_000_001 },
      'Column "name" has maxLength 1000001; it must be from 1 to 1000000.',
    ],
    [
      "a pattern that does not compile",
      { key: "code", header: "Code", type: STRING, pattern: "(a" },
      'Column "code" has a pattern that does not compile: error parsing regexp: missing closing ): `(a`.',
    ],
    [
      "a backreference",
      { key: "code", header: "Code", type: STRING, pattern: "(a)\\1" },
      'Column "code" has a pattern that does not compile: error parsing regexp: invalid escape sequence: `\\1`.',
    ],
    [
      "a pattern that compiles to too large a program",
      { key: "code", header: "Code", type: STRING, pattern: "(?:\\pL|\\pN|\\pP){700}$" },
      'Column "code" has a pattern that is too complex to check quickly (703 steps once compiled, at most 400): ' +
        "use smaller repeat counts, or minLength and maxLength for lengths.",
    ],
    [
      "a pattern over 1,000 characters",
      { key: "code", header: "Code", type: STRING, pattern: "a".repeat(1001) },
      'Column "code" has a pattern over 1000 characters.',
    ],
    [
      "an empty pattern",
      { key: "code", header: "Code", type: STRING, pattern: "" },
      'Column "code" has an empty pattern: leave it out (null) for none.',
    ],
    [
      "an empty allowedValues list",
      { key: "status", header: "Status", type: STRING, allowedValues: [] },
      'Column "status" has an empty allowedValues list: list at least one value, or leave it out (null).',
    ],
    [
      "a blank allowed value",
      { key: "status", header: "Status", type: STRING, allowedValues: ["Open", "  "] },
      'Column "status" has an empty allowed value.',
    ],
    [
      "an allowed value over 200 characters",
      { key: "status", header: "Status", type: STRING, allowedValues: ["x".repeat(201)] },
      'Column "status" has an allowed value over 200 characters.',
    ],
    [
      "more than 500 allowed values",
      { key: "status", header: "Status", type: STRING, allowedValues: Array.from({ length: 501 }, (_, i) => `v${i}`) },
      'Column "status" has more than 500 allowed values.',
    ],
    [
      "an allowed value repeated in another case",
      { key: "status", header: "Status", type: STRING, allowedValues: ["Open", "Closed", " OPEN"] },
      'Column "status" lists "Open" and "OPEN" as allowed values; they are the same value, since allowed values ' +
        "are compared ignoring case.",
    ],
  ])("refuses %s with BAD_USER_INPUT", async (_, column, message) => {
    const token = await newUser();
    const created = await t.request(CreateRuleTemplate, { input: { name: "Rules", columns: [column] } }, token);
    expect(refusal(created)).toEqual([{ code: "BAD_USER_INPUT", message }]);
  });

  it("takes the longest values the bounds allow", async () => {
    const token = await newUser();
    const created = await createTemplate(token, [
      {
        key: "status",
        header: "Status",
        type: STRING,
        allowedValues: Array.from({ length: 500 }, (_, i) => `${i}`.padEnd(200, "x")),
        minLength: 1_000_000,
        maxLength: 1_000_000,
        pattern: `(?:${"a|".repeat(497)}bc)`,
      },
    ]);
    expect(created.columns[0]!.allowedValues).toHaveLength(500);
    expect(created.columns[0]!.pattern).toHaveLength(1000);
  });

  it("checks updateImportTemplate's columns the same way, and leaves the template as it was", async () => {
    const token = await newUser();
    const created = await createTemplate(token, [{ key: "qty", header: "Qty", type: "INTEGER", min: "0" }]);
    const updated = await t.request(
      UpdateRuleTemplate,
      { id: created.id, input: { columns: [{ key: "qty", header: "Qty", type: "INTEGER", min: "5", max: "1" }] } },
      token,
    );
    expect(refusal(updated)).toEqual([{ code: "BAD_USER_INPUT", message: 'Column "qty" has min 5 above max 1.' }]);
    const found = await t.request(RuleTemplate, { id: created.id }, token);
    expect(found.data!.importTemplate!.columns[0]!.min).toBe("0");

    const changed = await t.request(
      UpdateRuleTemplate,
      { id: created.id, input: { columns: [{ key: "qty", header: "Qty", type: "INTEGER", max: "0x10" }] } },
      token,
    );
    expect(refusal(changed)).toEqual([
      {
        code: "BAD_USER_INPUT",
        message: 'Column "qty" has a max that does not fit its type INTEGER: Expected a whole number, got "0x10".',
      },
    ]);
    const fine = await t.request(
      UpdateRuleTemplate,
      {
        id: created.id,
        input: { columns: [{ key: "qty", header: "Qty", type: "INTEGER", max: "+10", unique: true }] },
      },
      token,
    );
    expect(fine.data!.updateImportTemplate.columns[0]).toMatchObject({ min: null, max: "10", unique: true });
  });
});
