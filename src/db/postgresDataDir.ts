import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { PostgresBinaries } from "./postgresBinaries.js";
import { canAccess, type OsUser } from "./postgresOsUser.js";

/** An initialised cluster folder and the `postgres` superuser's password for it. */
export interface PostgresDataDir {
  /** Where the cluster's files live: the requested folder, or a fallback `user` can reach. */
  path: string;
  password: string;
}

/**
 * The folder the cluster lives in, owned by `user` and initialised (with a random password kept
 * beside the cluster) on first use. Root hands the folder to the `postgres` user; if that user
 * cannot reach the requested folder (a clone under /root), the cluster lives under /var/lib instead.
 */
export async function postgresDataDir(
  requested: string,
  binaries: PostgresBinaries,
  user: OsUser | undefined,
): Promise<PostgresDataDir> {
  const dataDir = await placeDataDir(requested, user);
  const passwordFile = path.join(dataDir, "xls-importer.password");
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    await initialise(binaries, dataDir, passwordFile, user);
  }
  return { path: dataDir, password: (await fs.readFile(passwordFile, "utf8")).trim() };
}

async function placeDataDir(requested: string, user: OsUser | undefined): Promise<string> {
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

async function initialise(binaries: PostgresBinaries, dataDir: string, passwordFile: string, user: OsUser | undefined) {
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
