import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/database.js";
import { freePort } from "./helpers/freePort.js";
import { spawnServer, stopAllServers, type SpawnServerOptions } from "./helpers/processes.js";
import { SignUp } from "./operations.js";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  await stopAllServers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A new empty directory, removed after the tests. */
async function workingDirectory(): Promise<string> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), "xls-importer-env-")));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `npm start`'s command run in `cwd` (spawnServer runs in ours: `cd` first, then `exec`, so the
 * pid spawnServer watches is the server's). Settings a test leaves to `.env` are removed from the
 * environment the server gets.
 */
function startIn(cwd: string, options: SpawnServerOptions & { unset: string[] }) {
  const unset = Object.fromEntries(options.unset.map((name) => [name, undefined]));
  return spawnServer({
    ...options,
    command: ["sh", "-c", 'cd "$0" && exec "$@"', cwd, process.execPath, "--import", TSX, MAIN],
    env: { ...unset, ...options.env },
  });
}

describe(".env", () => {
  let database: TestDatabase;

  it("in the working directory sets what the environment does not; the environment wins", async () => {
    database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const dir = await workingDirectory();
    const [filePort, envPort] = [await freePort(), await freePort()];
    await writeFile(
      path.join(dir, ".env"),
      [
        "# read by the server at start; the environment's own settings win",
        `DATABASE_URL=${database.url}`,
        "ALLOW_SIGNUP=false",
        `PORT=${filePort}`,
        `HOST="127.0.0.1"`,
        "",
      ].join("\n"),
    );
    const server = await startIn(dir, {
      role: "api",
      unset: ["DATABASE_URL", "ALLOW_SIGNUP", "HOST"],
      env: { PORT: String(envPort) },
    });

    // PORT: the environment's, not the file's
    expect(new URL(server.url!).port).toBe(String(envPort));
    const starting = await server.waitForLog(/^starting xls-importer/);
    expect(starting.envFile).toBe(path.join(dir, ".env"));

    // ALLOW_SIGNUP=false came from the file
    const refused = await server.request(SignUp, { email: "env@example.com", password: "long enough" });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    // and so did the database it serves (not an embedded PostgreSQL of its own)
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    cleanups.push(() => client.end());
    const { rows } = await client.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    expect(rows[0]!.n).toBeGreaterThan(0);

    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it("that cannot be read stops the server with exit code 2, naming the file", async () => {
    const dir = await workingDirectory();
    await mkdir(path.join(dir, ".env")); // a directory: there, but no file to read
    const server = await startIn(dir, { unset: [], ready: false });
    expect(await server.exited).toEqual({ code: 2, signal: null });
    expect(server.output).toContain(`xls-importer: could not read ${path.join(dir, ".env")}`);
    expect(server.logs).toEqual([]);
  });
});
