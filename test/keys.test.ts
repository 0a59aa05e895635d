import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RequestExport, GetExport } from "./exportOperations.js";
import { graphql } from "./gql/index.js";
import type { ChangeKind, CreateImportTemplateInput, ImportOptions } from "./gql/graphql.js";
import { download, isFinalExport, waitForExport } from "./helpers/exports.js";
import { isSettled, uploadFile, waitForImport } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { SignUp } from "./operations.js";

const CreateTemplate = graphql(`
  mutation CreateKeyedTemplate($input: CreateImportTemplateInput!) {
    createImportTemplate(input: $input) {
      id
      keyColumns
      duplicates
    }
  }
`);

const UpdateTemplate = graphql(`
  mutation UpdateKeyedTemplate($id: ID!, $input: UpdateImportTemplateInput!) {
    updateImportTemplate(id: $id, input: $input) {
      id
      keyColumns
      duplicates
    }
  }
`);

const GetChanges = graphql(`
  query GetChanges($id: ID!, $first: Int, $after: String, $kind: ChangeKind) {
    import(id: $id) {
      status
      errorMessage
      mode
      rowsTotal
      rowsImported
      rowsFailed
      rowsCreated
      rowsUpdated
      rowsUnchanged
      rowsDuplicate
      changes(first: $first, after: $after, kind: $kind) {
        edges {
          node {
            rowNumber
            kind
            key
            before
            after
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
      errors(first: 100) {
        edges {
          node {
            rowNumber
            column
            message
            value
          }
        }
      }
    }
  }
`);

const ConfirmKeyed = graphql(`
  mutation ConfirmKeyed($id: ID!) {
    confirmImport(id: $id) {
      id
    }
  }
`);

const products = [
  { key: "sku", header: "SKU", type: "STRING" as const, required: true },
  { key: "name", header: "Name", type: "STRING" as const, required: true },
  { key: "price", header: "Price", type: "DECIMAL" as const, required: false },
];

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

async function newOwner(template: Partial<CreateImportTemplateInput> = { keyColumns: ["sku"] }) {
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  const token = signUp.data!.signUp.token;
  const created = await t.request(
    CreateTemplate,
    { input: { name: "Products", columns: products, ...template } },
    token,
  );
  if (!created.data) throw new Error(JSON.stringify(created.errors));
  return { token, templateId: created.data.createImportTemplate.id };
}

type Owner = Awaited<ReturnType<typeof newOwner>>;

const csv = (rows: ReadonlyArray<ReadonlyArray<string | number>>) =>
  Buffer.from(["SKU,Name,Price", ...rows.map((row) => row.join(","))].join("\n") + "\n");

/** Uploads over real multipart, waits until the import stops moving, and returns its id. */
async function start(owner: Owner, file: Buffer, options?: ImportOptions) {
  const started = await uploadFile(t, owner.token, owner.templateId, file, "products.csv", { options });
  if (!started.data) throw new Error(JSON.stringify(started.errors));
  const { id } = started.data.startImport;
  await waitForImport(t.database.url, id, isSettled);
  return id;
}

async function read(owner: Owner, id: string, args: { kind?: ChangeKind; first?: number; after?: string } = {}) {
  const result = await t.request(GetChanges, { id, first: 500, ...args }, owner.token);
  if (!result.data?.import) throw new Error(JSON.stringify(result.errors));
  return result.data.import;
}

/** Every change of a kind, page by page through the connection. */
async function allChanges(owner: Owner, id: string, kind: ChangeKind) {
  const nodes = [];
  let after: string | undefined;
  for (;;) {
    const page = (await read(owner, id, { kind, first: 500, after })).changes;
    nodes.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor!;
  }
}

async function dataset(templateId: string) {
  const { rows } = await sql.query<{ data: Record<string, unknown> }>(
    "select data from dataset_records where template_id = $1 order by seq",
    [templateId],
  );
  return rows.map((row) => row.data);
}

const errorsOf = (imported: Awaited<ReturnType<typeof read>>) =>
  imported.errors.edges.map(({ node }) => [node.rowNumber, node.column, node.message]);

const catalogue = (n: number) => Array.from({ length: n }, (_, i) => [`SKU-${i}`, `Product ${i}`, (i % 97) + 0.5]);

