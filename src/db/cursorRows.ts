import type pg from "pg";

/** Rows fetched per round trip: few round trips, and never more than this many rows in memory. */
const FETCH_ROWS = 1_000;

/**
 * Yields the rows of `sql` through a server-side cursor, `FETCH_ROWS` at a time, so a query over
 * millions of rows never holds more than one batch. `client` must be inside a transaction (a
 * cursor lives in one); the cursor is closed when the loop ends, however it ends.
 */
export async function* cursorRows<T extends pg.QueryResultRow>(
  client: pg.PoolClient,
  name: string,
  sql: string,
  params: unknown[],
): AsyncGenerator<T> {
  const cursor = client.escapeIdentifier(name);
  await client.query(`declare ${cursor} no scroll cursor for ${sql}`, params);
  try {
    for (;;) {
      const { rows } = await client.query<T>(`fetch forward ${FETCH_ROWS} from ${cursor}`);
      yield* rows;
      if (rows.length < FETCH_ROWS) return;
    }
  } finally {
    // after an error the transaction is aborted and rolled back, which closes the cursor anyway
    await client.query(`close ${cursor}`).catch(() => undefined);
  }
}
