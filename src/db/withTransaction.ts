import type pg from "pg";

/**
 * Runs `fn` in a transaction on one pool connection: commits when it resolves, rolls back when it
 * throws (and rethrows), and always releases the connection. `begin` may name an isolation level,
 * e.g. "begin isolation level repeatable read read only".
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  begin = "begin",
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await fn(client);
    await client.query("commit");
    return result;
  } catch (err) {
    // a broken connection cannot roll back; the error that broke it is the one to report
    await client.query("rollback").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
