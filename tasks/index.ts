import type { TaskList } from "graphile-worker";
import type pg from "pg";
import type { Config } from "../src/config.js";
import type { PrismaClient } from "../src/db/database.js";
import type { Logger } from "../src/logger.js";
import { deleteAbandonedUploads } from "./deleteAbandonedUploads.js";
import { deleteExpiredExports } from "./deleteExpiredExports.js";
import { deleteFailedImportFiles } from "./deleteFailedImportFiles.js";
import { deliverWebhook } from "./deliverWebhook.js";
import { generateExport } from "./generateExport.js";
import { importSpreadsheet } from "./importSpreadsheet.js";
import { purgeExpiredSessions } from "./purgeExpiredSessions.js";
import { purgeRateLimits } from "./purgeRateLimits.js";

/** What tasks need from the running service. */
export interface TaskDeps {
  pool: pg.Pool;
  prisma: PrismaClient;
  config: Config;
  logger: Logger;
}

/** Every task, keyed by its identifier (= its file name). */
export function taskList(deps: TaskDeps): TaskList {
  return {
    deleteAbandonedUploads: deleteAbandonedUploads(deps),
    deleteExpiredExports: deleteExpiredExports(deps),
    deleteFailedImportFiles: deleteFailedImportFiles(deps),
    deliverWebhook: deliverWebhook(deps),
    generateExport: generateExport(deps),
    importSpreadsheet: importSpreadsheet(deps),
    purgeExpiredSessions: purgeExpiredSessions(deps),
    purgeRateLimits: purgeRateLimits(deps),
  };
}

/** Recurring jobs, in graphile-worker's crontab format. */
export const crontab = [
  "0 * * * * purgeExpiredSessions ?max=1",
  "*/5 * * * * purgeRateLimits ?max=1",
  "*/5 * * * * deleteAbandonedUploads ?max=1",
  "*/15 * * * * deleteExpiredExports ?max=1",
  "*/15 * * * * deleteFailedImportFiles ?max=1",
].join("\n");
