import type pg from "pg";

/**
 * Adds the `generateExport` job for an export inside the caller's transaction and records its id
 * on the export, so the export and its job exist together or not at all.
 */
export async function enqueueExport(client: pg.PoolClient, exportId: string, maxAttempts: number): Promise<string> {
  const {
    rows: [job],
  } = await client.query<{ id: string }>(
    "select id::text from graphile_worker.add_job('generateExport', json_build_object('exportId', $1::text), max_attempts := $2)",
    [exportId, maxAttempts],
  );
  await client.query("update exports set background_job_id = $2 where id = $1", [exportId, job!.id]);
  return job!.id;
}
