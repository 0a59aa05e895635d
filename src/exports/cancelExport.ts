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
    // lock the row first, then change it, as cancelImport.ts does and for the same reasons
    const {
      rows: [was],
    } = await tx.query<{ background_job_id: string | null; status: string }>(
      "select background_job_id, status from exports where id = $1 for no key update",
      [found.id],
    );
    const { rowCount } = await tx.query(
      `update exports set status = 'CANCELLED', background_job_id = null,
         processing_completed_at = clock_timestamp(), error_message = null
       where id = $1 and status in ('PENDING', 'PROCESSING')`,
      [found.id],
    );
    if (!was || rowCount === 0) {
      throw new UserError(
        "BAD_USER_INPUT",
        `Only a pending or running export can be cancelled; this one is ${was?.status ?? found.status}.`,
      );
    }
    if (was.background_job_id) await removeQueuedJob(tx, was.background_job_id);
  });
  return db.prisma.export.findUniqueOrThrow({ where: { id: found.id } });
}
