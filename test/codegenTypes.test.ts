import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { generate } from "@graphql-codegen/cli";
import { afterAll, expect, it } from "vitest";

// What a third-party TypeScript client does with schema.graphql: the `typescript` and
// `typescript-operations` plugins over every operation in the repository, then the compiler over
// what they wrote. A type named like a TypeScript built-in (`Record` was) breaks it.
const out = fs.mkdtempSync(path.join(os.tmpdir(), "codegen-types-"));

afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

it("generates types for the schema and every document in the repository, and they compile", async () => {
  // typescript-operations 6 writes the enums and inputs its operations use itself, so the schema's
  // own types (where a type named `Record` broke) go to a file of their own
  const schemaTypes = path.join(out, "schema.ts");
  const operations = path.join(out, "operations.ts");
  // one file per client, as codegen.ts has it: the page and the tests both name operations `SignUp`
  const webOperations = path.join(out, "webOperations.ts");
  const scalars = { DateTime: "string", JSONObject: "Record<string, unknown>", Upload: "File" };
  const written = await generate(
    {
      schema: "schema.graphql",
      silent: true,
      generates: {
        [schemaTypes]: { plugins: ["typescript"], config: { scalars } },
        [operations]: {
          documents: ["test/**/*.ts", "!test/gql/**"],
          plugins: ["typescript-operations"],
          config: { scalars },
        },
        [webOperations]: {
          documents: ["src/web/**/*.ts", "!src/web/gql/**"],
          plugins: ["typescript-operations"],
          config: { scalars },
        },
      },
    },
    true,
  );
  const outputs = written as Array<{ filename: string; content: string }>;
  const content = (file: string) => outputs.find((output) => output.filename === file)!.content;
  // a Node: the typescript plugin writes its interfaces first
  expect(content(schemaTypes)).toMatch(/export type ImportRecord = Node & \{/);
  // every operation the repository sends has its result type
  expect(content(operations)).toMatch(/export type GetChangesQuery = \{/);
  expect(content(webOperations)).toMatch(/export type JobResultsQuery = \{/);
  const tsc = path.resolve("node_modules/typescript/bin/tsc");
  const args = ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", schemaTypes, operations, webOperations];
  await expect(promisify(execFile)(process.execPath, [tsc, ...args])).resolves.toBeDefined();
}, 120_000);