describe("key columns", () => {
  it("imports the same 10k-row keyed file twice: the second time 10,000 unchanged, 0 created", async () => {
    const owner = await newOwner();
    const file = csv(catalogue(10_000));
    const first = await read(owner, await start(owner, file));
    expect(first).toMatchObject({ status: "COMPLETED", rowsImported: 10_000, rowsCreated: 10_000, rowsUpdated: 0 });
    const second = await read(owner, await start(owner, file), { first: 2 });
    expect(second).toMatchObject({
      status: "COMPLETED",
      rowsTotal: 10_000,
      rowsImported: 10_000,
      rowsCreated: 0,
      rowsUpdated: 0,
      rowsUnchanged: 10_000,
    });
    expect(second.changes.edges.map((e) => e.node)).toEqual([
      {
        rowNumber: 2,
        kind: "UNCHANGED",
        key: { sku: "SKU-0" },
        before: { sku: "SKU-0", name: "Product 0", price: 0.5 },
        after: { sku: "SKU-0", name: "Product 0", price: 0.5 },
      },
      {
        rowNumber: 3,
        kind: "UNCHANGED",
        key: { sku: "SKU-1" },
        before: { sku: "SKU-1", name: "Product 1", price: 1.5 },
        after: { sku: "SKU-1", name: "Product 1", price: 1.5 },
      },
    ]);
    expect(await dataset(owner.templateId)).toHaveLength(10_000);
  });

  it("changes 100 rows and adds 50: 100 updated, 50 created, each with its values before and after", async () => {
    const owner = await newOwner();
    const rows = catalogue(1_000);
    await start(owner, csv(rows));
    const changed = rows.map((row, i) => (i % 10 === 3 ? [row[0]!, `Renamed ${i}`, row[2]!] : row));
    const added = Array.from({ length: 50 }, (_, i) => [`NEW-${i}`, `New ${i}`, i]);
    const id = await start(owner, csv([...changed, ...added]));
    const imported = await read(owner, id, { first: 1 });
    expect(imported).toMatchObject({ rowsCreated: 50, rowsUpdated: 100, rowsUnchanged: 900, rowsFailed: 0 });

    const updated = await allChanges(owner, id, "UPDATED");
    expect(updated).toHaveLength(100);
    for (const change of updated) {
      const i = change.rowNumber - 2;
      expect(change).toEqual({
        rowNumber: i + 2,
        kind: "UPDATED",
        key: { sku: `SKU-${i}` },
        before: { sku: `SKU-${i}`, name: `Product ${i}`, price: (i % 97) + 0.5 },
        after: { sku: `SKU-${i}`, name: `Renamed ${i}`, price: (i % 97) + 0.5 },
      });
    }
    const created = await allChanges(owner, id, "CREATED");
    expect(created.map((c) => [c.rowNumber, c.key, c.before, c.after])).toEqual(
      added.map((row, i) => [1_002 + i, { sku: row[0] }, null, { sku: row[0], name: row[1], price: row[2] }]),
    );
    const current = await dataset(owner.templateId);
    expect(current).toHaveLength(1_050);
    expect(current[3]).toEqual({ sku: "SKU-3", name: "Renamed 3", price: 3.5 });
  });

  it("serialises two keyed imports at once: the later one compares against what the earlier one saved", async () => {
    const owner = await newOwner();
    const base = catalogue(2_000);
    await start(owner, csv(base));
    // each file renames its own half, and both rename SKU-0 and bring the same new key
    const renamed = (from: number, to: number, by: string) => [
      [base[0]![0]!, `${by} 0`, base[0]![2]!],
      ...base.slice(from, to).map((row, i) => [row[0]!, `${by} ${from + i}`, row[2]!]),
      ["NEW-1", `New from ${by}`, 1],
    ];
    const [a, b] = await Promise.all([
      start(owner, csv(renamed(1, 1_000, "A"))),
      start(owner, csv(renamed(1_000, 2_000, "B"))),
    ]);
    const { rows: order } = await sql.query<{ id: string }>(
      "select id from imports where id = any($1) order by processing_completed_at",
      [[a, b]],
    );
    const [earlier, later] = order.map((row) => row.id) as [string, string];
    const [by, laterBy] = earlier === a ? ["A", "B"] : ["B", "A"];
    const [one, two] = [await read(owner, earlier, { first: 0 }), await read(owner, later, { first: 0 })];
    expect([one.status, two.status]).toEqual(["COMPLETED", "COMPLETED"]);
    // the new key was created once; the later import updated it, and SKU-0, from the earlier one's values
    expect([one.rowsCreated, two.rowsCreated]).toEqual([1, 0]);
    expect(two.rowsUpdated).toBe(one.rowsUpdated + (later === a ? 0 : 2));
    const laterChanges = await allChanges(owner, later, "UPDATED");
    expect(laterChanges.find((c) => c.key!.sku === "SKU-0")!.before).toMatchObject({ name: `${by} 0` });
    expect(laterChanges.find((c) => c.key!.sku === "NEW-1")!.before).toMatchObject({ name: `New from ${by}` });
    const names = (await dataset(owner.templateId)).map((d) => d.name as string);
    expect(names).toEqual([
      `${laterBy} 0`,
      ...base.slice(1, 1_000).map((_, i) => `A ${i + 1}`),
      ...base.slice(1_000).map((_, i) => `B ${i + 1_000}`),
      `New from ${laterBy}`,
    ]);
  });

  it("refuses, row by row, what the mode does not allow; unchanged rows pass in every mode", async () => {
    const owner = await newOwner();
    await start(
      owner,
      csv([
        ["A-1", "Alpha", 1],
        ["A-2", "Beta", 2],
      ]),
    );
    const file = csv([
      ["A-1", "Alpha", 1],
      ["A-2", "Beta v2", 2],
      ["A-3", "Gamma", 3],
    ]);

    const createOnly = await read(owner, await start(owner, file, { mode: "CREATE_ONLY" }));
    expect(createOnly).toMatchObject({
      status: "COMPLETED",
      mode: "CREATE_ONLY",
      rowsImported: 2,
      rowsFailed: 1,
      rowsCreated: 1,
      rowsUnchanged: 1,
      rowsUpdated: 0,
    });
    expect(errorsOf(createOnly)).toEqual([
      [3, "SKU", "a record with the key SKU 'A-2' already exists, and this import only creates records"],
    ]);

    const updateOnly = await read(
      owner,
      await start(
        owner,
        csv([
          ["A-2", "Beta v3", 2],
          ["A-9", "Nine", 9],
        ]),
        { mode: "UPDATE_ONLY" },
      ),
    );
    expect(updateOnly).toMatchObject({ rowsImported: 1, rowsFailed: 1, rowsUpdated: 1, rowsCreated: 0 });
    expect(errorsOf(updateOnly)).toEqual([
      [3, "SKU", "no record has the key SKU 'A-9', and this import only updates records"],
    ]);
    expect(await dataset(owner.templateId)).toEqual([
      { sku: "A-1", name: "Alpha", price: 1 },
      { sku: "A-2", name: "Beta v3", price: 2 },
      { sku: "A-3", name: "Gamma", price: 3 },
    ]);
  });

  it("rejects a key repeated in one file on the later row, naming the earlier one", async () => {
    const owner = await newOwner({ keyColumns: ["sku", "name"] });
    const imported = await read(
      owner,
      await start(
        owner,
        csv([
          ["A-1", "Alpha", 1],
          ["A-2", "Beta", 2],
          ["A-1", "Alpha", 3],
          ["A-1", "Other", 4],
        ]),
      ),
    );
    expect(imported).toMatchObject({ rowsImported: 3, rowsFailed: 1, rowsCreated: 3 });
    expect(errorsOf(imported)).toEqual([[4, "SKU, Name", "repeats the key of row 2 (SKU 'A-1', Name 'Alpha')"]]);
  });

  it("a dry run shows the diff and saves nothing; confirming saves exactly it", async () => {
    const owner = await newOwner();
    await start(owner, csv([["A-1", "Alpha", 1]]));
    const id = await start(
      owner,
      csv([
        ["A-1", "Alpha!", 1],
        ["A-2", "Beta", 2],
      ]),
      { dryRun: true },
    );
    const review = await read(owner, id);
    expect(review).toMatchObject({ status: "NEEDS_REVIEW", rowsCreated: 1, rowsUpdated: 1 });
    expect(review.changes.edges.map((e) => [e.node.kind, e.node.before, e.node.after])).toEqual([
      ["UPDATED", { sku: "A-1", name: "Alpha", price: 1 }, { sku: "A-1", name: "Alpha!", price: 1 }],
      ["CREATED", null, { sku: "A-2", name: "Beta", price: 2 }],
    ]);
    expect(await dataset(owner.templateId)).toEqual([{ sku: "A-1", name: "Alpha", price: 1 }]);

    expect((await t.request(ConfirmKeyed, { id }, owner.token)).errors).toBeUndefined();
    await waitForImport(t.database.url, id, isSettled);
    expect(await read(owner, id)).toMatchObject({ status: "COMPLETED", rowsCreated: 1, rowsUpdated: 1 });
    expect(await dataset(owner.templateId)).toEqual([
      { sku: "A-1", name: "Alpha!", price: 1 },
      { sku: "A-2", name: "Beta", price: 2 },
    ]);
  });

  it("fails a confirmation whose changes are no longer the reviewed ones, saving nothing", async () => {
    const owner = await newOwner();
    const id = await start(owner, csv([["A-1", "Alpha", 1]]), { dryRun: true });
    expect(await read(owner, id, { first: 0 })).toMatchObject({ status: "NEEDS_REVIEW", rowsCreated: 1 });
    await start(owner, csv([["A-1", "Alpha (other import)", 1]]));
    expect((await t.request(ConfirmKeyed, { id }, owner.token)).errors).toBeUndefined();
    await waitForImport(t.database.url, id, isSettled);
    const failed = await read(owner, id, { first: 0 });
    expect(failed.status).toBe("FAILED");
    expect(failed.errorMessage).toBe(
      "The template's records changed since this import was reviewed (the review showed 1 created, 0 updated, " +
        "0 unchanged; now 0 created, 1 updated, 0 unchanged), so nothing was saved. Retry it as a dry run to " +
        "review the changes again.",
    );
    expect(await dataset(owner.templateId)).toEqual([{ sku: "A-1", name: "Alpha (other import)", price: 1 }]);
  });

  it("exports a keyed template's current dataset, one row per key", async () => {
    const owner = await newOwner();
    await start(
      owner,
      csv([
        ["A-1", "Alpha", 1],
        ["A-2", "Beta", 2],
      ]),
    );
    await start(
      owner,
      csv([
        ["A-2", "Beta v2", 2],
        ["A-3", "Gamma", 3],
      ]),
    );
    const requested = await t.request(RequestExport, { templateId: owner.templateId, format: "CSV" }, owner.token);
    const { id } = requested.data!.requestExport;
    await waitForExport(t.database.url, id, isFinalExport);
    const exported = (await t.request(GetExport, { id }, owner.token)).data!.export!;
    const { body } = await download(t, exported.downloadUrl!);
    expect(parse(body.toString("utf8").replace(/^\uFEFF/, ""))).toEqual([
      ["SKU", "Name", "Price"],
      ["A-1", "Alpha", "1"],
      ["A-2", "Beta v2", "2"],
      ["A-3", "Gamma", "3"],
    ]);
  });
});

