import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, SignUp } from "./operations.js";

/**
 * The README's "Typed clients" setup, as a third-party TypeScript project would have it: each ```ts
 * block that starts with `// <path>` is written to that path in an empty folder (with this
 * project's node_modules), codegen reads the schema from a real server, tsc compiles the client,
 * and the client runs against the server. Only the port differs from what the README says.
 */

const root = path.resolve(import.meta.dirname, "..");

/** The ```ts blocks of `### Typed clients`, by the path on their first line. */
async function readmeFiles(): Promise<Map<string, string>> {
  const readme = await readFile(path.join(root, "README.md"), "utf8");
  const start = readme.indexOf("\n### Typed clients\n");
  if (start < 0) throw new Error('README has no "### Typed clients"');
  const section = readme.slice(start + 1, readme.indexOf("\n### ", start + 1));
  const files = new Map<string, string>();
  for (const [, code] of section.matchAll(/^```ts\n([^]*?)^```$/gm)) {
    const name = /^\/\/ ([\w./-]+\.ts)\n/.exec(code!)?.[1];
    if (name) files.set(name, code!);
  }
  return files;
}

/** Runs a command in `cwd`; resolves with its output and exit code. */
function run(
  cwd: string,
  command: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), { cwd, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

let t: TestApp;
let work: string;

beforeAll(async () => {
  t = await startTestApp({ role: "api" });
  work = await mkdtemp(path.join(os.tmpdir(), "xls-importer-typed-client-"));
  await symlink(path.join(root, "node_modules"), path.join(work, "node_modules"));
});

afterAll(async () => {
  await t.stop();
  await rm(work, { recursive: true, force: true });
});

it("generates a client's types from the running server, compiles it, and its typed request pages through templates", async () => {
  const files = await readmeFiles();
  expect([...files.keys()].sort()).toEqual(["codegen.ts", "src/client.ts"]);
  for (const [name, code] of files) {
    await mkdir(path.dirname(path.join(work, name)), { recursive: true });
    await writeFile(path.join(work, name), code.replaceAll("http://localhost:4000/graphql", t.url));
  }
  // what the reader's project has besides: an ES module package, strict TypeScript for Node
  await writeFile(path.join(work, "package.json"), JSON.stringify({ type: "module" }));
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      lib: ["ES2023", "DOM"],
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
    },
    include: ["src"],
  };
  await writeFile(path.join(work, "tsconfig.json"), JSON.stringify(tsconfig));

  const bin = (name: string) => path.join(root, "node_modules/.bin", name);
  const codegen = await run(work, [bin("graphql-codegen"), "--config", "codegen.ts"]);
  expect(codegen.code, codegen.output).toBe(0);
  const generated = await readFile(path.join(work, "src/gql/graphql.ts"), "utf8");
  expect(generated).toMatch(/export type TemplatesQuery = \{/);
  expect(generated).toContain("new TypedDocumentString(");
  const tsc = await run(work, [bin("tsc"), "-p", "."]);
  expect(tsc.code, tsc.output).toBe(0);

  // a person with more templates than one page of the client's holds
  const signUp = await t.request(SignUp, { email: "typed@example.com", password: "long enough" });
  const token = signUp.data!.signUp.token;
  const names = Array.from({ length: 102 }, (_, i) => `Template ${String(i + 1).padStart(3, "0")}`);
  for (const name of names) {
    const columns = [{ key: "sku", header: "SKU", type: "STRING" as const }];
    expect((await t.request(CreateTemplate, { input: { name, columns } }, token)).errors).toBeUndefined();
  }
  const client = await run(work, [process.execPath, "--import", "tsx", "src/client.ts"], { TOKEN: token });
  expect(client.code, client.output).toBe(0);
  expect(client.output.trim().split("\n")).toEqual(names.map((name) => `${name}: sku (STRING)`));

  // without a token, the server's error reaches the caller with its code
  const anonymous = await run(work, [process.execPath, "--import", "tsx", "src/client.ts"], { TOKEN: "" });
  expect(anonymous.code).not.toBe(0);
  expect(anonymous.output).toContain("UNAUTHENTICATED");
}, 120_000);
