import { request } from "../api.js";
import { h } from "../dom.js";
import { keepFile, takeDraft, type TemplateDraft } from "../draft.js";
import { CREATE_TEMPLATE, TEMPLATE, UPDATE_TEMPLATE, type Template } from "../operations.js";
import { navigate, type PageContext } from "../router.js";
import { alertBox, announce, heading, navLink, showError } from "../ui.js";
import { templateForm } from "./templateForm.js";

/** The first rows of a sample file, so the proposed types can be checked against real values. */
function samplePreview(draft: TemplateDraft): HTMLElement | null {
  const rows = draft.sampleRows.slice(0, 3);
  if (rows.length === 0) return null;
  const cell = (value: unknown) =>
    h("td", { class: "value" }, value === null || value === undefined ? "" : String(value));
  return h(
    "section",
    { "aria-labelledby": "sample-heading", class: "stack" },
    h("h2", { id: "sample-heading" }, `The first rows of ${draft.file.name}`),
    h(
      "div",
      { class: "table-scroll", tabindex: 0, role: "region", "aria-labelledby": "sample-heading" },
      h(
        "table",
        { class: "wide" },
        h("thead", {}, h("tr", {}, ...draft.columns.map((c) => h("th", { scope: "col" }, c.header)))),
        h("tbody", {}, ...rows.map((row) => h("tr", {}, ...draft.columns.map((c) => cell(row[c.key]))))),
      ),
    ),
  );
}

/**
 * `/templates/new`: a template's name and columns, blank or proposed from a sample file on the
 * upload page; then back to the upload page with it chosen (and the sample file still chosen).
 */
export function newTemplatePage({ main }: PageContext): void {
  const draft = takeDraft();
  const form = templateForm(
    draft ? { name: draft.name, columns: draft.columns } : {},
    "Create template",
    async (input) => {
      const data = await request(CREATE_TEMPLATE, { input });
      if (draft) keepFile(draft.file);
      announce(`Created the template ${input.name}.`);
      navigate(`/?template=${data.createImportTemplate.id}`);
    },
  );
  main.append(heading("New template"));
  if (draft) {
    main.append(
      h(
        "p",
        { class: "hint" },
        `Proposed from ${draft.file.name}. Check each column's type and whether it is required; change anything.`,
      ),
    );
  }
  main.append(form);
  if (draft) {
    const preview = samplePreview(draft);
    if (preview) main.append(preview);
  }
}

/** `/templates/:id`: the same form, filled in; imports already running keep the template they started with. */
export async function editTemplatePage({ main, params }: PageContext): Promise<void> {
  const error = alertBox();
  const title = heading("Edit template");
  main.append(title, error);
  let template: Template | null;
  try {
    template = (await request(TEMPLATE, { id: params[0]! })).importTemplate;
  } catch (err) {
    return showError(error, err);
  }
  if (!template) {
    main.append(h("p", {}, "There is no such template, or it is not yours. "), navLink("/templates", "Your templates"));
    return;
  }
  title.textContent = `Edit ${template.name}`;
  document.title = `Edit ${template.name} · xls-importer`;
  const id = template.id;
  main.append(
    h("p", { class: "hint" }, "Imports already running keep the columns they started with."),
    templateForm(template, "Save template", async (input) => {
      await request(UPDATE_TEMPLATE, { id, input });
      announce(`Saved the template ${input.name}.`);
      navigate("/templates");
    }),
  );
}