describe("the README's worked example", () => {
  it("creates three products, then reviews and saves one update and one creation", async () => {
    const owner = await newOwner();
    await start(owner, Buffer.from("SKU,Name,Price\nA-1,Lamp,20\nA-2,Chair,45\nA-3,Desk,120\n"));
    const second = Buffer.from("SKU,Name,Price\nA-1,Lamp,20\nA-2,Chair,49.5\nA-3,Desk,120\nA-4,Shelf,60\n");
    const id = await start(owner, second, { dryRun: true });
    const review = await read(owner, id, { kind: "UPDATED", first: 10 });
    expect(review).toMatchObject({ status: "NEEDS_REVIEW", rowsCreated: 1, rowsUpdated: 1, rowsUnchanged: 2 });
    expect(review.changes.edges.map((e) => e.node)).toEqual([
      {
        rowNumber: 3,
        kind: "UPDATED",
        key: { sku: "A-2" },
        before: { sku: "A-2", name: "Chair", price: 45 },
        after: { sku: "A-2", name: "Chair", price: 49.5 },
      },
    ]);
    expect((await t.request(ConfirmKeyed, { id }, owner.token)).errors).toBeUndefined();
    await waitForImport(t.database.url, id, isSettled);
    expect((await dataset(owner.templateId)).map((d) => [d.sku, d.price])).toEqual([
      ["A-1", 20],
      ["A-2", 49.5],
      ["A-3", 120],
      ["A-4", 60],
    ]);
    expect(await read(owner, await start(owner, second), { first: 0 })).toMatchObject({
      rowsUnchanged: 4,
      rowsCreated: 0,
    });
    const updateOnly = await read(
      owner,
      await start(owner, Buffer.from("SKU,Name,Price\nA-5,Stool,15\n"), { mode: "UPDATE_ONLY" }),
    );
    expect(errorsOf(updateOnly)).toEqual([
      [2, "SKU", "no record has the key SKU 'A-5', and this import only updates records"],
    ]);
  });
});

