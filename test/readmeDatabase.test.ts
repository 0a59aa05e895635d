import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/database.js";
import { freePort } from "./helpers/freePort.js";
import { spawnServer, stopAllServers, type Server } from "./helpers/processes.js";
import { SignUp } from "./operations.js";

/**
 * The README's "Looking inside the database", against a server started as `npm start` starts it:
 * on the embedded PostgreSQL, in a temp DATA_DIR, on a free port.
 */

const root = path.resolve(import.meta.dirname, "..");

let dataDir: string;
/** Where the cluster really lives: as root, a folder the postgres user can reach (see postgresDataDir). */
let clusterDir: string | undefined;
let env: NodeJS.ProcessEnv;
let server: Server;
let port: number;

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "xls-importer-db-psql-"));
  env = { DATABASE_URL: "", DATA_DIR: dataDir, EMBEDDED_POSTGRES_PORT: String(await freePort()) };
  server = await spawnServer({ env });
  const ready = await server.waitForLog(/^embedded PostgreSQL ready/);
  clusterDir = ready.dataDir as string;
  port = ready.port as number;
});

afterAll(async () => {
  await stopAllServers();
  await fs.rm(dataDir, { recursive: true, force: true });
  if (clusterDir && !clusterDir.startsWith(dataDir)) {
    await fs.rm(path.dirname(clusterDir), { recursive: true, force: true });
  }
});

/** Runs a shell command line from the project's folder, with the server's environment. */
function sh(command: string, extraEnv: NodeJS.ProcessEnv = {}) {
  return run("bash", ["-c", command], extraEnv);
}

/** Runs `file` from the project's folder, with the server's environment and `extraEnv`. */
function run(
  file: string,
  args: string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: root,
      env: { ...process.env, ...env, ...extraEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The README's shell block that shows `npm run db:psql`, line by line. */
async function readmeLines(): Promise<string[]> {
  const readme = await fs.readFile(path.join(root, "README.md"), "utf8");
  const block = /```sh\n(npm run db:psql[^]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README has no sh block starting with npm run db:psql");
  return block.trim().split("\n");
}

describe("npm run db:psql", () => {
  it("runs the README's psql line on the embedded PostgreSQL the server started", async () => {
    const [psqlLine] = await readmeLines();
    expect(psqlLine).toMatch(/^npm run db:psql -- -c /);
    const email = `${Date.now()}@example.com`;
    expect((await server.request(SignUp, { email, password: "long enough" })).errors).toBeUndefined();

    const psql = await sh(psqlLine!);
    expect(psql.code, psql.stderr).toBe(0);
    // psql's table of the README's query: the server's database, with no import yet
    expect(psql.stdout).toMatch(/status \| count/);
    expect(psql.stdout).toContain("(0 rows)");

    const users = await sh(`npm run -s db:psql -- -Atc "select email from users"`);
    expect(users.stdout.trim().split("\n")).toContain(email);
  });

  it("prints, with --url, the connection string the README's Prisma Studio line uses", async () => {
    const [, studioLine] = await readmeLines();
    const substitution = /"\$\((npm run -s db:psql -- --url)\)"/.exec(studioLine!)?.[1];
    expect(studioLine).toMatch(/^npx prisma studio --url "\$\(/);
    const printed = await sh(substitution!);
    expect(printed.code, printed.stderr).toBe(0);
    const url = new URL(printed.stdout.trim());
    expect(url.hostname).toBe("127.0.0.1");
    expect(Number(url.port)).toBe(port);
    expect(url.pathname).toBe("/xls_importer");
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>("select count(*)::int as n from users");
      expect(rows[0]!.n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it("uses DATABASE_URL when it is set", async () => {
    const other: TestDatabase = await createTestDatabase();
    try {
      const psql = await sh(`npm run -s db:psql -- -Atc "select current_database()"`, { DATABASE_URL: other.url });
      expect(psql.code, psql.stderr).toBe(0);
      expect(psql.stdout.trim()).toBe(new URL(other.url).pathname.slice(1));
    } finally {
      await other.drop();
    }
  });

  it("says what to install when psql is missing", async () => {
    const empty = await fs.mkdtemp(path.join(os.tmpdir(), "xls-importer-no-psql-"));
    try {
      // a PATH with no psql on it; node is run by its full path
      const missing = await run(process.execPath, ["scripts/db-psql.mjs", "-c", "select 1"], { PATH: empty });
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/psql is not installed/);
      expect(missing.stderr).toMatch(/npm run -s db:psql -- --url/);
    } finally {
      await fs.rm(empty, { recursive: true, force: true });
    }
  });

  it("says the server must run when its PostgreSQL is not running, and when there is none", async () => {
    await server.stop();
    const stopped = await sh(`npm run -s db:psql -- --url`);
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toMatch(/is not running: it runs while the server does/);

    const none = await sh(`npm run -s db:psql -- --url`, { DATA_DIR: path.join(dataDir, "elsewhere") });
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no embedded PostgreSQL in .*elsewhere/);
  });
});
