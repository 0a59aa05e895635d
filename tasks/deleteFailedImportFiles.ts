import type { Task } from "graphile-worker";
import type { TaskDeps } from "./index.js";

/**
 * Deletes the uploaded files of imports that FAILED more than `FAILED_FILE_TTL_HOURS` ago; run by
 * cron every 15 minutes, safe to run any time. A failed import keeps its file that long so it can
 * be retried; after that a retry asks for the file again (retryImport.ts). The imports stay, with
 * their errors and error report; their `file_id` becomes null through the foreign key. An import
 * being retried right now (its row locked) is skipped: its file is about to be read again.
 */
export function deleteFailedImportFiles({ pool, config }: TaskDeps): Task {
  return async (_payload, helpers) => {
    const { rowCount } = await pool.query(
      `with expired as (
         select file_id from imports
         where status = 'FAILED' and file_id is not null
           and processing_completed_at <= now() - make_interval(hours => $1)
         for no key update skip locked
       )
       delete from stored_files f using expired e where f.id = e.file_id`,
      [config.failedFileTtlHours],
    );
    helpers.logger.info(
      `deleted ${rowCount ?? 0} file(s) of imports that failed over ${config.failedFileTtlHours} h ago`,
    );
  };
}
