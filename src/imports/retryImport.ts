import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { Import } from "../generated/prisma/client.js";
import { enqueueJob } from "../jobs/enqueueJob.js";

/**
 * Queues a FAILED import again from its stored file: back to PENDING/QUEUED with its counts and
 * row errors cleared, and a new graphile-worker job, in one transaction. Returns the import as
 * written.
 */
export function retryImport({ db, config }: { db: Database; config: Config }, found: Import): Promise<Import> {
  return withTransaction(db.pool, async (tx) => {
    // the status check and the new job are one step: two retries at once cannot both pass it
    const { rowCount } = await tx.query(
      `update imports set status = 'PENDING', phase = 'QUEUED', error_message = null, attempts = 0,
         processing_started_at = null, processing_completed_at = null,
         rows_total = null, rows_processed = 0, rows_imported = 0, rows_failed = 0
       where id = $1 and status = 'FAILED' and file_id is not null`,
      [found.id],
    );
    if (rowCount !== 1) {
      throw new UserError(
        "BAD_USER_INPUT",
        found.status === "FAILED"
          ? "This import's file is no longer stored; upload it again."
          : `Only a FAILED import can be retried; this one is ${found.status}.`,
      );
    }
    await tx.query("delete from import_row_errors where import_id = $1", [found.id]);
    await tx.query("delete from import_rejected_rows where import_id = $1", [found.id]);
    return enqueueJob(tx, "Import", found.id, config);
  });
}
