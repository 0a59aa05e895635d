import type { Task } from "graphile-worker";
import { WINDOW_SECONDS } from "../src/auth/rateLimits.js";
import type { TaskDeps } from "./index.js";

/**
 * Deletes the rate limit counters whose window is over (the next hit would reset them anyway), so
 * the table holds only the keys of the last minute or so; run by cron, safe to run any time.
 */
export function purgeRateLimits({ pool }: TaskDeps): Task {
  return async (_payload, helpers) => {
    const { rowCount } = await pool.query(
      "delete from rate_limits where window_start <= now() - make_interval(secs => $1)",
      [WINDOW_SECONDS],
    );
    helpers.logger.info(`purged ${rowCount ?? 0} rate limit counter(s)`);
  };
}
