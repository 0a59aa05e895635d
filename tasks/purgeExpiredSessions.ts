import type { Task } from "graphile-worker";
import type { TaskDeps } from "./index.js";

/** Deletes sessions whose tokens have expired; run hourly by cron, safe to run any time. */
export function purgeExpiredSessions({ prisma }: TaskDeps): Task {
  return async (_payload, helpers) => {
    const { count } = await prisma.session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
    helpers.logger.info(`purged ${count} expired session(s)`);
  };
}
