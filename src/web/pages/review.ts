import { fill, h } from "../dom.js";
import { formatNumber, rows } from "../format.js";
import type { ColumnMapping, ImportReview, MatchKind, RowError, SourceColumn } from "../operations.js";
import { alertBox, announce, showError } from "../ui.js";
import { changesSection } from "./changes.js";

/** What the review's buttons do; each resolves once the server accepted the request. */
export interface ReviewActions {
  /** "Check again" with this mapping: updateImportMapping, or retryImport for a FAILED import. */
  check(mapping: Array<{ templateKey: string; sourceIndex: number | null }>): Promise<void>;
  /** `remember`: the headers picked by hand become aliases of their template columns. */
  confirm(remember: boolean): Promise<void>;
  cancel(): Promise<void>;
}

const SHOWN_ROW_ERRORS = 5;

/** The match kind, in words: the badge beside each select, also read out as its description. */
function matchText(mapping: ColumnMapping): string {
  const texts: Record<MatchKind, string> = {
    EXACT: "Same header",
    ALIAS: "Matched an alias",
    FUZZY: `Similar header${mapping.score === null ? "" : ` (${Math.round(mapping.score * 100)}% alike)`}`,
    MANUAL: "Chosen by you",
    NONE: "Not matched",
  };
  return texts[mapping.match];
}

/** "Name (Zoë, Tokyo Store, Rocket)": a source column as the select offers it. */
function sourceText(column: SourceColumn): string {
  const samples = column.samples.slice(0, 3).map((s) => (s.length > 24 ? `${s.slice(0, 23)}…` : s));
  const header = column.header || `Column ${column.index + 1}`;
  return samples.length > 0 ? `${header} (${samples.join(", ")})` : `${header} (no values)`;
}

function rowErrorList(errors: RowError[], more: boolean, total: number): HTMLElement {
  return h(
    "section",
    { "aria-labelledby": "review-errors-heading", class: "stack" },
    h("h3", { id: "review-errors-heading" }, `Rows that would be rejected (${formatNumber(total)})`),
    h(
      "ul",
      { class: "row-errors" },
      ...errors.map((e) =>
        h(
          "li",
          {},
          `Row ${formatNumber(e.rowNumber)}`,
          e.column ? `, ${e.column}` : "",
          e.value ? `: “${e.value}”` : "",
          ` — ${e.message}`,
        ),
      ),
    ),
    more ? h("p", { class: "hint" }, "The error report lists every rejected row once the import is done.") : null,
  );
}

/**
 * The matching step, for an import in NEEDS_REVIEW (a dry run finished) or one that FAILED with a
 * mapping: one row per template column with a select of the file's columns and how it matched;
 * then "Check again", "Import N rows" and "Cancel". A changed select must be checked again before
 * importing, so the rows saved are the rows the person saw counted.
 */
