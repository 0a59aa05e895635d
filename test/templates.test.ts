import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withTransaction } from "../src/db/withTransaction.js";
import { rememberAliases } from "../src/imports/rememberAliases.js";
import { graphql } from "./gql/index.js";
import type { TemplateColumnInput } from "./gql/graphql.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { DeleteTemplate, SignUp } from "./operations.js";

/** The fields these tests compare, spelled once. */
export const TemplateColumnFields = graphql(`
  fragment TemplateColumnFields on ImportTemplate {
    id
    name
    decimalSeparator
    dateOrder
    columns {
      key
      header
      type
      required
      aliases
    }
  }
`);

const CreateTemplateWithAliases = graphql(`
  mutation CreateTemplateWithAliases($input: CreateImportTemplateInput!) {
    createImportTemplate(input: $input) {
      ...TemplateColumnFields
    }
  }
`);

const UpdateTemplate = graphql(`
  mutation UpdateTemplate($id: ID!, $input: UpdateImportTemplateInput!) {
    updateImportTemplate(id: $id, input: $input) {
      ...TemplateColumnFields
    }
  }
`);

const TemplateWithAliases = graphql(`
  query TemplateWithAliases($id: ID!) {
    importTemplate(id: $id) {
      ...TemplateColumnFields
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

const columns: TemplateColumnInput[] = [
  { key: "name", header: "Name", type: "STRING", required: true },
  { key: "unitPrice", header: "Unit Price", type: "DECIMAL", aliases: ["Price (USD)"] },
  { key: "email", header: "Contact Email", type: "EMAIL", aliases: [" E-mail address ", "Mail"] },
];

async function newUser(): Promise<string> {
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  expect(signUp.errors).toBeUndefined();
  return signUp.data!.signUp.token;
}

async function createTemplate(token: string, input: TemplateColumnInput[] = columns) {
  const created = await t.request(CreateTemplateWithAliases, { input: { name: "Orders", columns: input } }, token);
  expect(created.errors).toBeUndefined();
  return created.data!.createImportTemplate;
}

async function templateColumns(token: string, id: string) {
  const found = await t.request(TemplateWithAliases, { id }, token);
  expect(found.errors).toBeUndefined();
  return found.data!.importTemplate!.columns;
}

const refusal = (result: { errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }> }) =>
  result.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }));

describe("aliases", () => {
  it("are stored trimmed with their column and served back; a column without them has []", async () => {
    const token = await newUser();
    const created = await createTemplate(token);
    const expected = [
      { key: "name", header: "Name", type: "STRING", required: true, aliases: [] },
      { key: "unitPrice", header: "Unit Price", type: "DECIMAL", required: false, aliases: ["Price (USD)"] },
      { key: "email", header: "Contact Email", type: "EMAIL", required: false, aliases: ["E-mail address", "Mail"] },
    ];
    expect(created.columns).toEqual(expected);
    expect(await templateColumns(token, created.id)).toEqual(expected);
  });

  it("drop an alias that repeats its own column's header, key or another alias", async () => {
    const token = await newUser();
    const created = await createTemplate(token, [
      { key: "email", header: "Contact Email", type: "EMAIL", aliases: ["contact  EMAIL", "EMAIL", "Mail", "mail "] },
    ]);
    expect(created.columns[0]!.aliases).toEqual(["Mail"]);
  });

  it("read as [] for a template stored before aliases existed", async () => {
    const token = await newUser();
    const created = await createTemplate(token);
    await sql.query(
      `update import_templates set columns = (select jsonb_agg(c - 'aliases') from jsonb_array_elements(columns) c)
       where id = $1`,
      [created.id],
    );
    const stored = await sql.query<{ columns: object[] }>("select columns from import_templates where id = $1", [
      created.id,
    ]);
    expect(stored.rows[0]!.columns.every((column) => !("aliases" in column))).toBe(true);
    expect((await templateColumns(token, created.id)).map((column) => column.aliases)).toEqual([[], [], []]);
  });

  it.each<[string, TemplateColumnInput[], string]>([
    [
      "an empty alias",
      [{ key: "email", header: "Email", type: "EMAIL", aliases: ["Mail", "  "] }],
      'Column "email" has an empty alias.',
    ],
    [
      "an alias over 200 characters",
      [{ key: "email", header: "Email", type: "EMAIL", aliases: ["x".repeat(201)] }],
      'Column "email" has an alias over 200 characters.',
    ],
    [
      "more than 50 aliases",
      [{ key: "email", header: "Email", type: "EMAIL", aliases: Array.from({ length: 51 }, (_, i) => `Mail ${i}`) }],
      'Column "email" has more than 50 aliases.',
    ],
    [
      "an alias two columns claim",
      [
        { key: "email", header: "Email", type: "EMAIL", aliases: ["Contact"] },
        { key: "phone", header: "Phone", type: "STRING", aliases: [" contact "] },
      ],
      'Columns "email" and "phone" would both match the header "contact".',
    ],
    [
      "an alias that is another column's header",
      [
        { key: "name", header: "Name", type: "STRING" },
        { key: "email", header: "Email", type: "EMAIL", aliases: ["NAME"] },
      ],
      'Columns "name" and "email" would both match the header "NAME".',
    ],
    [
      "an alias that is another column's key",
      [
        { key: "email", header: "Email", type: "EMAIL", aliases: ["phone"] },
        { key: "phone", header: "Phone number", type: "STRING" },
      ],
      'Columns "email" and "phone" would both match the header "phone".',
    ],
    [
      "two columns with one key",
      [
        { key: "email", header: "Email", type: "EMAIL" },
        { key: "email", header: "Other email", type: "EMAIL" },
      ],
      'Two columns have the key "email".',
    ],
  ])("are refused BAD_USER_INPUT with %s", async (_name, input, message) => {
    const token = await newUser();
    const created = await t.request(CreateTemplateWithAliases, { input: { name: "Orders", columns: input } }, token);
    expect(refusal(created)).toEqual([{ code: "BAD_USER_INPUT", message }]);
  });
});

describe("updateImportTemplate", () => {
  it("changes only what it is given", async () => {
    const token = await newUser();
    const created = await createTemplate(token);

    const renamed = await t.request(UpdateTemplate, { id: created.id, input: { name: "  Sales  " } }, token);
    expect(renamed.errors).toBeUndefined();
    expect(renamed.data!.updateImportTemplate).toEqual({ ...created, name: "Sales" });

    const localized = await t.request(
      UpdateTemplate,
      { id: created.id, input: { decimalSeparator: "COMMA", dateOrder: "DMY" } },
      token,
    );
    expect(localized.data!.updateImportTemplate).toEqual({
      ...created,
      name: "Sales",
      decimalSeparator: "COMMA",
      dateOrder: "DMY",
    });

    const newColumns: TemplateColumnInput[] = [
      { key: "name", header: "Customer", type: "STRING", required: true, aliases: ["Client", "Name"] },
      { key: "total", header: "Total", type: "DECIMAL" },
    ];
    const recolumned = await t.request(UpdateTemplate, { id: created.id, input: { columns: newColumns } }, token);
    expect(recolumned.errors).toBeUndefined();
    const expectedColumns = [
      { key: "name", header: "Customer", type: "STRING", required: true, aliases: ["Client"] },
      { key: "total", header: "Total", type: "DECIMAL", required: false, aliases: [] },
    ];
    expect(recolumned.data!.updateImportTemplate).toMatchObject({
      name: "Sales",
      decimalSeparator: "COMMA",
      dateOrder: "DMY",
      columns: expectedColumns,
    });
    expect(await templateColumns(token, created.id)).toEqual(expectedColumns);
  });

  it("checks what it is given as createImportTemplate does, and keeps the template on refusal", async () => {
    const token = await newUser();
    const created = await createTemplate(token);
    const unnamed = await t.request(UpdateTemplate, { id: created.id, input: { name: "   " } }, token);
    expect(refusal(unnamed)).toEqual([{ code: "BAD_USER_INPUT", message: "Give the template a name." }]);
    const clashing = await t.request(
      UpdateTemplate,
      {
        id: created.id,
        input: {
          name: "Renamed",
          columns: [
            { key: "name", header: "Name", type: "STRING" },
            { key: "email", header: "Email", type: "EMAIL", aliases: ["name"] },
          ],
        },
      },
      token,
    );
    expect(refusal(clashing)).toEqual([
      { code: "BAD_USER_INPUT", message: 'Columns "name" and "email" would both match the header "name".' },
    ]);
    const empty = await t.request(UpdateTemplate, { id: created.id, input: { columns: [] } }, token);
    expect(refusal(empty)).toEqual([{ code: "BAD_USER_INPUT", message: "A template needs at least one column." }]);
    const kept = await t.request(TemplateWithAliases, { id: created.id }, token);
    expect(kept.data!.importTemplate).toEqual(created);
  });

  it("is NOT_FOUND for someone else's template, a deleted one and a missing id, and changes none", async () => {
    const owner = await newUser();
    const other = await newUser();
    const theirs = await createTemplate(owner);
    const deleted = await createTemplate(other);
    expect((await t.request(DeleteTemplate, { id: deleted.id }, other)).errors).toBeUndefined();

    for (const id of [theirs.id, deleted.id, randomUUID(), "not-a-uuid"]) {
      const result = await t.request(UpdateTemplate, { id, input: { name: "Mine now" } }, other);
      expect(refusal(result)).toEqual([{ code: "NOT_FOUND", message: "Template not found." }]);
    }
    const names = await sql.query<{ name: string }>("select name from import_templates where id = any($1)", [
      [theirs.id, deleted.id],
    ]);
    expect(names.rows.map((row) => row.name)).toEqual(["Orders", "Orders"]);
  });
});

describe("rememberAliases", () => {
  const remember = (templateId: string, picks: Array<{ templateKey: string; header: string }>) =>
    withTransaction(t.app.db.pool, (tx) => rememberAliases(tx, templateId, picks));

  async function storedAliases(templateId: string): Promise<Record<string, string[]>> {
    const { rows } = await sql.query<{ columns: Array<{ key: string; aliases?: string[] }> }>(
      "select columns from import_templates where id = $1",
      [templateId],
    );
    return Object.fromEntries(rows[0]!.columns.map((column) => [column.key, column.aliases ?? []]));
  }

  it("adds a picked header to its column once, and skips what already matches or another column claims", async () => {
    const { id } = await createTemplate(await newUser());
    const added = await remember(id, [
      { templateKey: "name", header: " Customer " },
      { templateKey: "email", header: "e-mail ADDRESS" }, // its own alias, another case
      { templateKey: "email", header: "CONTACT EMAIL" }, // its own header
      { templateKey: "unitPrice", header: "unitprice" }, // its own key
      { templateKey: "unitPrice", header: "Mail" }, // the email column's alias
      { templateKey: "unitPrice", header: "Name" }, // the name column's header
      { templateKey: "gone", header: "Whatever" }, // no such column
      { templateKey: "unitPrice", header: "   " },
      { templateKey: "unitPrice", header: "Cost" },
      { templateKey: "email", header: "customer" }, // just claimed by name above
    ]);
    expect(added).toEqual([
      { templateKey: "name", header: "Customer" },
      { templateKey: "unitPrice", header: "Cost" },
    ]);
    const expected = { name: ["Customer"], unitPrice: ["Price (USD)", "Cost"], email: ["E-mail address", "Mail"] };
    expect(await storedAliases(id)).toEqual(expected);

    expect(await remember(id, [{ templateKey: "name", header: "customer" }])).toEqual([]);
    expect(await storedAliases(id)).toEqual(expected);
  });

  it("changes nothing in a deleted template", async () => {
    const token = await newUser();
    const { id } = await createTemplate(token);
    expect((await t.request(DeleteTemplate, { id }, token)).errors).toBeUndefined();
    expect(await remember(id, [{ templateKey: "name", header: "Customer" }])).toEqual([]);
    expect((await storedAliases(id)).name).toEqual([]);
  });

  it("stops at 50 aliases a column", async () => {
    const aliases = Array.from({ length: 49 }, (_, i) => `Name ${i}`);
    const { id } = await createTemplate(await newUser(), [{ key: "name", header: "Name", type: "STRING", aliases }]);
    const added = await remember(id, [
      { templateKey: "name", header: "Customer" },
      { templateKey: "name", header: "Client" },
    ]);
    expect(added).toEqual([{ templateKey: "name", header: "Customer" }]);
    expect((await storedAliases(id)).name).toEqual([...aliases, "Customer"]);
  });

  it("keeps both aliases when two confirms remember at the same time", async () => {
    const { id } = await createTemplate(await newUser());
    const first = await t.app.db.pool.connect();
    const second = await t.app.db.pool.connect();
    try {
      await first.query("begin");
      await second.query("begin");
      await rememberAliases(first, id, [{ templateKey: "name", header: "Customer" }]);
      const secondPid = (await second.query<{ pid: number }>("select pg_backend_pid() as pid")).rows[0]!.pid;
      const secondDone = rememberAliases(second, id, [{ templateKey: "email", header: "Mail box" }]);
      await waitUntilBlocked(secondPid);
      await first.query("commit");
      await secondDone;
      await second.query("commit");
    } finally {
      first.release();
      second.release();
    }
    expect(await storedAliases(id)).toMatchObject({
      name: ["Customer"],
      email: ["E-mail address", "Mail", "Mail box"],
    });
  });
});

/** Resolves once the backend `pid` waits for a lock another session holds. */
async function waitUntilBlocked(pid: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await sql.query<{ blocked: boolean }>("select cardinality(pg_blocking_pids($1)) > 0 as blocked", [
      pid,
    ]);
    if (rows[0]!.blocked) return;
    if (Date.now() > deadline) throw new Error(`Backend ${pid} never waited for a lock`);
  }
}
