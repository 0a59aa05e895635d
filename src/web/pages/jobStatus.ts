import { request, subscribe } from "../api.js";
import { fill, h } from "../dom.js";
import { formatBytes, formatNumber, formatTime, rows, titleCase } from "../format.js";
import {
  CANCEL_EXPORT,
  CANCEL_IMPORT,
  CONFIRM_IMPORT,
  IMPORT_REVIEW,
  JOB_STATUS,
  RETRY_IMPORT,
  UPDATE_MAPPING,
  isFinished,
  isRunning,
  type ImportReview,
  type ImportView,
  type JobView,
} from "../operations.js";
import type { PageContext } from "../router.js";
import { actionButton, alertBox, announce, heading, navLink, showError } from "../ui.js";
import { CHANGES_PAGE } from "./changes.js";
import { jobResults } from "./jobResults.js";
import { reviewSection } from "./review.js";

const REVIEW_ROW_ERRORS = 5;

/** "Processing: validating, 120 of 500 rows", the one line read out on every change. */
function summary(job: JobView): string {
  const status = titleCase(job.status);
  if (job.status === "CANCELLED") return `${status}: nothing was saved`;
  if (job.__typename === "Export") {
    return job.status === "COMPLETED" ? `${status}: ${rows(job.rowCount ?? 0)} exported` : status;
  }
  if (job.status === "COMPLETED") {
    return `${status}: ${rows(job.rowsImported)} imported, ${formatNumber(job.rowsFailed)} rejected`;
  }
  if (job.status === "NEEDS_REVIEW") {
    // no row is read while a required column has no match
    if (job.rowsTotal === null) return `${status}: match the columns`;
    return `${status}: ${rows(job.rowsImported)} ready to import, ${formatNumber(job.rowsFailed)} rejected`;
  }
  if (job.status !== "PROCESSING") return status;
  const of = job.rowsTotal ? ` of ${formatNumber(job.rowsTotal)}` : "";
  return `${status}: ${job.phase.toLowerCase()}, ${formatNumber(job.rowsProcessed)}${of} rows`;
}

/** What the saved rows did to the records, once there is something to say. */
function changeFacts(job: ImportView, wouldBe: string): Array<[string, string]> {
  const { rowsCreated: created, rowsUpdated: updated, rowsUnchanged: unchanged } = job;
  const facts: Array<[string, string]> = [];
  // updates and unchanged rows need key columns; without them every saved row is created
  if (updated + unchanged > 0) {
    facts.push([
      `Records${wouldBe}`,
      `${formatNumber(created)} created, ${formatNumber(updated)} updated, ${formatNumber(unchanged)} unchanged`,
    ]);
  } else if (created > 0) facts.push([`Records${wouldBe}`, `${formatNumber(created)} created`]);
  if (job.rowsDuplicate > 0) facts.push([`Repeated rows skipped${wouldBe}`, formatNumber(job.rowsDuplicate)]);
  return facts;
}

function facts(job: JobView): Array<[string, string]> {
  const common: Array<[string, string]> = [
    ["Template", job.template.name],
    ["Created", formatTime(job.createdAt)],
    ["Started", formatTime(job.processingStartedAt)],
    ["Finished", formatTime(job.processingCompletedAt)],
  ];
  if (job.attempts > 1) common.push(["Attempts", formatNumber(job.attempts)]);
  if (job.__typename === "Export") {
    return [
      ["Format", job.format],
      ["Rows", formatNumber(job.rowCount)],
      ["File", job.exportFileName ? `${job.exportFileName} (${formatBytes(job.exportFileSize)})` : "—"],
      ["Kept until", formatTime(job.expiresAt)],
      ...common,
    ];
  }
  const wouldBe = job.status === "NEEDS_REVIEW" ? " (if confirmed)" : "";
  return [
    ["Phase", titleCase(job.phase)],
    ["File", `${job.fileName} (${formatBytes(job.fileSize)})`],
    ["Rows in file", formatNumber(job.rowsTotal)],
    ["Rows processed", formatNumber(job.rowsProcessed)],
    [`Rows imported${wouldBe}`, formatNumber(job.rowsImported)],
    [`Rows rejected${wouldBe}`, formatNumber(job.rowsFailed)],
    ...changeFacts(job, wouldBe),
    ...common,
  ];
}