describe("duplicate rows without key columns", () => {
  const file = csv([
    ["A-1", "Alpha", 1],
    ["A-2", "Beta", 2],
    ["A-1", "Alpha", 1],
    ["A-1", "Alpha", 1.5],
  ]);

  it("skips exact repeats by default and counts them", async () => {
    const owner = await newOwner({});
    const imported = await read(owner, await start(owner, file));
    expect(imported).toMatchObject({
      status: "COMPLETED",
      rowsTotal: 4,
      rowsImported: 3,
      rowsDuplicate: 1,
      rowsFailed: 0,
      rowsCreated: 3,
    });
    expect(imported.changes.edges.map((e) => [e.node.rowNumber, e.node.kind, e.node.key])).toEqual([
      [2, "CREATED", null],
      [3, "CREATED", null],
      [5, "CREATED", null],
    ]);
  });

  it("rejects them with REJECT, naming the earlier row, and imports them with IMPORT", async () => {
    const rejecting = await newOwner({ duplicates: "REJECT" });
    const rejected = await read(rejecting, await start(rejecting, file));
    expect(rejected).toMatchObject({ rowsImported: 3, rowsFailed: 1, rowsDuplicate: 0 });
    expect(errorsOf(rejected)).toEqual([[4, null, "repeats row 2 exactly"]]);

    const importing = await newOwner({ duplicates: "IMPORT" });
    expect(await read(importing, await start(importing, file), { first: 0 })).toMatchObject({
      rowsImported: 4,
      rowsDuplicate: 0,
    });
  });
});