export function reviewSection(review: ImportReview, actions: ReviewActions): HTMLElement {
  const underReview = review.status === "NEEDS_REVIEW";
  const error = alertBox();
  const selects: HTMLSelectElement[] = [];
  const markers: Array<() => void> = [];
  const bySource = new Map(review.sourceColumns.map((c) => [c.index, c]));
  let dirty = false;

  const importCount = review.rowsImported;
  const importButton = h(
    "button",
    { type: "button", "aria-describedby": "import-hint" },
    `Import ${rows(importCount)}`,
  );
  const importHint = h("p", { id: "import-hint", class: "hint" });
  const updateImport = () => {
    const unmapped = review.mapping
      .filter((m, i) => m.required && selects[i]!.value === "")
      .map((m) => m.templateHeader);
    let reason = "";
    if (unmapped.length > 0) reason = `Choose a column for ${unmapped.join(", ")} first: it is required.`;
    else if (dirty) reason = "You changed the columns: check again to see what would be imported.";
    else if (importCount === 0) reason = "No row would be imported; fix the columns or the file.";
    importButton.disabled = reason !== "";
    importHint.textContent =
      reason ||
      `${rows(importCount)} will be saved${review.rowsFailed ? `, ${rows(review.rowsFailed)} rejected` : ""}.`;
  };

  const mappingRows = review.mapping.map((m) => {
    const id = `map-${m.templateKey}`;
    const badge = h(
      "span",
      { id: `${id}-match`, class: `badge match-${m.match.toLowerCase()}` },
      m.required && m.sourceIndex === null ? "Not matched, required" : matchText(m),
    );
    const samples = h("p", { id: `${id}-samples`, class: "hint samples" });
    const select = h(
      "select",
      { id, name: m.templateKey, "aria-describedby": `${id}-match ${id}-samples` },
      h("option", { value: "" }, "— leave empty —"),
      ...review.sourceColumns.map((c) =>
        h("option", { value: c.index, selected: c.index === m.sourceIndex }, sourceText(c)),
      ),
    );
    const showSamples = () => {
      const column = select.value === "" ? undefined : bySource.get(Number(select.value));
      samples.textContent = column
        ? `${column.header}: ${column.samples.join(", ") || "no values"}${column.detectedType ? ` · looks like ${column.detectedType}` : ""}`
        : m.required
          ? "Required: choose the column that holds it."
          : "Left empty in every record.";
    };
    showSamples();
    const markChanged = () => {
      badge.className = "badge match-changed";
      badge.textContent = "Changed, not checked yet";
      showSamples();
    };
    select.addEventListener("change", () => {
      dirty = true;
      // each file column serves one template column: taking it here frees it elsewhere
      for (const [i, other] of selects.entries()) {
        if (other === select || other.value === "" || other.value !== select.value) continue;
        other.value = "";
        markers[i]!();
        announce(`${review.mapping[i]!.templateHeader} is now left empty.`);
      }
      markChanged();
      updateImport();
    });
    selects.push(select);
    markers.push(markChanged);
    return h(
      "li",
      { class: "mapping-row" },
      h("label", { for: id }, m.templateHeader, m.required ? h("span", { class: "hint" }, " (required)") : null),
      h("div", { class: "mapping-choice" }, select, badge),
      samples,
    );
  });

  const section = h("section", { class: "stack review", "aria-labelledby": "review-heading" });
  const setBusy = (on: boolean) => {
    for (const control of section.querySelectorAll<HTMLButtonElement | HTMLSelectElement>("button, select")) {
      control.disabled = on;
    }
    if (on) section.setAttribute("aria-busy", "true");
    else {
      section.removeAttribute("aria-busy");
      updateImport();
    }
  };
  const run = (work: () => Promise<void>) => {
    error.hidden = true;
    setBusy(true);
    work().then(
      // what follows comes over the subscription, which renders this section again
      () => undefined,
      (err: unknown) => {
        setBusy(false);
        showError(error, err);
      },
    );
  };

  const checkButton = h("button", { type: "button", class: "secondary" }, "Check again");
  checkButton.addEventListener("click", () =>
    run(() =>
      actions.check(
        review.mapping.map((m, i) => ({
          templateKey: m.templateKey,
          sourceIndex: selects[i]!.value === "" ? null : Number(selects[i]!.value),
        })),
      ),
    ),
  );
  // offered only when there is something picked by hand to remember; the API's default is to remember
  const remember = review.mapping.some((m) => m.match === "MANUAL")
    ? h(
        "label",
        { class: "checkbox" },
        h("input", { type: "checkbox", id: "remember-mapping", checked: true }),
        " Remember the columns picked by hand, so the next file like this one matches by itself",
      )
    : null;
  importButton.addEventListener("click", () =>
    run(() => actions.confirm(remember?.querySelector("input")?.checked ?? true)),
  );
  const cancelButton = h("button", { type: "button", class: "secondary" }, "Cancel import");
  cancelButton.addEventListener("click", () => run(() => actions.cancel()));

  let counts = "Pick the right column of your file for each column below, then check again.";
  if (underReview && review.rowsTotal === null) {
    counts = "The rows are checked once every required column has a column of your file. Nothing is saved yet.";
  } else if (underReview) {
    counts = `The check read ${rows(review.rowsTotal)}: ${formatNumber(review.rowsImported)} would be imported, ${formatNumber(review.rowsFailed)} rejected. Nothing is saved yet.`;
  }
  const errors = review.errors.edges.map((e) => e.node).slice(0, SHOWN_ROW_ERRORS);
  fill(
    section,
    h("h2", { id: "review-heading", tabindex: -1 }, "Match the columns"),
    h("p", { id: "review-counts" }, counts),
    underReview && review.errorMessage ? h("p", { class: "alert" }, review.errorMessage) : null,
    h(
      "p",
      { class: "hint" },
      "Each column of the template takes one column of your file. Where the match is wrong, pick another.",
    ),
    h("ul", { class: "mapping", "aria-label": "Template columns" }, ...mappingRows),
    underReview && errors.length > 0
      ? rowErrorList(errors, review.errors.pageInfo.hasNextPage || review.rowsFailed > errors.length, review.rowsFailed)
      : null,
    // what confirming would do to the records: the diff the person checks before saving it
    underReview && review.rowsTotal !== null ? changesSection(review, true) : null,
    error,
    underReview ? remember : null,
    h("div", { class: "actions" }, checkButton, underReview ? importButton : null, underReview ? cancelButton : null),
    underReview ? importHint : null,
  );
  updateImport();
  return section;
}
