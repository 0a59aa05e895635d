#!/usr/bin/env node
// Opens psql on the server's database: `DATABASE_URL` when set, else the embedded PostgreSQL that
// `npm start` runs (it runs while the server does). Plain JavaScript, so it needs neither tsx nor a
// build.
//
//   npm run db:psql                          psql, as the postgres superuser, on database xls_importer
//   npm run db:psql -- -c 'select count(*) from imports'      arguments go on to psql
//   npm run -s db:psql -- --url              prints the connection string, for other tools:
//   npx prisma studio --url "$(npm run -s db:psql -- --url)"
//
// It finds the embedded cluster as src/db/embeddedPostgres.ts starts it: in $DATA_DIR/postgres
// (default ./.data/postgres), or, when root runs it and the postgres OS user cannot reach that
// folder, in /var/lib/xls-importer/<sha-256 of that folder's path, 16 hex digits>/postgres
// (src/db/postgresDataDir.ts); on 127.0.0.1 only (no Unix socket), at the port its postmaster.pid
// names (EMBEDDED_POSTGRES_PORT, or the free port used when that one was taken), as user postgres
// with the password kept beside the cluster in xls-importer.password.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import console from "node:console";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import process from "node:process";
import { URL } from "node:url";

/** The database the server keeps its data in on the embedded PostgreSQL (src/db/database.ts). */
const EMBEDDED_DATABASE = "xls_importer";

if (existsSync(".env")) process.loadEnvFile(".env"); // the server's own environment wins, as there

const args = process.argv.slice(2);
const printUrl = args[0] === "--url";

let url;
try {
  url = new URL(process.env.DATABASE_URL || embeddedUrl());
} catch (err) {
  console.error(`db:psql: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
if (printUrl) {
  console.log(url.toString());
  process.exit(0);
}

// the password goes in the environment, not on the command line, where `ps` would show it
const password = decodeURIComponent(url.password);
url.password = "";
const psql = spawn("psql", [url.toString(), ...args], {
  stdio: "inherit",
  env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
});
psql.on("error", (err) => {
  if (err.code !== "ENOENT") throw err;
  console.error(
    "db:psql: psql is not installed. Install the PostgreSQL client (Debian/Ubuntu: apt-get install postgresql-client;\n" +
      "macOS: brew install libpq), or point any PostgreSQL client at the connection string from\n" +
      "  npm run -s db:psql -- --url",
  );
  process.exit(1);
});
psql.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** The connection string of the running embedded PostgreSQL; throws, saying why, when there is none. */
function embeddedUrl() {
  const requested = path.join(path.resolve(process.env.DATA_DIR || ".data"), "postgres");
  const key = createHash("sha256").update(requested).digest("hex").slice(0, 16);
  const candidates = [requested, path.join("/var/lib/xls-importer", key, "postgres")];
  const dataDir = candidates.find((dir) => existsSync(path.join(dir, "xls-importer.password")));
  if (!dataDir) {
    throw new Error(
      `no embedded PostgreSQL in ${requested}: run npm start once (it creates one there), or set DATA_DIR or DATABASE_URL as the server has them`,
    );
  }
  const lockFile = path.join(dataDir, "postmaster.pid");
  const lines = existsSync(lockFile) ? readFileSync(lockFile, "utf8").split("\n") : [];
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isRunning(pid) || !Number.isInteger(port)) {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} is not running: it runs while the server does, so start it (npm start) in another terminal first`,
    );
  }
  const password = readFileSync(path.join(dataDir, "xls-importer.password"), "utf8").trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM"; // alive, but another user's (root started it as postgres)
  }
}
