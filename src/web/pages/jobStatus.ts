import { subscribe } from "../api.js";
import { fill, h } from "../dom.js";
import { formatBytes, formatTime, titleCase } from "../format.js";
import { JOB_STATUS, isFinished, type JobView } from "../operations.js";
import type { PageContext } from "../router.js";
import { alertBox, heading, showError } from "../ui.js";
import { jobResults } from "./jobResults.js";

/** "Processing: validating, 120 of 500 rows", the one line read out on every change. */
function summary(job: JobView): string {
  const status = titleCase(job.status);
  if (job.__typename === "Export") {
    return job.status === "COMPLETED" ? `${status}: ${job.rowCount ?? 0} rows exported` : status;
  }
  if (job.status === "COMPLETED") return `${status}: ${job.rowsImported} rows imported, ${job.rowsFailed} rejected`;
  if (job.status !== "PROCESSING") return status;
  const of = job.rowsTotal ? ` of ${job.rowsTotal}` : "";
  return `${status}: ${job.phase!.toLowerCase()}, ${job.rowsProcessed}${of} rows`;
}

function facts(job: JobView): Array<[string, string]> {
  const common: Array<[string, string]> = [
    ["Template", job.template.name],
    ["Created", formatTime(job.createdAt)],
    ["Started", formatTime(job.processingStartedAt)],
    ["Finished", formatTime(job.processingCompletedAt)],
  ];
  if (job.attempts > 1) common.push(["Attempts", String(job.attempts)]);
  if (job.__typename === "Export") {
    return [
      ["Format", job.format!],
      ["Rows", job.rowCount === null ? "—" : String(job.rowCount)],
      ["File", job.exportFileName ? `${job.exportFileName} (${formatBytes(job.exportFileSize)})` : "—"],
      ["Kept until", formatTime(job.expiresAt)],
      ...common,
    ];
  }
  return [
    ["Phase", titleCase(job.phase!)],
    ["File", `${job.fileName} (${formatBytes(job.fileSize)})`],
    ["Rows in file", job.rowsTotal === null || job.rowsTotal === undefined ? "—" : String(job.rowsTotal)],
    ["Rows processed", String(job.rowsProcessed)],
    ["Rows imported", String(job.rowsImported)],
    ["Rows rejected", String(job.rowsFailed)],
    ...common,
  ];
}

/**
 * `/jobs/:id`: the job's state, live over the `jobStatus` subscription (its first event is the
 * current state, so arriving late or coming back shows the same page), then what it produced.
 */
export function jobStatusPage({ main, params, signal }: PageContext): void {
  const id = params[0]!;
  const title = heading("Job");
  const status = h(
    "p",
    { id: "job-status", class: "status", "aria-live": "polite", "aria-atomic": "true" },
    "Loading…",
  );
  const details = h("dl", { class: "facts" });
  const failure = h("div", { role: "alert" });
  const results = h("div", { class: "stack" });
  const error = alertBox();
  main.append(title, status, error, failure, details, results);

  let shownResults = false;
  const unsubscribe = subscribe<{ jobStatus: JobView }>(
    JOB_STATUS,
    { id },
    {
      next({ jobStatus: job }) {
        const name = job.__typename === "Import" ? `Import of ${job.fileName}` : `Export of ${job.template.name}`;
        if (title.textContent !== name) {
          title.textContent = name;
          document.title = `${name} · xls-importer`;
        }
        status.className = `status status-${job.status.toLowerCase()}`;
        status.textContent = summary(job);
        fill(details, ...facts(job).flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
        fill(failure, job.status === "FAILED" && h("p", { class: "alert" }, job.errorMessage ?? "The job failed."));
        if (isFinished(job) && !shownResults) {
          shownResults = true;
          void jobResults(job, results, signal);
        }
      },
      error(err) {
        if (err.code === "NOT_FOUND") status.textContent = "There is no such job, or it is not yours.";
        else showError(error, err);
      },
    },
  );
  signal.addEventListener("abort", unsubscribe);
}
