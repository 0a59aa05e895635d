import fs from "node:fs";
import { printSchema } from "graphql";
import { expect, it } from "vitest";
import { schema } from "../src/schema/index.js";

it("schema.graphql is the printed Pothos schema (run `npm run generate` after changing the schema)", () => {
  const committed = fs.readFileSync("schema.graphql", "utf8");
  expect(committed).toBe(`${printSchema(schema)}\n`);
});
