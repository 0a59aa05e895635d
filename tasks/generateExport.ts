import { exportJob } from "../src/exports/exportJob.js";
import { jobTask } from "../src/jobs/runJob.js";
import type { TaskDeps } from "./index.js";

/** Writes one export's file from the database (`{ exportId }`); see src/exports/exportJob.ts. */
export function generateExport({ pool, logger, config }: TaskDeps) {
  return jobTask({ pool, logger }, exportJob(pool, config));
}
