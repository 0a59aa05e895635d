import { readFile } from "node:fs/promises";
import { buildSchema, parse, validate, type OperationDefinitionNode } from "graphql";
import { expect, it } from "vitest";
import * as operations from "../../src/web/operations.js";

// The page is the reference client: every operation it sends is checked against schema.graphql
// here, without a browser, so a renamed or removed field fails a test before a person sees it.
it("sends only operations that schema.graphql validates", async () => {
  const schema = buildSchema(await readFile("schema.graphql", "utf8"));
  const documents = Object.entries(operations as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
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
