import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { Import } from "../generated/prisma/client.js";
import { removeQueuedJob } from "../jobs/runJob.js";
import { deleteStoredFile } from "../storage/fileStore.js";

/**
 * Cancels a queued, running or in-review import, keeping nothing of it: CANCELLED, its stored
 * file, error report, row errors, rejected rows and records deleted, in one transaction. A queued
 * graphile-worker job is removed; a running one is left to its worker, whose run notices at its
 * next checkpoint that the row is no longer its own, rolls back and ends (runJob.ts).
 */
export async function cancelImport({ db }: { db: Database }, found: Import): Promise<Import> {
  await withTransaction(db.pool, async (tx) => {
    // lock the row first, then change it: one lock each, taken in turn, where an update joined to a
    // locking select of the same row took two and deadlocked concurrent cancels. `for no key update`,
    // as the update itself takes: `for update` would wait for the whole run, whose inserts hold
    // `key share` on the row through their foreign keys
    const {
      rows: [was],
    } = await tx.query<{
      background_job_id: string | null;
      file_id: string | null;
      error_report_file_id: string | null;
      status: string;
    }>("select background_job_id, file_id, error_report_file_id, status from imports where id = $1 for no key update", [
      found.id,
    ]);
    // a cancel that waited for another's lock reads the status that one left
    const { rowCount } = await tx.query(
      `update imports set status = 'CANCELLED', background_job_id = null, file_id = null,
         processing_completed_at = clock_timestamp(), error_message = null
       where id = $1 and status in ('PENDING', 'PROCESSING', 'NEEDS_REVIEW')`,
      [found.id],
    );
    if (!was || rowCount === 0) {
      throw new UserError(
        "BAD_USER_INPUT",
        `Only a pending, running or in-review import can be cancelled; this one is ${was?.status ?? found.status}.`,
      );
    }
    if (was.background_job_id) await removeQueuedJob(tx, was.background_job_id);
    if (was.file_id) await deleteStoredFile(tx, was.file_id);
    if (was.error_report_file_id) await deleteStoredFile(tx, was.error_report_file_id);
    // a running import's rows are in its own transaction, which rolls back; these are a dry run's
    await tx.query("delete from import_row_errors where import_id = $1", [found.id]);
    await tx.query("delete from import_rejected_rows where import_id = $1", [found.id]);
    await tx.query("delete from import_changes where import_id = $1", [found.id]);
    await tx.query("delete from records where import_id = $1", [found.id]);
  });
  return db.prisma.import.findUniqueOrThrow({ where: { id: found.id } });
}
