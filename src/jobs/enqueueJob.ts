import type pg from "pg";
import { JOB_KINDS, type JobKind, type JobRows } from "./jobKinds.js";

export interface EnqueueOptions {
  /** graphile-worker's `max_attempts`: runs before the job ends FAILED. */
  maxAttempts: number;
}

/**
 * Adds the graphile-worker job that runs `id` inside the caller's transaction and records it on
 * the row, so the row and its job exist together or not at all. Returns the row as written (it is
 * PENDING until a worker's run commits a change), not a re-read a quick worker could be ahead of.
 */
export async function enqueueJob<K extends JobKind>(
  tx: pg.PoolClient,
  kind: K,
  id: string,
  { maxAttempts }: EnqueueOptions,
): Promise<JobRows[K]> {
  const { table, task, payloadKey } = JOB_KINDS[kind];
  const payload: GraphileWorker.Tasks[typeof task] = { [payloadKey]: id } as GraphileWorker.Tasks[typeof task];
  const {
    rows: [row],
  } = await tx.query<Record<string, unknown>>(
    `update ${table} set background_job_id = (
       select id::text from graphile_worker.add_job($2, $3::json, max_attempts := $4)
     ) where id = $1 returning *`,
    [id, task, JSON.stringify(payload), maxAttempts],
  );
  if (!row) throw new Error(`${kind} ${id} does not exist.`);
  return camelCased(row) as JobRows[K];
}

/** A row as Prisma names its fields: `background_job_id` → `backgroundJobId`. */
function camelCased(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [
      column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
      value,
    ]),
  );
}