/**
 * `/jobs/:id`: the job's state, live over the `jobStatus` subscription (its first event is the
 * current state, so arriving late or coming back shows the same page), then what it produced.
 * An import in NEEDS_REVIEW shows the matching step; a running job can be cancelled; a failed
 * import can have its mapping fixed or be retried, so no state is a dead end.
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
  const controls = h("div", { class: "actions" });
  const review = h("div", { class: "stack" });
  const results = h("div", { class: "stack" });
  const error = alertBox();
  main.append(title, status, error, failure, controls, review, details, results);

  let shownResults = false;
  let lastStatus: string | undefined;
  let reviewedAt: string | undefined;
  let unsubscribe = () => {};
  signal.addEventListener("abort", () => unsubscribe());

  /** The matching step, fetched when it is needed rather than carried on every progress event. */
  const loadReview = async (): Promise<ImportReview | null> => {
    const data = await request(IMPORT_REVIEW, {
      id,
      first: REVIEW_ROW_ERRORS,
      changes: CHANGES_PAGE,
    });
    return signal.aborted ? null : data.import;
  };

  const showReview = (found: ImportReview) => {
    const failed = found.status === "FAILED";
    const section = reviewSection(found, {
      async check(mapping) {
        if (failed) {
          await request(RETRY_IMPORT, { id, options: { mapping, dryRun: true } });
          // a FAILED job's subscription has completed; the retried run needs a new one
          watch();
        } else {
          await request(UPDATE_MAPPING, { id, mapping });
        }
        announce("Checking the file again with these columns.");
      },
      async confirm(rememberMapping) {
        await request(CONFIRM_IMPORT, { id, rememberMapping });
        announce("Importing…");
      },
      async cancel() {
        await request(CANCEL_IMPORT, { id });
      },
    });
    fill(review, section);
    return section;
  };

  /** What can be done from here, by state; drawn again only when the state changes. */
  const showControls = (job: JobView) => {
    const kind = job.__typename === "Import" ? "import" : "export";
    if (isRunning(job)) {
      const cancel = () => (kind === "import" ? request(CANCEL_IMPORT, { id }) : request(CANCEL_EXPORT, { id }));
      return fill(
        controls,
        actionButton(`Cancel ${kind}`, error, async () => void (await cancel())),
      );
    }
    if (job.__typename === "Import" && job.status === "FAILED") {
      // again as it ran before: a dry run comes back to review, an import made through the API saves
      const retry = actionButton("Retry", error, async () => {
        await request(RETRY_IMPORT, { id });
        watch();
      });
      fill(controls, retry, navLink("/", "Upload another file", "button secondary"));
      void loadReview().then(
        (found) => {
          if (!found || found.mapping.length === 0 || found.status !== "FAILED" || lastStatus !== "FAILED") return;
          const fix = h("button", { type: "button", class: "secondary" }, "Fix mapping");
          fix.addEventListener("click", () => {
            const section = showReview(found);
            fix.remove();
            section.querySelector<HTMLElement>("h2")?.focus();
          });
          controls.prepend(fix);
        },
        (err: unknown) => showError(error, err),
      );
      return;
    }
    if (job.__typename === "Import" && job.status === "COMPLETED") {
      return fill(controls, navLink(`/jobs/${id}/records`, `View the ${rows(job.rowsImported, "record")}`, "button"));
    }
    if (job.status === "CANCELLED") return fill(controls, navLink("/", "Upload another file", "button secondary"));
    fill(controls);
  };

  const show = (job: JobView) => {
    const name = job.__typename === "Import" ? `Import of ${job.fileName}` : `Export of ${job.template.name}`;
    if (title.textContent !== name) {
      title.textContent = name;
      document.title = `${name} · xls-importer`;
    }
    status.className = `status status-${job.status.toLowerCase().replace("_", "-")}`;
    status.textContent = summary(job);
    fill(details, ...facts(job).flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
    fill(failure, job.status === "FAILED" && h("p", { class: "alert" }, job.errorMessage ?? "The job failed."));
    if (job.status !== lastStatus) {
      lastStatus = job.status;
      showControls(job);
      if (isRunning(job)) {
        // checking again or importing: the form stays, quiet, until the new result arrives
        for (const control of review.querySelectorAll<HTMLButtonElement | HTMLSelectElement>("button, select")) {
          control.disabled = true;
        }
      } else if (job.status !== "NEEDS_REVIEW") fill(review);
    }
    // keyed by updatedAt, not by a change of status: a quick check may reach here as one event
    // from NEEDS_REVIEW to NEEDS_REVIEW, its PENDING and PROCESSING never seen
    if (job.status === "NEEDS_REVIEW" && job.updatedAt !== reviewedAt) {
      reviewedAt = job.updatedAt;
      const again = review.childElementCount > 0;
      void loadReview().then(
        (found) => {
          if (!found || found.status !== "NEEDS_REVIEW") return;
          const wasInForm = review.contains(document.activeElement) || document.activeElement === document.body;
          const section = showReview(found);
          // after "Check again" the new result replaces the form the person was using
          if (again && wasInForm) section.querySelector<HTMLElement>("h2")?.focus();
          if (again) announce(`Checked again. ${section.querySelector("#review-counts")?.textContent ?? ""}`);
        },
        (err: unknown) => showError(error, err),
      );
    }
    if (isFinished(job) && job.status !== "CANCELLED" && !shownResults) {
      shownResults = true;
      void jobResults(job, results, signal);
    }
  };

  /** (Re)subscribes: a retried import runs again under the same id, after its last subscription completed. */
  function watch() {
    unsubscribe();
    shownResults = false;
    fill(results);
    unsubscribe = subscribe(
      JOB_STATUS,
      { id },
      {
        next: ({ jobStatus }) => show(jobStatus),
        error(err) {
          if (err.code === "NOT_FOUND") status.textContent = "There is no such job, or it is not yours.";
          else showError(error, err);
        },
      },
    );
  }
  watch();
}
