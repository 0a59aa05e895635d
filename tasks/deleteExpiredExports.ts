import type { Task } from "graphile-worker";
import type { TaskDeps } from "./index.js";

/**
 * Deletes the files of exports past their `expires_at`; run by cron every 15 minutes, safe to run
 * any time. The exports themselves stay (their `file_id` becomes null through the foreign key), so
 * a download answers 410 Gone rather than 404, and the list still shows what was exported.
 */
export function deleteExpiredExports({ pool }: TaskDeps): Task {
  return async (_payload, helpers) => {
    const { rowCount } = await pool.query(
      `delete from stored_files f using exports e
       where e.file_id = f.id and e.expires_at <= now()`,
    );
    helpers.logger.info(`deleted ${rowCount ?? 0} expired export file(s)`);
  };
}
