/**
 * Import of a csv, `startImport` sent → jobStatus COMPLETED, against the baseline of `psql \copy`
 * of the same file into a table of the same shape (the ten columns typed as the template types
 * them, a primary key on the row number): PostgreSQL's own bulk load, the floor for writing these
 * rows. Target: ≥ 0.6× the baseline's rate.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import pg from "pg";
import { csvFixture } from "./fixtures.js";
import type { Scenario } from "./harness.js";
import { compareImport } from "./importXlsx.js";

const TABLE = `create table bench_copy (
  row_number integer generated always as identity primary key,
  name text not null, quantity integer not null, unit_price numeric not null, active boolean,
  ship_date date, email text, city text, notes text, code text, score numeric)`;
const COPY_COLUMNS = "name, quantity, unit_price, active, ship_date, email, city, notes, code, score";

/** `psql \copy` of `file` into a fresh bench_copy table, timed from psql's start to its exit. */
async function psqlCopy(databaseUrl: string, file: string, rows: number) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("drop table if exists bench_copy");
    await db.query(TABLE);
    const started = performance.now();
    const psql = spawn(
      "psql",
      [
        databaseUrl,
        "-v",
        "ON_ERROR_STOP=1",
        "-c",
        `\\copy bench_copy (${COPY_COLUMNS}) from '${file}' with (format csv, header true)`,
      ],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    const [code] = await once(psql, "exit");
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`psql exited ${code}`);
    const { rows: counted } = await db.query<{ n: number }>("select count(*)::int as n from bench_copy");
    if (counted[0]!.n !== rows) throw new Error(`psql copied ${counted[0]!.n} rows`);
    return { seconds };
  } finally {
    await db.query("drop table if exists bench_copy");
    await db.end();
  }
}

export const importCsv: Scenario = {
  name: "import-csv",
  async run(context) {
    const file = await csvFixture(context.sizes.rows);
    console.log(`### Import, ${context.sizes.rows.toLocaleString("en")} rows × 10 columns, csv\n`);
    return compareImport(context, file, await csvFixture(100), {
      name: "psql \\copy into a table of the same shape",
      run: () => psqlCopy(context.databaseUrl, file, context.sizes.rows),
    });
  },
};
