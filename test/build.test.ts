import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { copyFile, mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/database.js";
import { orderColumns, uploadFile, waitForImport } from "./helpers/imports.js";
import { FINAL_STATUSES } from "./helpers/jobs.js";
import { spawnServer, stopAllServers, type Server } from "./helpers/processes.js";
import { CreateTemplate, GetImport, SignUp } from "./operations.js";

/**
 * `npm run build`'s compiler (scripts/build.ts), then `node dist/main.js` as production runs it.
 * The build goes to a directory of its own, beside a link to our node_modules (Node finds packages
 * by walking up from dist/), so the test never touches the shared dist/ or src/generated/. It takes
 * about a second: no need to share it across test files.
 */
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
};

let dir: string;
let dist: string;
let database: TestDatabase;
let server: Server;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "xls-importer-build-"));
  dist = path.join(dir, "dist");
  await symlink(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  await copyFile(path.join(ROOT, "package.json"), path.join(dir, "package.json")); // "type": "module"
  await promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/build.ts", "--outdir", dist], {
    cwd: ROOT,
  });
});

afterAll(async () => {
  await stopAllServers();
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Every .js file under `root`, relative to it. */
async function jsFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".js"))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined for a path. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

describe("the production build", () => {
  it("mirrors the repository: every module, the file reader's entry, the page, the migrations", async () => {
    const sources = readdirSync(path.join(ROOT, "tasks")).filter((f) => f.endsWith(".ts"));
    const built = await jsFiles(dist);
    expect(built).toEqual(expect.arrayContaining(["main.js", "src/main.js", "src/imports/parseProcessEntry.js"]));
    expect(built).toEqual(expect.arrayContaining(sources.map((f) => `tasks/${f.replace(/\.ts$/, ".js")}`)));
    expect(built.filter((f) => f.startsWith("src/web/"))).toEqual(["src/web/assets/app.js"]);
    expect(await readdir(path.join(dist, "src/web/assets"))).toEqual(
      expect.arrayContaining(["app.js", "app.css", "app.js.map"]),
    );

    const migrations = path.join(ROOT, "prisma/migrations");
    const names = (await readdir(migrations, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(names.length).toBeGreaterThan(0);
    expect((await readdir(path.join(dist, "prisma/migrations"))).sort()).toEqual(names.sort());
    for (const name of names) {
      expect(await readFile(path.join(dist, "prisma/migrations", name, "migration.sql"), "utf8")).toBe(
        await readFile(path.join(migrations, name, "migration.sql"), "utf8"),
      );
    }
  });

  it("loads no package but Node's and the production dependencies (no tsx, esbuild, prisma, typescript)", async () => {
    const builtins = new Set(builtinModules);
    // a static import loads with its module; a dynamic one, or a resolve(), only when its line runs
    const statically = new Map<string, string>();
    const dynamically = new Map<string, string>();
    for (const file of await jsFiles(dist)) {
      if (file.startsWith("src/web/")) continue; // the browser's bundle imports nothing
      const code = await readFile(path.join(dist, file), "utf8");
      for (const [, a, b] of code.matchAll(
        /^(?:import|export|\})[^\n]*?\bfrom\s*"([^"]+)";?$|^import\s*"([^"]+)";?$/gm,
      )) {
        const name = packageOf((a ?? b)!);
        if (name && !builtins.has(name)) statically.set(name, file);
      }
      for (const [, specifier] of code.matchAll(
        /(?:\bimport|\brequire|(?:\)|\brequire)\.resolve)\(\s*"([^"]+)"\s*\)/g,
      )) {
        const name = packageOf(specifier!);
        if (name && !builtins.has(name)) dynamically.set(name, file);
      }
    }
    // what we know the server needs is found, so the scan itself works
    expect([...statically.keys()]).toEqual(expect.arrayContaining(["graphql-yoga", "graphile-worker", "pg"]));
    const isProduction = ([name]: [string, string]) => name in PACKAGE.dependencies;
    expect([...statically].filter((entry) => !isProduction(entry))).toEqual([]);
    // the two that run from source only: the page's bundler and the file reader's TypeScript loader
    expect([...dynamically].filter((entry) => !isProduction(entry)).sort()).toEqual([
      ["esbuild", "src/server/webPages.js"],
      ["tsx", "src/imports/parseProcess.js"],
    ]);
  });

  it("serves GraphQL, the prebuilt page and an import from `node dist/main.js`, its file reader compiled too", async () => {
    database = await createTestDatabase();
    server = await spawnServer({
      command: [process.execPath, path.join(dist, "main.js")],
      env: { DATABASE_URL: database.url },
    });

    const me = (await server.request(SignUp, { email: "built@example.com", password: "long enough" })).data!.signUp;
    const template = await server.request(
      CreateTemplate,
      { input: { name: "Orders", columns: orderColumns } },
      me.token,
    );
    expect(template.errors).toBeUndefined();
    const csv = Buffer.from("Name,Quantity,Unit Price\nWidget,3,1.50\nGadget,,2\n");
    const started = await uploadFile(
      { url: server.url! },
      me.token,
      template.data!.createImportTemplate.id,
      csv,
      "orders.csv",
    );
    expect(started.errors).toBeUndefined();
    const id = started.data!.startImport.id;
    await waitForImport(database.url, id, (row) => FINAL_STATUSES.includes(row.status));
    const done = await server.request(GetImport, { id }, me.token);
    expect(done.data!.import).toMatchObject({ status: "COMPLETED", rowsImported: 2, rowsFailed: 0 });
    expect(done.data!.import!.records.edges.map((e) => e.node.data)).toEqual([
      expect.objectContaining({ name: "Widget", quantity: 3 }),
      expect.objectContaining({ name: "Gadget" }),
    ]);

    // the file reader that read it waits for the next file: plain node running the compiled entry
    const readers = childCommandLines(server.proc.pid!);
    expect(readers.filter((cmd) => cmd.includes("parseProcessEntry"))).toEqual([
      expect.stringContaining(path.join(dist, "src/imports/parseProcessEntry.js")),
    ]);
    expect(readers.join("\n")).not.toMatch(/tsx/);

    // the page is what the build bundled, read from dist rather than bundled again
    const origin = new URL(server.url!).origin;
    const page = await fetch(`${origin}/templates`);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(await readFile(path.join(dist, "src/web/index.html"), "utf8"));
    const script = await fetch(`${origin}/assets/app.js`);
    expect(script.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(Buffer.from(await script.arrayBuffer())).toEqual(await readFile(path.join(dist, "src/web/assets/app.js")));

    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});

/** The command lines of `pid`'s child processes, from /proc (Linux, as spawnPostgres assumes). */
function childCommandLines(pid: number): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so read after the last ")"
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) lines.push(readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" "));
    } catch {
      // gone meanwhile
    }
  }
  return lines;
}
