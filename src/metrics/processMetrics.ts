import { collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { JobKind } from "../jobs/jobKinds.js";

/**
 * The metrics one process measures as it goes, whichever app it runs: Node's own (CPU, memory,
 * event loop lag, garbage collection: prom-client's defaults) and the job runs it finished. They
 * live in one registry per process, since a job run knows its process, not the app that started
 * the worker; each app's `/metrics` shows them beside its own (see createMetrics.ts).
 */
export const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

/** How a job run ended, as the duration histogram labels it. */
export type RunOutcome = "COMPLETED" | "NEEDS_REVIEW" | "FAILED" | "RETRYING" | "CANCELLED";

/** The column a kind's run writes its row count to, read back as the run commits. */
export const ROWS_COLUMN = {
  Import: "rows_total",
  Export: "row_count",
} as const satisfies Record<JobKind, string>;

const runDuration = new Histogram({
  name: "xls_importer_job_run_duration_seconds",
  help: "Time from a job run's start (PROCESSING) to its end, by kind and outcome; RETRYING is an attempt that failed and will be retried.",
  labelNames: ["kind", "outcome"] as const,
  // from a 10-row csv to a million-row workbook
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
  registers: [processRegistry],
});

const rowsPerSecond = new Histogram({
  name: "xls_importer_job_run_rows_per_second",
  help: "Rows a job run read (an import, dry runs included) or wrote (an export) per second, for runs that ended COMPLETED or NEEDS_REVIEW with at least one row.",
  labelNames: ["kind"] as const,
  buckets: [100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000],
  registers: [processRegistry],
});

/**
 * Records the end of one job run that began at `startedAt` (`process.hrtime.bigint()`). `rows`,
 * when the run saved its result, feeds the rows-per-second histogram.
 */
export function observeJobRun(kind: JobKind, outcome: RunOutcome, startedAt: bigint, rows?: number | null): void {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  runDuration.observe({ kind, outcome }, seconds);
  if ((outcome === "COMPLETED" || outcome === "NEEDS_REVIEW") && rows && rows > 0 && seconds > 0) {
    rowsPerSecond.observe({ kind }, rows / seconds);
  }
}
