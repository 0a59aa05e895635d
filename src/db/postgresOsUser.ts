import { execFileSync, spawnSync } from "node:child_process";

/** The ids a child process runs under, as `spawn` takes them. */
export interface OsUser {
  uid: number;
  gid: number;
}

/**
 * The OS user the embedded PostgreSQL runs as: `undefined` (ourselves) unless we are root, which
 * PostgreSQL refuses to run as; root runs it as the `postgres` user, creating it if needed.
 */
export function postgresOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
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

/** True when `user` (or, when `undefined`, the current user) can do `test <flag> target`. */
export function canAccess(user: OsUser | undefined, flag: string, target: string): boolean {
  return spawnSync("test", [flag, target], { ...user }).status === 0;
}
