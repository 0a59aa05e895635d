import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, readMigrations } from "../src/db/migrate.js";
import { createLogger } from "../src/logger.js";
import { createTestDatabase, type TestDatabase } from "./helpers/database.js";

const logger = createLogger("silent");
const leftovers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const dispose of leftovers.splice(0).reverse()) await dispose();
});

async function emptyDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase({ empty: true });
  leftovers.push(() => database.drop());
  return database;
}

async function query<R extends pg.QueryResultRow>(url: string, text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  applied_steps_count: number;
}

const recorded = (url: string) =>
  query<MigrationRow>(
    url,
    "select migration_name, checksum, finished_at, applied_steps_count from _prisma_migrations order by migration_name",
  );

async function migrationsCopy(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "migrations-"));
  await fs.cp("prisma/migrations", dir, { recursive: true });
  leftovers.push(() => fs.rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("migrate", () => {
  it("applies every migration once and records it as Prisma Migrate does", async () => {
    const { url } = await emptyDatabase();
    const migrations = await readMigrations();
    expect(migrations.length).toBeGreaterThan(0);

    expect(await migrate(url, logger)).toEqual(migrations.map((m) => m.name));
    const rows = await recorded(url);
    expect(rows.map((r) => r.migration_name)).toEqual(migrations.map((m) => m.name));
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(migrations[i]?.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("is idempotent: a second run applies nothing and changes nothing", async () => {
    const { url } = await emptyDatabase();
    await migrate(url, logger);
    const before = await recorded(url);
    expect(await migrate(url, logger)).toEqual([]);
    expect(await recorded(url)).toEqual(before);
  });

  it("lets two runners start at once: each migration is applied exactly once", async () => {
    const { url } = await emptyDatabase();
    const [a, b] = await Promise.all([migrate(url, logger), migrate(url, logger)]);
    const migrations = await readMigrations();
    // whichever took the lock first did the work; the other found nothing left
    expect([...a, ...b].sort()).toEqual(migrations.map((m) => m.name));
    expect((await recorded(url)).length).toBe(migrations.length);
  });

  it("applies a new migration added later, and only that one", async () => {
    const { url } = await emptyDatabase();
    const dir = await migrationsCopy();
    await migrate(url, logger, dir);
    await fs.mkdir(path.join(dir, "29991231000000_later"));
    await fs.writeFile(path.join(dir, "29991231000000_later", "migration.sql"), "create table later (id int);");
    expect(await migrate(url, logger, dir)).toEqual(["29991231000000_later"]);
    expect(await query(url, "select * from later")).toEqual([]);
  });

  it("refuses to run when an applied migration was edited afterwards", async () => {
    const { url } = await emptyDatabase();
    const dir = await migrationsCopy();
    await migrate(url, logger, dir);
    const [first] = (await fs.readdir(dir)).sort();
    await fs.appendFile(path.join(dir, first!, "migration.sql"), "\n-- edited\n");
    await expect(migrate(url, logger, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration completely and records nothing for it", async () => {
    const { url } = await emptyDatabase();
    const dir = await migrationsCopy();
    await fs.mkdir(path.join(dir, "29991231000000_broken"));
    await fs.writeFile(
      path.join(dir, "29991231000000_broken", "migration.sql"),
      "create table half_done (id int);\nselect * from no_such_table;",
    );
    await expect(migrate(url, logger, dir)).rejects.toThrow(/29991231000000_broken failed: .*no_such_table/);
    expect(await query(url, "select to_regclass('half_done') as t")).toEqual([{ t: null }]);
    expect((await recorded(url)).map((r) => r.migration_name)).not.toContain("29991231000000_broken");
  });
});
