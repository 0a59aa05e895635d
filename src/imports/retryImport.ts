import type pg from "pg";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { Import } from "../generated/prisma/client.js";
import { enqueueJob } from "../jobs/enqueueJob.js";
import { removeQueuedJob } from "../jobs/runJob.js";
import { heldByLiveWorker } from "../worker/heartbeat.js";
import type { ImportOptions } from "./importOptions.js";

type Status = Import["status"];

/**
 * Queues an import again from its stored file, if it is in one of `from`: back to PENDING/QUEUED
 * with its counts, crashes, rejected rows and error report cleared and its options changed by `options` (an SQL expression over the row's
 * `options`, with `$2` for the JSON in `param`), and a new graphile-worker job. The status check
 * and the new job are one step in `tx`: two requests at once cannot both pass it.
 *
 * A PROCESSING import passes only when no live worker holds its job (its worker died, and the
 * sweep has not sent it back to PENDING yet); its old job, if no worker holds it, is removed.
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
  const {
    rows: [before],
  } = await tx.query<{ job_id: string | null }>(
    `update imports i set status = 'PENDING', phase = 'QUEUED', error_message = null, attempts = 0, crashes = 0,
       processing_started_at = null, processing_completed_at = null,
       rows_total = null, rows_processed = 0, rows_imported = 0, rows_failed = 0, rows_created = 0, rows_updated = 0,
       rows_unchanged = 0, rows_duplicate = 0, options = ${options}
     from (select id, background_job_id from imports where id = $1 for no key update) old
     where i.id = old.id and i.status = any($3::job_status[]) and i.file_id is not null
       and (i.status <> 'PROCESSING' or not ${heldByLiveWorker("i.background_job_id", "$4")})
     returning old.background_job_id as job_id`,
    [id, JSON.stringify(param), from, config.workerDeadAfterSeconds],
  );
  if (!before) return null;
  if (before.job_id) await removeQueuedJob(tx, before.job_id);
  // the rows an earlier run rejected (a dry run, a failed run) are found again by the next, which
  // writes their report again
  await tx.query("delete from stored_files f using imports i where i.id = $1 and f.id = i.error_report_file_id", [id]);
  await tx.query("delete from import_row_errors where import_id = $1", [id]);
  await tx.query("delete from import_rejected_rows where import_id = $1", [id]);
  await tx.query("delete from import_changes where import_id = $1", [id]);
  return enqueueJob(tx, "Import", id, config);
}

/**
 * BAD_USER_INPUT for a request `requeueImport` refused: why, in words, from the row as it is now
 * (another request may have changed it since it was read).
 */
export async function notRequeued(tx: pg.PoolClient, id: string, action: string, from: readonly Status[]) {
  const {
    rows: [now],
  } = await tx.query<{ status: Status; stored: boolean }>(
    "select status, file_id is not null as stored from imports where id = $1",
    [id],
  );
  if (now && from.includes(now.status) && !now.stored) {
    return new UserError(
      "BAD_USER_INPUT",
      now.status === "FAILED"
        ? "The file of this failed import was deleted (a failed import's file is kept for a limited time); upload it again to import it."
        : "This import's file is no longer stored; upload it again.",
    );
  }
  if (now?.status === "PROCESSING" && from.includes("PROCESSING")) {
    return new UserError(
      "BAD_USER_INPUT",
      `This import is running on a live worker; it can be ${action} once it ends, or if its worker stops.`,
    );
  }
  const states = from
    .filter((status) => status !== "PROCESSING")
    .map((status) => (status === "NEEDS_REVIEW" ? "in review" : status.toLowerCase()));
  return new UserError(
    "BAD_USER_INPUT",
    `Only an import that is ${states.join(" or ")} can be ${action}; this one is ${now?.status ?? "gone"}.`,
  );
}

const RETRYABLE: readonly Status[] = ["FAILED", "NEEDS_REVIEW", "PROCESSING"];

/**
 * Runs a FAILED import, one in review, or one left PROCESSING by a worker that died, again from
 * its stored file. `options` given replace
 * the stored ones they name (`dryRun` defaults to false, so a failed import retried with options
 * saves unless they say otherwise); without them it runs as before. Picks of file columns belong
 * to a header row, so another sheet or header row drops them unless a new mapping comes along. An
 * import in review stays a dry run: only confirmImport saves what a person has not seen.
 */
export function retryImport(
  { db, config }: { db: Database; config: Config },
  found: Import,
  options: ImportOptions | null,
): Promise<Import> {
  const moved = options && (options.sheet !== undefined || options.headerRow !== undefined) && !options.mapping;
  const dropped = moved ? "'{preview,mapping}'" : "'{preview}'";
  const merged =
    `((options - ${dropped}::text[]) || $2::jsonb)` +
    ` || case when status = 'NEEDS_REVIEW' then '{"dryRun": true}'::jsonb else '{}'::jsonb end`;
  return withTransaction(db.pool, async (tx) => {
    const retried = await requeueImport(tx, config, found.id, RETRYABLE, merged, options ?? {});
    if (!retried) throw await notRequeued(tx, found.id, "retried", RETRYABLE);
    return retried;
  });
}
