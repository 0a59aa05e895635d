import type { Task } from "graphile-worker";
import { runExport } from "../src/exports/runExport.js";
import type { TaskDeps } from "./index.js";

/** The payload `requestExport` enqueues. */
export interface GenerateExportPayload {
  exportId: string;
}

// the jobs table can hold payloads TypeScript never saw, so check at run time too
function assertPayload(payload: unknown): asserts payload is GenerateExportPayload {
  if (
    typeof payload !== "object" ||
    payload === null ||
    typeof (payload as { exportId?: unknown }).exportId !== "string"
  ) {
    throw new Error(`generateExport needs a payload like {"exportId": "<uuid>"}, got ${JSON.stringify(payload)}`);
  }
}

/** Writes one export's file from the database; see src/exports/runExport.ts. */
export function generateExport({ pool, logger, config }: TaskDeps): Task {
  return async (payload, helpers) => {
    assertPayload(payload);
    const { id, attempts, max_attempts } = helpers.job;
    await runExport(
      pool,
      logger.child({ jobId: id, exportId: payload.exportId }),
      config.exportTtlHours,
      payload.exportId,
      {
        id: String(id),
        attempts,
        maxAttempts: max_attempts,
      },
    );
  };
}
