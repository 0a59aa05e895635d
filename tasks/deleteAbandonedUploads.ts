import type { Task } from "graphile-worker";
import type { TaskDeps } from "./index.js";

/**
 * How long past the upload deadline an unfinished file is left alone: its upload has been dropped
 * by then, and only the transaction that would finish it (or its cleanup) may still be running.
 */
const MARGIN_SECONDS = 300;

/**
 * Deletes the files (and chunks) of uploads that never finished: their API process died, or lost
 * the database, before it could mark them finished or delete them. Run by cron every 5 minutes;
 * safe to run any time, as it touches only unfinished files older than the upload deadline and a
 * margin, which no upload can still be writing.
 */
export function deleteAbandonedUploads({ pool, config }: TaskDeps): Task {
  return async (_payload, helpers) => {
    const { rowCount } = await pool.query(
      "delete from stored_files where not finished and created_at < now() - make_interval(secs => $1)",
      [config.uploadDeadlineSeconds + MARGIN_SECONDS],
    );
    helpers.logger.info(`deleted ${rowCount ?? 0} abandoned upload(s)`);
  };
}
