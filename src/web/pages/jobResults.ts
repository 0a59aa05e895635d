import { request } from "../api.js";
import { h } from "../dom.js";
import { formatBytes, formatNumber } from "../format.js";
import {
  JOB_RESULTS,
  MORE_ROW_ERRORS,
  REQUEST_EXPORT,
  type ImportView,
  type JobResultsQuery,
  type JobView,
  type RowError,
  type RowErrorPage,
} from "../operations.js";
import { navigate } from "../router.js";
import { alertBox, showError } from "../ui.js";
import { CHANGES_PAGE, changesSection } from "./changes.js";

const ROW_ERRORS_PAGE = 20;

/** Signed links last 15 minutes; one older than this is fetched again before it is followed. */
const LINK_REFRESH_MS = 10 * 60_000;

/**
 * A download link that stays usable on a page left open: when its signed URL may have expired,
 * a click asks for a fresh one first.
 */
function downloadLink(text: string, url: string, refresh: () => Promise<string | null | undefined>) {
  let fetchedAt = Date.now();
  const link = h("a", { href: url, download: true, class: "button" }, text);
  link.addEventListener("click", (event) => {
    if (Date.now() - fetchedAt < LINK_REFRESH_MS) return;
    event.preventDefault();
    void refresh().then((fresh) => {
      if (!fresh) return;
      fetchedAt = Date.now();
      link.href = fresh;
      link.click();
    });
  });
  return link;
}

function rowErrorRows(errors: RowError[]): HTMLTableRowElement[] {
  return errors.map((e) =>
    h(
      "tr",
      {},
      h("td", {}, formatNumber(e.rowNumber)),
      h("td", {}, e.column ?? "—"),
      h("td", { class: "value" }, e.value ?? ""),
      h("td", {}, e.message),
    ),
  );
}

/** The rejected rows, a page at a time. */
function rowErrorTable(id: string, first: RowErrorPage, error: HTMLElement): HTMLElement {
  const body = h("tbody", {}, ...rowErrorRows(first.edges.map((e) => e.node)));
  const more = h("button", { type: "button", class: "secondary" }, "Show more row errors");
  let pageInfo = first.pageInfo;
  more.hidden = !pageInfo.hasNextPage;
  more.addEventListener("click", () => {
    more.disabled = true;
    request(MORE_ROW_ERRORS, { id, first: ROW_ERRORS_PAGE, after: pageInfo.endCursor }).then(
      (data) => {
        // gone meanwhile: nothing more to show
        if (!data.import) return;
        const { errors } = data.import;
        body.append(...rowErrorRows(errors.edges.map((e) => e.node)));
        pageInfo = errors.pageInfo;
        more.hidden = !pageInfo.hasNextPage;
        more.disabled = false;
      },
      (err: unknown) => {
        more.disabled = false;
        showError(error, err);
      },
    );
  });
  return h(
    "section",
    { "aria-labelledby": "row-errors-heading", class: "stack" },
    h("h2", { id: "row-errors-heading" }, "Rows with errors"),
    h(
      "div",
      { class: "table-scroll", tabindex: 0, role: "region", "aria-labelledby": "row-errors-heading" },
      h(
        "table",
        {},
        h("thead", {}, h("tr", {}, ...["Row", "Column", "Value", "Problem"].map((c) => h("th", { scope: "col" }, c)))),
        body,
      ),
    ),
    more,
  );
}

/** An export of exactly this import's rows, watched on its own status page. */
function exportButton(job: ImportView, error: HTMLElement): HTMLButtonElement {
  const button = h("button", { type: "button", class: "secondary" }, "Export these rows");
  button.addEventListener("click", () => {
    button.disabled = true;
    request(REQUEST_EXPORT, {
      templateId: job.template.id,
      importId: job.id,
      format: "XLSX",
    }).then(
      ({ requestExport }) => navigate(`/jobs/${requestExport.id}`),
      (err: unknown) => {
        button.disabled = false;
        showError(error, err);
      },
    );
  });
  return button;
}

/** Once a job has finished: its row errors and error report, or its file to download. */
export async function jobResults(job: JobView, into: HTMLElement, signal: AbortSignal): Promise<void> {
  const error = alertBox();
  into.append(error);
  const load = () => request(JOB_RESULTS, { id: job.id, first: ROW_ERRORS_PAGE, changes: CHANGES_PAGE });
  let result: JobResultsQuery["job"];
  try {
    result = (await load()).job;
  } catch (err) {
    return showError(error, err);
  }
  if (!result || signal.aborted) return;
  const actions = h("div", { class: "actions" });
  if (result.__typename === "Export" && result.downloadUrl) {
    const text = `Download ${result.exportFileName} (${formatBytes(result.exportFileSize)})`;
    actions.append(
      downloadLink(text, result.downloadUrl, async () => {
        const fresh = (await load()).job;
        return fresh?.__typename === "Export" ? fresh.downloadUrl : null;
      }),
    );
  }
  if (result.__typename === "Import") {
    if (result.errorReportUrl) {
      actions.append(
        downloadLink("Download the error report (xlsx)", result.errorReportUrl, async () => {
          const fresh = (await load()).job;
          return fresh?.__typename === "Import" ? fresh.errorReportUrl : null;
        }),
      );
    }
    if (result.status === "COMPLETED" && result.rowsImported > 0) actions.append(exportButton(result, error));
  }
  if (actions.children.length > 0) into.append(actions);
  if (result.__typename !== "Import") return;
  if (
    result.status === "COMPLETED" &&
    result.rowsCreated + result.rowsUpdated + result.rowsUnchanged + result.rowsDuplicate > 0
  ) {
    into.append(changesSection(result, false));
  }
  if (result.errors.edges.length > 0) into.append(rowErrorTable(job.id, result.errors, error));
}
