import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./gql/index.js";
import type { ImportOptions } from "./gql/graphql.js";
import { isSettled, uploadFile, waitForImport, xlsxFile } from "./helpers/imports.js";
import { subscribe } from "./helpers/subscriptions.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { JobStatusSubscription, SignUp } from "./operations.js";

const GetReview = graphql(`
  query GetReview($id: ID!) {
    import(id: $id) {
      id
      status
      phase
      backgroundJobId
      dryRun
      errorMessage
      rowsTotal
      rowsImported
      rowsFailed
      template {
        columns {
          key
          aliases
        }
      }
      sourceColumns {
        index
        header
        samples
        detectedType
      }
      mapping {
        templateKey
        templateHeader
        required
        sourceIndex
        sourceHeader
        match
        score
      }
      records(first: 100) {
        edges {
          node {
            rowNumber
            data
          }
        }
      }
      errors(first: 100) {
        edges {
          node {
            rowNumber
            column
            message
          }
        }
      }
    }
  }
`);

const CreateAliasedTemplate = graphql(`
  mutation CreateAliasedTemplate($input: CreateImportTemplateInput!) {
    createImportTemplate(input: $input) {
      id
    }
  }
`);

const UpdateMapping = graphql(`
  mutation UpdateMapping($id: ID!, $mapping: [ColumnMappingInput!]!) {
    updateImportMapping(id: $id, mapping: $mapping) {
      id
      status
    }
  }
`);

const Confirm = graphql(`
  mutation Confirm($id: ID!, $rememberMapping: Boolean) {
    confirmImport(id: $id, rememberMapping: $rememberMapping) {
      id
      status
    }
  }
`);

const RetryWithOptions = graphql(`
  mutation RetryWithOptions($id: ID!, $options: ImportOptions) {
    retryImport(id: $id, options: $options) {
      id
      status
    }
  }
`);

/** An order list whose headers are not the template's: "Price (USD)" for Unit Price, "E-mail" for Contact Email. */
const columns = [
  { key: "name", header: "Product", type: "STRING" as const, required: true },
  { key: "unitPrice", header: "Unit Price", type: "DECIMAL" as const, required: true },
  { key: "contact", header: "Contact Email", type: "EMAIL" as const, required: true, aliases: ["E-mail"] },
  { key: "quantity", header: "Quantity", type: "INTEGER" as const, required: false },
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

async function newOwner() {
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  const token = signUp.data!.signUp.token;
  const created = await t.request(CreateAliasedTemplate, { input: { name: "Orders", columns } }, token);
  expect(created.errors).toBeUndefined();
  return { token, templateId: created.data!.createImportTemplate.id };
}

type Owner = Awaited<ReturnType<typeof newOwner>>;

/** Uploads over real multipart and waits until the import stops moving. */
async function start(owner: Owner, file: Buffer, options?: ImportOptions) {
  const started = await uploadFile(t, owner.token, owner.templateId, file, "orders.xlsx", { options });
  if (!started.data) throw new Error(JSON.stringify(started.errors));
  const { id } = started.data.startImport;
  await waitForImport(t.database.url, id, isSettled);
  return id;
}

async function read(owner: Owner, id: string) {
  const result = await t.request(GetReview, { id }, owner.token);
  if (!result.data?.import) throw new Error(JSON.stringify(result.errors));
  return result.data.import;
}

/** Requeues through `send`, then waits until the import stops moving again. */
async function andWait(owner: Owner, id: string, send: Promise<{ errors?: unknown }>) {
  const result = await send;
  expect(result.errors).toBeUndefined();
  await waitForImport(t.database.url, id, isSettled);
  return read(owner, id);
}

async function recordCount(id: string) {
  const { rows } = await sql.query<{ n: number }>("select count(*)::int as n from records where import_id = $1", [id]);
  return rows[0]!.n;
}

const codes = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> }) =>
  result.errors?.map((e) => e.extensions?.code);

