import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { Export } from "../generated/prisma/client.js";
import { removeQueuedJob } from "../jobs/runJob.js";

/**
 * Cancels a queued or running export: CANCELLED, in one transaction with the removal of its queued
 * graphile-worker job. A running export's file is written in its run's transaction, which rolls
 * back once the run notices at its next checkpoint that the row is no longer its own (runJob.ts),
 * so no file is left behind.
 */
export async function cancelExport({ db }: { db: Database }, found: Export): Promise<Export> {
  await withTransaction(db.pool, async (tx) => {
    // the status check and the change are one step; `was` gives the job it clears, locked as the
    // update itself is (see cancelImport.ts)
    const {
      rows: [cancelled],
    } = await tx.query<{ background_job_id: string | null }>(
      `update exports e set status = 'CANCELLED', background_job_id = null,
         processing_completed_at = clock_timestamp(), error_message = null
       from (select id, background_job_id from exports where id = $1 for no key update) was
       where e.id = was.id and e.status in ('PENDING', 'PROCESSING')
       returning was.background_job_id`,
      [found.id],
    );
    if (!cancelled) {
      const { rows } = await tx.query<{ status: string }>("select status from exports where id = $1", [found.id]);
      throw new UserError(
        "BAD_USER_INPUT",
        `Only a pending or running export can be cancelled; this one is ${rows[0]?.status ?? found.status}.`,
      );
    }
    if (cancelled.background_job_id) await removeQueuedJob(tx, cancelled.background_job_id);
  });
  return db.prisma.export.findUniqueOrThrow({ where: { id: found.id } });
}