describe("template and option checks", () => {
  const codeAndMessage = (result: {
    errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
  }) => result.errors?.map((e) => [e.extensions?.code, e.message]);

  it("refuses key columns that are unknown, repeated or not required", async () => {
    const { token } = await newOwner({});
    const attempt = (keyColumns: string[]) =>
      t.request(CreateTemplate, { input: { name: "Keys", columns: products, keyColumns } }, token);
    expect(codeAndMessage(await attempt(["code"]))).toEqual([
      ["BAD_USER_INPUT", 'Key column "code" is not a column of the template. Its keys are: sku, name, price.'],
    ]);
    expect(codeAndMessage(await attempt(["sku", "sku"]))).toEqual([
      ["BAD_USER_INPUT", 'Key column "sku" is named twice.'],
    ]);
    expect(codeAndMessage(await attempt(["price"]))).toEqual([
      ["BAD_USER_INPUT", 'Key column "price" must be required: a row without its key cannot be matched.'],
    ]);
  });

  it("lets key columns change only until an import of the template is saved", async () => {
    const owner = await newOwner({});
    const before = await t.request(
      UpdateTemplate,
      { id: owner.templateId, input: { keyColumns: ["sku"] } },
      owner.token,
    );
    expect(before.data?.updateImportTemplate.keyColumns).toEqual(["sku"]);
    await start(owner, csv([["A-1", "Alpha", 1]]));
    const after = await t.request(
      UpdateTemplate,
      { id: owner.templateId, input: { keyColumns: ["sku", "name"] } },
      owner.token,
    );
    expect(codeAndMessage(after)).toEqual([
      [
        "BAD_USER_INPUT",
        "This template's key columns (and their types) cannot change once it has saved imports: its records are " +
          "matched by them. Make a new template with the key columns you want.",
      ],
    ]);
    // the rest of the template still changes
    const renamed = await t.request(
      UpdateTemplate,
      { id: owner.templateId, input: { duplicates: "REJECT" } },
      owner.token,
    );
    expect(renamed.data?.updateImportTemplate).toMatchObject({ keyColumns: ["sku"], duplicates: "REJECT" });
  });

  it("refuses a mode other than CREATE_OR_UPDATE on a template without key columns", async () => {
    const owner = await newOwner({});
    const started = await uploadFile(t, owner.token, owner.templateId, csv([["A-1", "Alpha", 1]]), "p.csv", {
      options: { mode: "UPDATE_ONLY" },
    });
    expect(codeAndMessage(started)).toEqual([
      ["BAD_USER_INPUT", "options.mode UPDATE_ONLY needs a template with key columns; this one has none."],
    ]);
  });
});
