import { request } from "../api.js";
import { fill, h } from "../dom.js";
import { formatNumber, formatValue, rows } from "../format.js";
import {
  IMPORT_CHANGES,
  type ChangeCounts,
  type ChangeKind,
  type ChangeTemplate,
  type ColumnType,
  type ImportChange,
  type ImportChangePage,
} from "../operations.js";
import { alertBox, announce, showError } from "../ui.js";

/** Changes fetched per "Show more" and per filter. */
export const CHANGES_PAGE = 20;

/** What the changes section shows: the import's counts, its template's columns and a first page. */
export interface ChangesView extends ChangeCounts {
  id: string;
  template: ChangeTemplate;
  changes: ImportChangePage;
}

interface Column {
  key: string;
  header: string;
  type: ColumnType;
}

const KIND_TEXT: Record<ChangeKind, string> = { CREATED: "Created", UPDATED: "Updated", UNCHANGED: "Unchanged" };

/**
 * "50 records created, 100 updated, 9,850 unchanged; 3 repeated rows skipped" (or, in review,
 * would be). Without key columns nothing is updated or unchanged, so only creates are counted.
 */
export function changeCountsText(counts: ChangeCounts, review: boolean, keyed: boolean): string {
  const verb = review ? "would be " : "";
  const parts = [`${rows(counts.rowsCreated, "record")} ${verb}created`];
  if (keyed || counts.rowsUpdated + counts.rowsUnchanged > 0) {
    parts.push(
      `${formatNumber(counts.rowsUpdated)} ${verb}updated`,
      `${formatNumber(counts.rowsUnchanged)} ${verb}unchanged`,
    );
  }
  const repeats =
    counts.rowsDuplicate > 0
      ? `; ${rows(counts.rowsDuplicate, "repeated row")} ${review ? "would be " : ""}skipped`
      : "";
  return `${parts.join(", ")}${repeats}.`;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A value as its column's type is written for the reader; a blank one says so rather than vanishing. */
function valueNode(column: Column, value: unknown): Node | string {
  const text = formatValue(column.type, value);
  return text === "" ? h("span", { class: "empty-value" }, "empty") : text;
}

const changedIn = (change: ImportChange, column: Column) =>
  change.kind === "UPDATED" && !same(change.before?.[column.key], change.after[column.key]);

/**
 * What an update changed, one field a line: "Quantity: 5 → 7", read by a screen reader as
 * "Quantity changed from 5 to 7". Up front in the row, so a wide template need not be scrolled
 * through to find the change.
 */
function diffCell(columns: Column[], change: ImportChange): HTMLTableCellElement {
  const changed = columns.filter((c) => changedIn(change, c));
  if (changed.length === 0) return h("td", { class: "diff" });
  return h(
    "td",
    { class: "diff" },
    h(
      "ul",
      {},
      ...changed.map((c) =>
        h(
          "li",
          { "data-column": c.key },
          h("span", { class: "field" }, c.header),
          h("span", { "aria-hidden": "true" }, ": "),
          h("span", { class: "visually-hidden" }, " changed from "),
          h("del", {}, valueNode(c, change.before?.[c.key])),
          h("span", { "aria-hidden": "true" }, " → "),
          h("span", { class: "visually-hidden" }, " to "),
          h("ins", {}, valueNode(c, change.after[c.key])),
        ),
      ),
    ),
  );
}

/** One field of a change, as the record has it after; marked when the update changed it. */
function fieldCell(column: Column, change: ImportChange): HTMLTableCellElement {
  const numeric = column.type === "INTEGER" || column.type === "DECIMAL" ? "number" : "";
  const changed = changedIn(change, column);
  return h(
    "td",
    { class: [numeric, changed ? "changed" : ""].filter(Boolean).join(" ") || null },
    valueNode(column, change.after[column.key]),
    changed ? h("span", { class: "visually-hidden" }, " (changed)") : null,
  );
}

/**
 * The import's change report: how many records it created, updated and left unchanged (each count
 * a filter), and a table of the changes a page at a time: each row's number, kind and key, what
 * an update changed (before → after), then every field as it is after, the changed ones marked.
 * `review`: the dry run's, not yet saved.
 */
export function changesSection(view: ChangesView, review: boolean): HTMLElement {
  const error = alertBox();
  const byKey = new Map(view.template.columns.map((c) => [c.key, c]));
  const firstChange = view.changes.edges[0]?.node;
  // the key's columns as the changes name them; the template's when no change is shown yet
  const keyKeys = firstChange?.key ? Object.keys(firstChange.key) : view.template.keyColumns;
  const column = (key: string): Column => byKey.get(key) ?? { key, header: key, type: "STRING" };
  const keyColumns = keyKeys.map(column);
  const keyed = keyColumns.length > 0;
  const fields = view.template.columns.filter((c) => !keyKeys.includes(c.key)).map((c) => column(c.key));
  // a column the template no longer has still shows what the import did to it
  for (const change of view.changes.edges) {
    for (const key of Object.keys(change.node.after)) {
      if (!byKey.has(key) && !keyKeys.includes(key) && !fields.some((f) => f.key === key)) fields.push(column(key));
    }
  }

  const headingId = review ? "review-changes-heading" : "changes-heading";
  const body = h("tbody");
  const empty = h("p", { class: "hint" });
  const more = h("button", { type: "button", class: "secondary" }, "Show more changes");
  const total = view.rowsCreated + view.rowsUpdated + view.rowsUnchanged;
  const countOf: Record<ChangeKind | "ALL", number> = {
    ALL: total,
    CREATED: view.rowsCreated,
    UPDATED: view.rowsUpdated,
    UNCHANGED: view.rowsUnchanged,
  };

  const changeRow = (change: ImportChange) =>
    h(
      "tr",
      { "data-kind": change.kind.toLowerCase() },
      h("th", { scope: "row", class: "number" }, formatNumber(change.rowNumber)),
      h("td", { class: `kind kind-${change.kind.toLowerCase()}` }, KIND_TEXT[change.kind]),
      keyed
        ? h(
            "td",
            { class: "key" },
            keyColumns.map((c) => formatValue(c.type, change.key?.[c.key] ?? change.after[c.key])).join(" · "),
          )
        : null,
      keyed ? diffCell(fields, change) : null,
      ...fields.map((c) => fieldCell(c, change)),
    );

  let kind: ChangeKind | null = null;
  let pageInfo = view.changes.pageInfo;
  let shown = 0;
  let loading = 0;
  const show = (page: ImportChangePage, append: boolean) => {
    const changes = page.edges.map((e) => e.node);
    if (append) body.append(...changes.map(changeRow));
    else fill(body, ...changes.map(changeRow));
    shown = (append ? shown : 0) + changes.length;
    pageInfo = page.pageInfo;
    more.hidden = !pageInfo.hasNextPage;
    table.hidden = shown === 0;
    empty.hidden = shown > 0;
    empty.textContent = kind
      ? `No row was ${review ? "found to be " : ""}${KIND_TEXT[kind].toLowerCase()}.`
      : "No row changed the records.";
  };
  const load = (append: boolean) => {
    const ticket = ++loading;
    more.disabled = true;
    error.hidden = true;
    request(IMPORT_CHANGES, {
      id: view.id,
      first: CHANGES_PAGE,
      after: append ? pageInfo.endCursor : null,
      kind,
    }).then(
      (data) => {
        // a later filter's answer wins over an earlier one's
        if (ticket !== loading || !data.import) return;
        more.disabled = false;
        show(data.import.changes, append);
        if (!append) announce(`Showing ${rowsOf(kind)}.`);
      },
      (err: unknown) => {
        if (ticket !== loading) return;
        more.disabled = false;
        showError(error, err);
      },
    );
  };
  const rowsOf = (which: ChangeKind | null) =>
    which ? `${KIND_TEXT[which].toLowerCase()} rows (${formatNumber(countOf[which])})` : `every row (${total})`;
  more.addEventListener("click", () => load(true));

  const filters = (["ALL", "CREATED", "UPDATED", "UNCHANGED"] as const).map((which) => {
    const button = h(
      "button",
      { type: "button", "aria-pressed": which === "ALL" ? "true" : "false", "data-kind": which.toLowerCase() },
      `${which === "ALL" ? "All" : KIND_TEXT[which]} (${formatNumber(countOf[which])})`,
    );
    button.addEventListener("click", () => {
      for (const other of filters) other.setAttribute("aria-pressed", String(other === button));
      kind = which === "ALL" ? null : which;
      load(false);
    });
    return button;
  });

  const table = h(
    "div",
    { class: "table-scroll", tabindex: 0, role: "region", "aria-labelledby": headingId },
    h(
      "table",
      { class: "changes wide" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, "Row"),
          h("th", { scope: "col" }, "Change"),
          keyed ? h("th", { scope: "col" }, keyColumns.map((c) => c.header).join(" · ")) : null,
          keyed ? h("th", { scope: "col" }, "What changed") : null,
          ...fields.map((c) => h("th", { scope: "col" }, c.header)),
        ),
      ),
      body,
    ),
  );
  show(view.changes, false);

  return h(
    "section",
    { class: "stack changes", "aria-labelledby": headingId },
    h("h2", { id: headingId, tabindex: -1 }, review ? "What the import would change" : "Changes to the records"),
    h("p", { class: "change-counts" }, changeCountsText(view, review, keyed)),
    view.mode !== "CREATE_OR_UPDATE"
      ? h("p", { class: "hint" }, view.mode === "CREATE_ONLY" ? "Only adding records." : "Only updating records.")
      : null,
    // without key columns every change is a create: nothing to filter
    keyed && total > 0
      ? h("div", { class: "change-filter", role: "group", "aria-label": "Show changes" }, ...filters)
      : null,
    table,
    empty,
    more,
    error,
  );
}
