import type { TaskList } from "graphile-worker";
import type { Config } from "../src/config.js";
import type { PrismaClient } from "../src/db/database.js";
import type { Logger } from "../src/logger.js";
import { purgeExpiredSessions } from "./purgeExpiredSessions.js";

/** What tasks need from the running service. */
export interface TaskDeps {
  prisma: PrismaClient;
  config: Config;
  logger: Logger;
}

/** Every task, keyed by its identifier (= its file name). */
export function taskList(deps: TaskDeps): TaskList {
  return {
    purgeExpiredSessions: purgeExpiredSessions(deps),
  };
}

/** Recurring jobs, in graphile-worker's crontab format. */
export const crontab = ["0 * * * * purgeExpiredSessions ?max=1"].join("\n");