const rows = [
  ["Widget", 2.5, "a@example.com", 3],
  ["Gadget", 10, "b@example.com", null],
  ["Broken", "n/a", "c@example.com", 1],
  ["Gizmo", 7.25, "d@example.com", 5],
];

describe("matching a file's columns", () => {
  it("maps “Price (USD)” by similarity and “E-mail” by alias, and imports as if the headers were the template's", async () => {
    const owner = await newOwner();
    const id = await start(owner, await xlsxFile(rows, ["Product", "Price (USD)", "E-mail", "Qty"]));
    const imported = await read(owner, id);
    expect(imported).toMatchObject({ status: "COMPLETED", rowsImported: 3, rowsFailed: 1 });
    expect(imported.mapping.map((m) => [m.templateKey, m.sourceIndex, m.sourceHeader, m.match])).toEqual([
      ["name", 0, "Product", "EXACT"],
      ["unitPrice", 1, "Price (USD)", "FUZZY"],
      ["contact", 2, "E-mail", "ALIAS"],
      ["quantity", 3, "Qty", "FUZZY"],
    ]);
    expect(imported.mapping[1]!.score).toBeGreaterThan(0.7);
    expect(imported.mapping[1]!.score).toBeLessThan(1);
    expect(imported.records.edges.map((e) => e.node.data)).toEqual([
      { name: "Widget", unitPrice: 2.5, contact: "a@example.com", quantity: 3 },
      { name: "Gadget", unitPrice: 10, contact: "b@example.com", quantity: null },
      { name: "Gizmo", unitPrice: 7.25, contact: "d@example.com", quantity: 5 },
    ]);
  });

  it("fails when a required column has no match, naming it, the file's headers and the closest; then a retry with a mapping imports it", async () => {
    const owner = await newOwner();
    const id = await start(owner, await xlsxFile(rows, ["Product", "Cost per piece", "Mail to", "Qty"]));
    const failed = await read(owner, id);
    expect(failed.status).toBe("FAILED");
    expect(failed.errorMessage).toMatch(
      /^Missing required column\(s\): Unit Price, Contact Email\. The file's headers are: Product, Cost per piece, Mail to, Qty\./,
    );
    expect(failed.sourceColumns).toEqual([
      { index: 0, header: "Product", samples: ["Widget", "Gadget", "Broken", "Gizmo"], detectedType: "STRING" },
      { index: 1, header: "Cost per piece", samples: ["2.5", "10", "n/a", "7.25"], detectedType: "STRING" },
      {
        index: 2,
        header: "Mail to",
        samples: ["a@example.com", "b@example.com", "c@example.com", "d@example.com"],
        detectedType: "EMAIL",
      },
      { index: 3, header: "Qty", samples: ["3", "1", "5"], detectedType: "INTEGER" },
    ]);
    expect(failed.mapping.map((m) => [m.templateKey, m.sourceIndex, m.match])).toEqual([
      ["name", 0, "EXACT"],
      ["unitPrice", null, "NONE"],
      ["contact", null, "NONE"],
      ["quantity", 3, "FUZZY"],
    ]);
    expect(await recordCount(id)).toBe(0);

    const retried = await andWait(
      owner,
      id,
      t.request(
        RetryWithOptions,
        {
          id,
          options: {
            mapping: [
              { templateKey: "unitPrice", sourceIndex: 1 },
              { templateKey: "contact", sourceIndex: 2 },
            ],
          },
        },
        owner.token,
      ),
    );
    expect(retried).toMatchObject({ status: "COMPLETED", rowsImported: 3, rowsFailed: 1, dryRun: false });
    expect(retried.mapping.map((m) => m.match)).toEqual(["EXACT", "MANUAL", "MANUAL", "FUZZY"]);
    expect(await recordCount(id)).toBe(3);
  });

  it("refuses a mapping that names no template column, names one twice, or uses a file column twice", async () => {
    const owner = await newOwner();
    const file = await xlsxFile(rows, ["Product", "Price (USD)", "E-mail", "Qty"]);
    const cases: Array<[ImportOptions["mapping"], RegExp]> = [
      [[{ templateKey: "nope", sourceIndex: 0 }], /names “nope”, which is not a column of the template/],
      [
        [
          { templateKey: "name", sourceIndex: 0 },
          { templateKey: "name", sourceIndex: 1 },
        ],
        /names “name” twice/,
      ],
      [
        [
          { templateKey: "name", sourceIndex: 0 },
          { templateKey: "unitPrice", sourceIndex: 0 },
        ],
        /puts the file's column 0 into both “name” and “unitPrice”/,
      ],
      [[{ templateKey: "name", sourceIndex: -1 }], /must be a 0-based column index/],
    ];
    for (const [mapping, message] of cases) {
      const result = await uploadFile(t, owner.token, owner.templateId, file, "orders.xlsx", { options: { mapping } });
      expect(result.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
      expect(result.errors![0]!.message).toMatch(message);
    }
    const { rows: stored } = await sql.query("select 1 from imports where template_id = $1", [owner.templateId]);
    expect(stored).toEqual([]);
  });
});

describe("a dry run", () => {
  it("saves nothing, stops at NEEDS_REVIEW with counts and errors, and confirm saves exactly the previewed rows", async () => {
    const owner = await newOwner();
    const started = await uploadFile(
      t,
      owner.token,
      owner.templateId,
      await xlsxFile(rows, ["Product", "Price (USD)", "E-mail", "Qty"]),
      "orders.xlsx",
      { options: { dryRun: true } },
    );
    const id = started.data!.startImport.id;
    const sub = subscribe(t.wsClient({ authorization: `Bearer ${owner.token}` }), JobStatusSubscription, { id });
    await sub.waitFor((r) => r.data?.jobStatus.status === "NEEDS_REVIEW");

    const review = await read(owner, id);
    expect(review).toMatchObject({
      status: "NEEDS_REVIEW",
      dryRun: true,
      rowsTotal: 4,
      rowsImported: 3,
      rowsFailed: 1,
    });
    expect(review.errorMessage).toBeNull();
    expect(review.errors.edges.map((e) => [e.node.rowNumber, e.node.column])).toEqual([[4, "Unit Price"]]);
    expect(await recordCount(id)).toBe(0);
    // its run is over: the graphile-worker job is finished, and the import waits without one
    expect(review.backgroundJobId).toBeNull();
    const { rows: jobs } = await sql.query("select 1 from graphile_worker.jobs where id = $1", [
      started.data!.startImport.backgroundJobId,
    ]);
    expect(jobs).toEqual([]);

    const confirmed = await t.request(Confirm, { id }, owner.token);
    expect(confirmed.data?.confirmImport.status).toBe("PENDING");
    await sub.waitFor((r) => r.data?.jobStatus.status === "COMPLETED");
    await sub.done; // NEEDS_REVIEW did not end the subscription; COMPLETED does
    const statuses = sub.results.map((r) => r.data?.jobStatus.status);
    expect(statuses.indexOf("NEEDS_REVIEW")).toBeLessThan(statuses.indexOf("COMPLETED"));

    const saved = await read(owner, id);
    expect(saved).toMatchObject({ status: "COMPLETED", dryRun: false, rowsImported: 3, rowsFailed: 1 });
    expect(saved.records.edges.map((e) => e.node.rowNumber)).toEqual([2, 3, 5]);
    expect(await recordCount(id)).toBe(review.rowsImported);
  });

  it("stops at NEEDS_REVIEW when a required column is unmatched; confirm is refused until the mapping is fixed", async () => {
    const owner = await newOwner();
    const id = await start(owner, await xlsxFile(rows, ["Product", "Cost per piece", "E-mail", "Qty"]), {
      dryRun: true,
    });
    const review = await read(owner, id);
    expect(review).toMatchObject({ status: "NEEDS_REVIEW", phase: "DONE", rowsTotal: null, rowsImported: 0 });
    expect(review.errorMessage).toMatch(/^Missing required column\(s\): Unit Price\./);
    expect(review.mapping[1]).toMatchObject({ templateKey: "unitPrice", sourceIndex: null, match: "NONE" });

    const refused = await t.request(Confirm, { id }, owner.token);
    expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect(refused.errors![0]!.message).toMatch(
      /^There is nothing to import yet\. Missing required column\(s\): Unit Price\. .*\. Fix the mapping and check again\.$/,
    );

    const remapped = await andWait(
      owner,
      id,
      t.request(UpdateMapping, { id, mapping: [{ templateKey: "unitPrice", sourceIndex: 1 }] }, owner.token),
    );
    expect(remapped).toMatchObject({ status: "NEEDS_REVIEW", dryRun: true, rowsImported: 3, rowsFailed: 1 });
    expect(remapped.errorMessage).toBeNull();
    expect(remapped.mapping[1]).toMatchObject({ sourceIndex: 1, sourceHeader: "Cost per piece", match: "MANUAL" });
    expect(await recordCount(id)).toBe(0);

    const saved = await andWait(owner, id, t.request(Confirm, { id }, owner.token));
    expect(saved).toMatchObject({ status: "COMPLETED", rowsImported: 3 });
    expect(await recordCount(id)).toBe(3);
  });

  it("checks a new mapping against the file's columns, and only for an import in review", async () => {
    const owner = await newOwner();
    const id = await start(owner, await xlsxFile(rows, ["Product", "Price (USD)", "E-mail", "Qty"]), {
      dryRun: true,
    });
    const outside = await t.request(
      UpdateMapping,
      { id, mapping: [{ templateKey: "name", sourceIndex: 9 }] },
      owner.token,
    );
    expect(codes(outside)).toEqual(["BAD_USER_INPUT"]);
    expect(outside.errors![0]!.message).toMatch(/the file has no column with a header at sourceIndex 9/);

    const stranger = await newOwner();
    const foreign = await t.request(UpdateMapping, { id, mapping: [] }, stranger.token);
    expect(codes(foreign)).toEqual(["NOT_FOUND"]);
    expect(codes(await t.request(Confirm, { id }, stranger.token))).toEqual(["NOT_FOUND"]);

    await andWait(owner, id, t.request(Confirm, { id }, owner.token));
    const late = await t.request(UpdateMapping, { id, mapping: [] }, owner.token);
    expect(codes(late)).toEqual(["BAD_USER_INPUT"]);
    expect(late.errors![0]!.message).toBe("Only an import that is in review can be re-mapped; this one is COMPLETED.");
    const again = await t.request(Confirm, { id }, owner.token);
    expect(again.errors![0]!.message).toBe("Only an import that is in review can be confirmed; this one is COMPLETED.");
  });

  it("stays a dry run when retried in review, and drops picks made for another header row", async () => {
    const owner = await newOwner();
    // row 1 is a list of contacts; the real header is row 4
    const csv =
      "Client,Price,Mail\nBob,1,bob@example.com\n\nUnit Price,Product,Contact Email\n2.5,Widget,a@example.com\n";
    const id = await start(owner, Buffer.from(csv), { dryRun: true, headerRow: 1 });
    const picked = await andWait(
      owner,
      id,
      t.request(UpdateMapping, { id, mapping: [{ templateKey: "name", sourceIndex: 0 }] }, owner.token),
    );
    expect(picked.mapping[0]).toMatchObject({ sourceHeader: "Client", match: "MANUAL" });

    const moved = await andWait(owner, id, t.request(RetryWithOptions, { id, options: { headerRow: 4 } }, owner.token));
    expect(moved).toMatchObject({ status: "NEEDS_REVIEW", dryRun: true, rowsImported: 1 });
    // the pick of column A ("Client") was for row 1; in row 4 column A is Unit Price
    expect(moved.mapping.map((m) => [m.sourceHeader, m.match])).toEqual([
      ["Product", "EXACT"],
      ["Unit Price", "EXACT"],
      ["Contact Email", "EXACT"],
      [null, "NONE"],
    ]);
    expect(await recordCount(id)).toBe(0);
  });

  it("quotes at most 64 characters of a key it does not know", async () => {
    const owner = await newOwner();
    const id = await start(owner, await xlsxFile(rows, ["Product", "Price (USD)", "E-mail", "Qty"]), {
      dryRun: true,
    });
    const long = "k".repeat(100_000);
    const refused = await t.request(
      UpdateMapping,
      { id, mapping: [{ templateKey: long, sourceIndex: 0 }] },
      owner.token,
    );
    expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
    expect(refused.errors![0]!.message).toBe(
      `mapping names “${"k".repeat(64)}…”, which is not a column of the template. Its keys are: name, unitPrice, contact, quantity.`,
    );
  });

  it("lets only one of two confirms at once through", async () => {
    const owner = await newOwner();
    const id = await start(owner, await xlsxFile(rows, ["Product", "Price (USD)", "E-mail", "Qty"]), {
      dryRun: true,
    });
    const results = await Promise.all([1, 2].map(() => t.request(Confirm, { id }, owner.token)));
    expect(results.map((r) => (r.errors ? codes(r)![0] : r.data!.confirmImport.status)).sort()).toEqual([
      "BAD_USER_INPUT",
      "PENDING",
    ]);
    await waitForImport(t.database.url, id, (row) => row.status === "COMPLETED");
    expect(await recordCount(id)).toBe(3);
  });

  it("runs with the template it started with, though the template changes while it waits", async () => {
    const owner = await newOwner();
    const id = await start(owner, await xlsxFile(rows, ["Product", "Price (USD)", "E-mail", "Qty"]), {
      dryRun: true,
    });
    // the live template loses a column and gains a required one the file lacks
    await sql.query(`update import_templates set columns = $2 where id = $1`, [
      owner.templateId,
      JSON.stringify([...columns.slice(0, 3), { key: "sku", header: "SKU", type: "STRING", required: true }]),
    ]);
    const saved = await andWait(owner, id, t.request(Confirm, { id }, owner.token));
    expect(saved).toMatchObject({ status: "COMPLETED", rowsImported: 3 });
    expect(saved.records.edges[0]!.node.data).toEqual({
      name: "Widget",
      unitPrice: 2.5,
      contact: "a@example.com",
      quantity: 3,
    });
  });
});

describe("remembering a mapping", () => {
  it("adds a header picked by hand to the column's aliases on confirm, so the next file maps itself", async () => {
    const owner = await newOwner();
    const headers = ["Product", "Cost per piece", "Mail to", "Qty"];
    const first = await start(owner, await xlsxFile(rows, headers), {
      dryRun: true,
      mapping: [
        { templateKey: "unitPrice", sourceIndex: 1 },
        { templateKey: "contact", sourceIndex: 2 },
      ],
    });
    const review = await read(owner, first);
    expect(review.mapping.map((m) => m.match)).toEqual(["EXACT", "MANUAL", "MANUAL", "FUZZY"]);
    await andWait(owner, first, t.request(Confirm, { id: first }, owner.token));

    const next = await read(owner, await start(owner, await xlsxFile(rows, headers)));
    expect(next.status).toBe("COMPLETED");
    expect(next.mapping.map((m) => [m.templateKey, m.match])).toEqual([
      ["name", "EXACT"],
      ["unitPrice", "ALIAS"],
      ["contact", "ALIAS"],
      ["quantity", "FUZZY"],
    ]);
    expect(next.template.columns.find((c) => c.key === "contact")!.aliases).toEqual(["E-mail", "Mail to"]);
  });

  it("leaves the template alone with rememberMapping: false", async () => {
    const owner = await newOwner();
    const id = await start(owner, await xlsxFile(rows, ["Product", "Cost per piece", "E-mail", "Qty"]), {
      dryRun: true,
      mapping: [{ templateKey: "unitPrice", sourceIndex: 1 }],
    });
    const saved = await andWait(owner, id, t.request(Confirm, { id, rememberMapping: false }, owner.token));
    expect(saved.status).toBe("COMPLETED");
    expect(saved.template.columns.find((c) => c.key === "unitPrice")!.aliases).toEqual([]);
  });
});
