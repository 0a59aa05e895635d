import { request } from "../api.js";
import { h } from "../dom.js";
import { formatNumber, formatValue, rows } from "../format.js";
import { IMPORT_RECORDS, type RecordsPage } from "../operations.js";
import type { PageContext } from "../router.js";
import { alertBox, heading, navLink, showError } from "../ui.js";

const PAGE_SIZE = 50;

/**
 * `/jobs/:id/records`: a completed import's records, a page at a time. The page's place is in its
 * address (`?after=<cursor>&start=<n>`), so Back goes to the previous page and a page can be shared.
 */
export async function recordsPage({ main, params, query }: PageContext): Promise<void> {
  const id = params[0]!;
  const error = alertBox();
  const title = heading("Records");
  main.append(title, error);
  const after = query.get("after");
  const start = Math.max(0, Number(query.get("start")) || 0);
  let found: RecordsPage | null;
  try {
    found = (await request(IMPORT_RECORDS, { id, first: PAGE_SIZE, after })).import;
  } catch (err) {
    return showError(error, err);
  }
  if (!found) {
    main.append(h("p", {}, "There is no such import, or it is not yours. "), navLink("/jobs", "My jobs"));
    return;
  }
  title.textContent = `Records of ${found.fileName}`;
  document.title = `Records of ${found.fileName} · xls-importer`;
  const records = found.records.edges.map((e) => e.node);
  const columns = found.template.columns;
  const back = navLink(`/jobs/${id}`, `Back to the import of ${found.fileName}`);
  if (records.length === 0) {
    main.append(h("p", {}, found.status === "COMPLETED" ? "This import saved no records." : "No records yet."), back);
    return;
  }
  const range = h(
    "p",
    { id: "records-range" },
    `Records ${formatNumber(start + 1)}–${formatNumber(start + records.length)} of ${formatNumber(found.rowsImported)}, into ${found.template.name}`,
  );
  const table = h(
    "div",
    { class: "table-scroll", tabindex: 0, role: "region", "aria-labelledby": "records-range" },
    h(
      "table",
      { class: "records wide" },
      h(
        "thead",
        {},
        h("tr", {}, h("th", { scope: "col" }, "Row"), ...columns.map((c) => h("th", { scope: "col" }, c.header))),
      ),
      h(
        "tbody",
        {},
        ...records.map((r) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, formatNumber(r.rowNumber)),
            ...columns.map((c) =>
              h(
                "td",
                { class: c.type === "INTEGER" || c.type === "DECIMAL" ? "number" : null },
                formatValue(c.type, r.data[c.key]),
              ),
            ),
          ),
        ),
      ),
    ),
  );
  const pager = h("nav", { class: "actions", "aria-label": "Pages of records" });
  if (start > 0) pager.append(navLink(`/jobs/${id}/records`, "First page", "button secondary"));
  if (found.records.pageInfo.hasNextPage && found.records.pageInfo.endCursor) {
    const next = new URLSearchParams({
      after: found.records.pageInfo.endCursor,
      start: String(start + records.length),
    });
    pager.append(
      navLink(
        `/jobs/${id}/records?${next}`,
        `Next ${rows(Math.min(PAGE_SIZE, found.rowsImported - start - records.length), "record")}`,
        "button",
      ),
    );
  }
  main.append(range, table, pager, h("p", {}, back));
}
