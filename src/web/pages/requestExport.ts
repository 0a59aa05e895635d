import { allTemplates } from "../allTemplates.js";
import { request } from "../api.js";
import { field, fill, h } from "../dom.js";
import { formatTime, rows } from "../format.js";
import {
  COMPLETED_IMPORTS,
  REQUEST_EXPORT,
  type CompletedImport,
  type ExportFormat,
  type Template,
} from "../operations.js";
import { navigate, type PageContext } from "../router.js";
import { alertBox, busy, heading, navLink, showError } from "../ui.js";

/** `/exports/new`: a template's records (all of them, or one import's) as xlsx or csv. */
export async function requestExportPage({ main }: PageContext): Promise<void> {
  const error = alertBox();
  main.append(heading("Export records"), error);
  let templates: Template[];
  let imports: CompletedImport[];
  try {
    [templates, imports] = await Promise.all([
      allTemplates(),
      request(COMPLETED_IMPORTS).then((d) => d.imports.edges.map((e) => e.node)),
    ]);
  } catch (err) {
    return showError(error, err);
  }
  if (templates.length === 0) {
    main.append(h("p", {}, "There is nothing to export yet. "), navLink("/templates/new", "Create a template"));
    return;
  }

  const importSelect = h("select", { id: "import", name: "import" });
  const form = h(
    "form",
    { class: "stack" },
    h("label", { for: "export-template" }, "Template"),
    h(
      "select",
      { id: "export-template", name: "template" },
      ...templates.map((t) => h("option", { value: t.id }, t.name)),
    ),
    h("label", { for: "import" }, "Rows"),
    importSelect,
    h(
      "fieldset",
      {},
      h("legend", {}, "Format"),
      h(
        "label",
        { class: "checkbox" },
        h("input", { type: "radio", name: "format", value: "XLSX", checked: true }),
        " Excel (xlsx)",
      ),
      h("label", { class: "checkbox" }, h("input", { type: "radio", name: "format", value: "CSV" }), " CSV"),
    ),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Request export")),
  );
  const templateSelect = form.querySelector<HTMLSelectElement>("#export-template")!;
  const listImports = () =>
    fill(
      importSelect,
      h("option", { value: "" }, "Every completed import"),
      ...imports
        .filter((i) => i.template.id === templateSelect.value)
        .map((i) =>
          h("option", { value: i.id }, `Only ${i.fileName} (${rows(i.rowsImported)}, ${formatTime(i.createdAt)})`),
        ),
    );
  templateSelect.addEventListener("change", listImports);
  listImports();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void busy(form, async () => {
      try {
        const data = await request(REQUEST_EXPORT, {
          templateId: field(form, "template"),
          format: field(form, "format") as ExportFormat,
          importId: field(form, "import") || null,
        });
        navigate(`/jobs/${data.requestExport.id}`);
      } catch (err) {
        showError(error, err);
      }
    });
  });
  main.append(form);
}
