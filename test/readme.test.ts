import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/testApp.js";

/**
 * The README's API examples, run as pasted: every ```sh block of its "## API" section, in order, in
 * one bash session (each sets what the next uses), against a real server, from a folder that has
 * the project's `examples/` and `node_modules/`. Only the port differs: `localhost:4000` becomes the
 * test server's. A block the test cannot run says so in an HTML comment right above it:
 * `<!-- not run by test/readme.test.ts: why -->`.
 *
 * Besides running, each block's documented output (the `# {"data":…}` lines after a command, `…`
 * standing for anything and a date for any date) must be found in what it printed, and no answer
 * may hold GraphQL `errors`.
 */

const root = path.resolve(import.meta.dirname, "..");
const readme = await readFile(path.join(root, "README.md"), "utf8");

interface Block {
  lang: string;
  code: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
  /** Preceded by the opt-out comment. */
  skipped: boolean;
}

/** The fenced blocks between `## <heading>` and the next `## `. */
function blocksOf(heading: string): Block[] {
  const lines = readme.split("\n");
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`README has no "## ${heading}"`);
  const blocks: Block[] = [];
  for (let i = start + 1; i < lines.length && !lines[i]!.startsWith("## "); i++) {
    const fence = /^```(\w*)$/.exec(lines[i]!);
    if (!fence) continue;
    const end = lines.indexOf("```", i + 1);
    let before = i - 1;
    while (before > start && lines[before]!.trim() === "") before--;
    blocks.push({
      lang: fence[1]!,
      code: lines.slice(i + 1, end).join("\n"),
      line: i + 1,
      skipped: /^<!-- not run by test\/readme\.test\.ts/.test(lines[before]!),
    });
    i = end;
  }
  return blocks;
}

/**
 * What a block says it prints: each group of comment lines right after a command. A JSON answer
 * written over several comment lines (continuations indented) is one line of output.
 */
function documentedOutputs(code: string): string[] {
  const outputs: string[] = [];
  let group: string[] | undefined;
  let previous = "";
  for (const line of code.split("\n")) {
    if (line.startsWith("#")) {
      if (!group && previous.trim() !== "" && !previous.startsWith("#")) group = [];
      group?.push(line.replace(/^# ?/, ""));
    } else if (group) {
      outputs.push(joinOutput(group));
      group = undefined;
    }
    previous = line;
  }
  if (group) outputs.push(joinOutput(group));
  return outputs;
}

function joinOutput(lines: string[]): string {
  if (!lines[0]!.startsWith("{")) return lines.join("\n");
  return lines.map((line, i) => (i === 0 ? line : line.trimStart())).join("");
}

/** A documented output as a pattern: `…` is anything, a date any date, the rest literal. */
function outputPattern(documented: string): RegExp {
  const escaped = documented.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(escaped.replace(/…/g, "[^]*?").replace(/\d{4}-\d{2}-\d{2}/g, "\\d{4}-\\d{2}-\\d{2}"));
}

let t: TestApp;
let work: string;
let port: string;

beforeAll(async () => {
  t = await startTestApp({ role: "all" });
  port = new URL(t.url).port;
  work = await mkdtemp(path.join(os.tmpdir(), "xls-importer-readme-"));
  // what "the project's folder" gives the examples: the sample files, and graphql-ws and ws
  await symlink(path.join(root, "examples"), path.join(work, "examples"));
  await symlink(path.join(root, "node_modules"), path.join(work, "node_modules"));
});

afterAll(async () => {
  await t.stop();
  await rm(work, { recursive: true, force: true });
});

/** Runs `script` with bash in the work folder; resolves with its output and exit code. */
function bash(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], { cwd: work, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const local = (code: string) => code.replaceAll("localhost:4000", `localhost:${port}`);

describe("the README's API section", () => {
  const blocks = blocksOf("API");

  it("has shell examples without placeholders a reader must fill in", () => {
    const shell = blocks.filter((b) => b.lang === "sh" && !b.skipped);
    expect(shell.length).toBeGreaterThanOrEqual(8);
    for (const block of shell) {
      const commands = block.code
        .split("\n")
        .filter((line) => !line.trimStart().startsWith("#"))
        .map((line) => line.replace(/\s+#.*$/, ""));
      for (const command of commands) {
        expect(command, `README line ${block.line}`).not.toMatch(/<[a-z][a-z ]*>|…/);
      }
    }
  });

  it("runs as pasted, in order, against a real server, and prints what it says it prints", async () => {
    // files the README asks to save first (a block whose first line is `// <name>.mjs: …`)
    for (const block of blocks.filter((b) => b.lang === "js" && !b.skipped)) {
      const name = /^\/\/ ([\w.-]+\.mjs):/.exec(block.code)?.[1];
      if (name) await writeFile(path.join(work, name), local(block.code));
    }
    const shell = blocks.filter((b) => b.lang === "sh" && !b.skipped);
    // -u: a variable no earlier block declared stops the run; -e and pipefail: so does a failure
    const script = [
      "set -euo pipefail",
      ...shell.map((block, i) => `printf '\\n@@block ${i}@@\\n'\n${local(block.code)}`),
    ].join("\n");
    const run = await bash(script);
    const outputs = run.stdout.split(/\n@@block \d+@@\n/).slice(1);
    expect(run.code, `stderr:\n${run.stderr}\nstdout:\n${run.stdout}`).toBe(0);
    expect(outputs).toHaveLength(shell.length);

    shell.forEach((block, i) => {
      const printed = outputs[i]!;
      // a GraphQL error list (an import's row errors are a connection, `"errors":{"edges"…`)
      expect(printed, `README line ${block.line}`).not.toMatch(/"errors":\[/);
      for (const documented of documentedOutputs(block.code)) {
        expect(printed, `README line ${block.line} documents:\n${documented}`).toMatch(outputPattern(documented));
      }
    });

    // both downloads arrived, as xlsx files (zip)
    const files = await readdir(work);
    const named = files.find((name) => /^Orders \d{4}-\d{2}-\d{2}\.xlsx$/.test(name));
    expect(named, files.join(", ")).toBeDefined();
    for (const file of [named!, "orders-export.xlsx"]) {
      const bytes = await readFile(path.join(work, file));
      expect(bytes.subarray(0, 2).toString("latin1"), file).toBe("PK");
    }
  });

  it("has GraphQL documents that are valid against the schema", async () => {
    const schema = buildSchema(await readFile(path.join(root, "schema.graphql"), "utf8"));
    const documents = [...blocksOf("Quick start"), ...blocks].filter((b) => b.lang === "graphql");
    expect(documents.length).toBeGreaterThan(0);
    for (const block of documents) {
      expect(validate(schema, parse(block.code)), `README line ${block.line}`).toEqual([]);
    }
  });
});

describe("examples/", () => {
  it("holds orders.csv and the orders.xlsx LibreOffice saved from it", async () => {
    const csv = await readFile(path.join(root, "examples/orders.csv"), "utf8");
    expect(csv.split("\n")[0]).toBe("Name,Quantity,Unit Price,Ship Date");
    const xlsx = await readFile(path.join(root, "examples/orders.xlsx"));
    expect(xlsx.subarray(0, 2).toString("latin1")).toBe("PK");
    // LibreOffice names itself in the workbook's properties
    const { default: JSZip } = await import("jszip");
    const zip = await JSZip.loadAsync(xlsx);
    expect(await zip.file("docProps/app.xml")!.async("string")).toMatch(/LibreOffice/);
  });
});
