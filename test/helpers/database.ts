import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** How long a drop waits for connections that are closing by themselves before it ends them. */
const LINGER_MS = 500;

export interface TestDatabase {
  url: string;
  /** Drops the database, ending any connection still open on it. */
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A database of the test file's own: a clone of the migrated template, or (with `empty`) a blank
 * one, for tests of the migrations themselves.
 */
export async function createTestDatabase({ empty = false } = {}): Promise<TestDatabase> {
  const name = `xls_importer_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(async (client) => {
    const template = empty ? "template0" : inject("templateDatabase");
    await client.query(
      `create database ${client.escapeIdentifier(name)} template ${client.escapeIdentifier(template)}`,
    );
  });
  const url = new URL(inject("adminUrl"));
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withAdmin(async (client) => {
        // pg-pool's end() resolves before its clients' connections have closed: one that `with
        // (force)` terminates meanwhile gets an error its pool may have no listener for (an uncaught
        // exception in the test run). Those close within milliseconds: let them, then force the rest.
        const deadline = Date.now() + LINGER_MS;
        while (Date.now() < deadline) {
          const { rowCount } = await client.query("select 1 from pg_stat_activity where datname = $1", [name]);
          if (!rowCount) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
      }),
  };
}
