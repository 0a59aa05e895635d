import type { Task } from "graphile-worker";
import { runImport } from "../src/imports/runImport.js";
import type { TaskDeps } from "./index.js";

/** The payload `startImport` and `retryImport` enqueue. */
export interface ImportSpreadsheetPayload {
  importId: string;
}

// the jobs table can hold payloads TypeScript never saw, so check at run time too
function assertPayload(payload: unknown): asserts payload is ImportSpreadsheetPayload {
  if (
    typeof payload !== "object" ||
    payload === null ||
    typeof (payload as { importId?: unknown }).importId !== "string"
  ) {
    throw new Error(`importSpreadsheet needs a payload like {"importId": "<uuid>"}, got ${JSON.stringify(payload)}`);
  }
}

/** Reads, validates and stores one uploaded spreadsheet; see src/imports/runImport.ts. */
export function importSpreadsheet({ pool, logger }: TaskDeps): Task {
  return async (payload, helpers) => {
    assertPayload(payload);
    const { id, attempts, max_attempts } = helpers.job;
    await runImport(pool, logger.child({ jobId: id, importId: payload.importId }), payload.importId, {
      id: String(id),
      attempts,
      maxAttempts: max_attempts,
    });
  };
}
