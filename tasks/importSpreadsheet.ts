import { importJob } from "../src/imports/importJob.js";
import { jobTask } from "../src/jobs/runJob.js";
import type { TaskDeps } from "./index.js";

/** Reads, validates and stores one uploaded spreadsheet (`{ importId }`); see src/imports/importJob.ts. */
export function importSpreadsheet({ pool, logger, config }: TaskDeps) {
  return jobTask({ pool, logger }, importJob(pool, config));
}
