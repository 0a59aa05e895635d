import { readFile } from "node:fs/promises";
import { generate } from "@graphql-codegen/cli";
import { buildSchema, parse, validate, type OperationDefinitionNode } from "graphql";
import { expect, it } from "vitest";
import config from "../../codegen.js";
import { buildWebAssets } from "../../src/server/webPages.js";
import { TypedDocumentString } from "../../src/web/gql/graphql.js";
import * as operations from "../../src/web/operations.js";

// The page is the reference client: every operation it sends is checked against schema.graphql
// here, without a browser, so a renamed or removed field fails a test before a person sees it.
// codegen checked the documents when it typed them, but against the schema of that day: this
// checks the very text the page sends against today's, and that the types are today's too.
it("sends only operations that schema.graphql validates", async () => {
  const schema = buildSchema(await readFile("schema.graphql", "utf8"));
  const documents = Object.entries(operations as Record<string, unknown>).flatMap(([name, value]) =>
    value instanceof TypedDocumentString ? [[name, value.toString()] as const] : [],
  );
  expect(documents.length).toBeGreaterThanOrEqual(25);
  const problems = documents.flatMap(([name, text]) =>
    validate(schema, parse(text)).map((e) => `${name}: ${e.message}`),
  );
  expect(problems).toEqual([]);
  // the change report and the rules are among them
  const names = documents.map(([, text]) => (parse(text).definitions[0] as OperationDefinitionNode).name?.value);
  expect(names).toEqual(expect.arrayContaining(["ImportChanges", "ImportReview", "JobResults", "Template"]));
});

it("has the typed documents `npm run generate` makes from today's documents and schema", async () => {
  const output = "src/web/gql/";
  const written = (await generate(
    { ...config, generates: { [output]: config.generates[output]! }, silent: true },
    false,
  )) as Array<{ filename: string; content: string }>;
  expect(written.map((file) => file.filename).sort()).toEqual(
    ["gql.ts", "graphql.ts", "index.ts"].map((name) => `${output}${name}`),
  );
  for (const { filename, content } of written) {
    expect(await readFile(filename, "utf8"), `${filename} is stale: run npm run generate`).toBe(content);
  }
}, 60_000);

it("bundles the documents as text, without graphql-js to print them", async () => {
  const script = (await buildWebAssets()).get("/assets/app.js")!.body.toString();
  expect(script).toContain("query JobResults(");
  // graphql-js's own messages and classes: none of it is shipped to the browser
  expect(script).not.toMatch(/Syntax Error|GraphQLError|GraphQLSchema/);
}, 60_000);
