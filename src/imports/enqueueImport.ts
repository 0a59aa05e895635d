import type pg from "pg";

/**
 * Adds the `importSpreadsheet` job for an import inside the caller's transaction and records its
 * id on the import, so the import and its job exist together or not at all.
 */
export async function enqueueImport(client: pg.PoolClient, importId: string, maxAttempts: number): Promise<string> {
  const {
    rows: [job],
  } = await client.query<{ id: string }>(
    "select id::text from graphile_worker.add_job('importSpreadsheet', json_build_object('importId', $1::text), max_attempts := $2)",
    [importId, maxAttempts],
  );
  await client.query("update imports set background_job_id = $2 where id = $1", [importId, job!.id]);
  return job!.id;
}
