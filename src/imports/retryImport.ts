import type pg from "pg";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { Import } from "../generated/prisma/client.js";
import { enqueueJob } from "../jobs/enqueueJob.js";
import type { ImportOptions } from "./importOptions.js";

type Status = Import["status"];

/**
 * Queues an import again from its stored file, if it is in one of `from`: back to PENDING/QUEUED
 * with its counts and rejected rows cleared and its options changed by `options` (an SQL expression over the row's
 * `options`, with `$2` for the JSON in `param`), and a new graphile-worker job. The status check
 * and the new job are one step in `tx`: two requests at once cannot both pass it.
 *
 * @returns the row as written, or `null` when it is not in one of `from` or its file is gone.
 */
export async function requeueImport(
  tx: pg.PoolClient,
  config: Config,
  id: string,
  from: readonly Status[],
  options: string,
  param: unknown,
): Promise<Import | null> {
  const { rowCount } = await tx.query(
    `update imports set status = 'PENDING', phase = 'QUEUED', error_message = null, attempts = 0,
       processing_started_at = null, processing_completed_at = null,
       rows_total = null, rows_processed = 0, rows_imported = 0, rows_failed = 0, options = ${options}
     where id = $1 and status = any($3::job_status[]) and file_id is not null`,
    [id, JSON.stringify(param), from],
  );
  if (rowCount !== 1) return null;
  // the rows an earlier run rejected (a dry run, a failed run) are found again by the next
  await tx.query("delete from import_row_errors where import_id = $1", [id]);
  await tx.query("delete from import_rejected_rows where import_id = $1", [id]);
  return enqueueJob(tx, "Import", id, config);
}

/** BAD_USER_INPUT for a request `requeueImport` refused: why, in words. */
export function notRequeued(found: Import, action: string, from: readonly Status[]): UserError {
  if (from.includes(found.status))
    return new UserError("BAD_USER_INPUT", "This import's file is no longer stored; upload it again.");
  const states = from.map((status) => (status === "NEEDS_REVIEW" ? "in review" : status.toLowerCase()));
  return new UserError(
    "BAD_USER_INPUT",
    `Only an import that is ${states.join(" or ")} can be ${action}; this one is ${found.status}.`,
  );
}

const RETRYABLE: readonly Status[] = ["FAILED", "NEEDS_REVIEW"];

/**
 * Runs a FAILED import, or one in review, again from its stored file. `options` given replace
 * the stored ones they name (a new mapping, another sheet; `dryRun` defaults to false, so a retry
 * with options saves unless it says otherwise); without them it runs as before.
 */
export function retryImport(
  { db, config }: { db: Database; config: Config },
  found: Import,
  options: ImportOptions | null,
): Promise<Import> {
  return withTransaction(db.pool, async (tx) => {
    const retried = await requeueImport(
      tx,
      config,
      found.id,
      RETRYABLE,
      "(options - 'preview') || $2::jsonb",
      options ?? {},
    );
    if (!retried) throw notRequeued(found, "retried", RETRYABLE);
    return retried;
  });
}
