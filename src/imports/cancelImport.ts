import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { Import } from "../generated/prisma/client.js";
import { removeQueuedJob } from "../jobs/runJob.js";
import { deleteStoredFile } from "../storage/fileStore.js";

/**
 * Cancels a queued, running or in-review import, keeping nothing of it: CANCELLED, its stored
 * file, row errors, rejected rows and records deleted, in one transaction. A queued
 * graphile-worker job is removed; a running one is left to its worker, whose run notices at its
 * next checkpoint that the row is no longer its own, rolls back and ends (runJob.ts).
 */
export async function cancelImport({ db }: { db: Database }, found: Import): Promise<Import> {
  await withTransaction(db.pool, async (tx) => {
    // the status check and the change are one step; `was` gives the job and file it clears, locked
    // `for no key update` as the update itself is: `for update` would wait for the whole run, whose
    // inserts hold `key share` on the row through their foreign keys
    const {
      rows: [cancelled],
    } = await tx.query<{ background_job_id: string | null; file_id: string | null }>(
      `update imports i set status = 'CANCELLED', background_job_id = null, file_id = null,
         processing_completed_at = clock_timestamp(), error_message = null
       from (select id, background_job_id, file_id from imports where id = $1 for no key update) was
       where i.id = was.id and i.status in ('PENDING', 'PROCESSING', 'NEEDS_REVIEW')
       returning was.background_job_id, was.file_id`,
      [found.id],
    );
    if (!cancelled) {
      const { rows } = await tx.query<{ status: string }>("select status from imports where id = $1", [found.id]);
      throw new UserError(
        "BAD_USER_INPUT",
        `Only a pending, running or in-review import can be cancelled; this one is ${rows[0]?.status ?? found.status}.`,
      );
    }
    if (cancelled.background_job_id) await removeQueuedJob(tx, cancelled.background_job_id);
    if (cancelled.file_id) await deleteStoredFile(tx, cancelled.file_id);
    // a running import's rows are in its own transaction, which rolls back; these are a dry run's
    await tx.query("delete from import_row_errors where import_id = $1", [found.id]);
    await tx.query("delete from import_rejected_rows where import_id = $1", [found.id]);
    await tx.query("delete from records where import_id = $1", [found.id]);
  });
  return db.prisma.import.findUniqueOrThrow({ where: { id: found.id } });
}
