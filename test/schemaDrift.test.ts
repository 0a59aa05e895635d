import fs from "node:fs";
import { createRequire } from "node:module";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/database.js";

// Prisma's own schema parser (the wasm build its CLI uses), so the test reads schema.prisma
// exactly as `prisma generate` does
const { get_dmmf } = createRequire(import.meta.url)("@prisma/prisma-schema-wasm") as {
  get_dmmf(params: string): string;
};

interface DmmfField {
  name: string;
  dbName?: string;
  kind: "scalar" | "object" | "enum";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUnique: boolean;
  hasDefaultValue: boolean;
  nativeType: [string, string[]] | null;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: Array<{ name: string; dbName: string | null }> };
}

const dmmf = JSON.parse(
  get_dmmf(JSON.stringify({ prismaSchema: [["schema.prisma", fs.readFileSync("prisma/schema.prisma", "utf8")]] })),
) as Dmmf;

/** The PostgreSQL type (as `format_type` prints it) that Prisma maps a field to. */
function expectedType(field: DmmfField): string {
  const [native, args = []] = field.nativeType ?? [];
  let type: string;
  if (field.kind === "enum") {
    const e = dmmf.datamodel.enums.find((candidate) => candidate.name === field.type);
    type = e?.dbName ?? field.type;
  } else if (native) {
    const nativeTypes: Record<string, string> = {
      Uuid: "uuid",
      Text: "text",
      VarChar: `character varying(${args[0]})`,
      Timestamptz: `timestamp(${args[0] ?? 6}) with time zone`,
      Timestamp: `timestamp(${args[0] ?? 6}) without time zone`,
      Date: "date",
      Integer: "integer",
      BigInt: "bigint",
      SmallInt: "smallint",
      Decimal: `numeric(${args.join(",")})`,
      JsonB: "jsonb",
      Json: "json",
      ByteA: "bytea",
    };
    const mapped = nativeTypes[native];
    if (!mapped) throw new Error(`teach the drift test the native type @db.${native}`);
    type = mapped;
  } else {
    const defaults: Record<string, string> = {
      String: "text",
      Int: "integer",
      BigInt: "bigint",
      Float: "double precision",
      Decimal: "numeric(65,30)",
      Boolean: "boolean",
      DateTime: "timestamp(3) without time zone",
      Json: "jsonb",
      Bytes: "bytea",
    };
    const mapped = defaults[field.type];
    if (!mapped) throw new Error(`teach the drift test the Prisma type ${field.type}`);
    type = mapped;
  }
  return field.isList ? `${type}[]` : type;
}

let database: TestDatabase;
let sql: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase();
  sql = new pg.Pool({ connectionString: database.url });
});

afterAll(async () => {
  await sql.end();
  await database.drop();
});

interface Column {
  column: string;
  type: string;
  not_null: boolean;
  has_default: boolean;
  unique: boolean;
}

async function columnsOf(table: string): Promise<Column[]> {
  const { rows } = await sql.query<Column>(
    `select a.attname as column,
            format_type(a.atttypid, a.atttypmod) as type,
            a.attnotnull as not_null,
            (a.atthasdef or a.attidentity <> '') as has_default,
            exists (
              select 1 from pg_index i
              where i.indrelid = a.attrelid and i.indisunique and not i.indisprimary
                and i.indnatts = 1 and i.indkey[0] = a.attnum
            ) as unique
     from pg_attribute a
     where a.attrelid = to_regclass($1) and a.attnum > 0 and not a.attisdropped
     order by a.attname`,
    [`public.${table}`],
  );
  return rows;
}

describe("the migrated database matches prisma/schema.prisma", () => {
  it("knows at least one model", () => {
    expect(dmmf.datamodel.models.length).toBeGreaterThan(0);
  });

  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;
    it(`${model.name} → table ${table}: same columns, types, nullability, defaults and unique keys`, async () => {
      const scalars = model.fields.filter((field) => field.kind !== "object");
      const expected = scalars
        .map((field) => ({
          column: field.dbName ?? field.name,
          type: expectedType(field),
          not_null: field.isRequired,
          has_default: field.hasDefaultValue,
          unique: field.isUnique,
        }))
        .sort((a, b) => a.column.localeCompare(b.column));
      const actual = await columnsOf(table);
      expect(actual.length, `table ${table} is missing`).toBeGreaterThan(0);
      expect(actual).toEqual(expected);
    });
  }
});
