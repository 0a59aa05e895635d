import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Logger } from "../logger.js";
import { withTransaction } from "./withTransaction.js";
import { coerceError } from "../lib.js";

/** `prisma/migrations`, in Prisma's layout: one `<timestamp>_<name>/migration.sql` per migration. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** The advisory lock key Prisma Migrate itself takes, so our runner and Prisma's exclude each other. */
const ADVISORY_LOCK_KEY = 72707369;

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** Reads the migration folders in name (= timestamp) order. */
export async function readMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await fs.readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies every migration not yet applied, each in its own transaction, and records it in
 * `_prisma_migrations` exactly as Prisma Migrate would. Safe to run from many processes at once
 * (they queue on an advisory lock) and as often as you like (applied ones are skipped).
 *
 * Refuses to start when an applied migration's file has changed since, or a failed one is recorded:
 * both need a person to look.
 *
 * @returns the names of the migrations this call applied
 */
export async function migrate(databaseUrl: string, logger: Logger, dir: string = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = await readMigrations(dir);
  // one connection, never closed for idling: it holds the advisory lock, so every statement below,
  // each transaction's too, runs on it
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 0 });
  try {
    await pool.query("select pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
    await pool.query(`
      create table if not exists _prisma_migrations (
        id varchar(36) primary key not null,
        checksum varchar(64) not null,
        finished_at timestamptz,
        migration_name varchar(255) not null,
        logs text,
        rolled_back_at timestamptz,
        started_at timestamptz not null default now(),
        applied_steps_count integer not null default 0
      )`);
    const { rows } = await pool.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      "select migration_name, checksum, finished_at from _prisma_migrations where rolled_back_at is null",
    );
    const recorded = new Map(rows.map((row) => [row.migration_name, row]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const row = recorded.get(migration.name);
      if (row && !row.finished_at) {
        throw new Error(
          `Migration ${migration.name} failed earlier and is recorded as unfinished; resolve it by hand.`,
        );
      }
      if (row && row.checksum !== migration.checksum) {
        throw new Error(`Migration ${migration.name} was changed after it was applied; add a new migration instead.`);
      }
      if (row) continue;
      try {
        await withTransaction(pool, async (client) => {
          await client.query(migration.sql);
          await client.query(
            `insert into _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
             values ($1, $2, $3, now(), 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
        });
      } catch (err) {
        throw new Error(`Migration ${migration.name} failed: ${coerceError(err).message}`, { cause: err });
      }
      logger.info({ migration: migration.name }, "applied migration");
      applied.push(migration.name);
    }
    return applied;
  } finally {
    // ending the session releases the advisory lock too
    await pool.end();
  }
}
