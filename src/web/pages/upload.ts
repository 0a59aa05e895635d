import { graphql, graphqlUpload } from "../api.js";
import { field, h } from "../dom.js";
import { START_IMPORT, TEMPLATES, type Template } from "../operations.js";
import { navigate, type PageContext } from "../router.js";
import { alertBox, busy, heading, navLink, showError } from "../ui.js";

/**
 * `/`: pick a template and a file; sending it starts the import and goes straight to its status
 * page, where the person watches it run.
 */
export async function uploadPage({ main, query }: PageContext): Promise<void> {
  const error = alertBox();
  main.append(heading("Import a spreadsheet"), error);
  let templates: Template[];
  try {
    templates = (await graphql<{ importTemplates: Template[] }>(TEMPLATES)).importTemplates;
  } catch (err) {
    return showError(error, err);
  }
  if (templates.length === 0) {
    main.append(
      h("p", {}, "A template says which columns a file must have. Create one first."),
      navLink("/templates/new", "Create a template", "button"),
    );
    return;
  }

  const selected = query.get("template");
  const form = h(
    "form",
    { class: "stack" },
    h("label", { for: "template" }, "Template"),
    h(
      "select",
      { id: "template", name: "template", required: true, "aria-describedby": "template-columns" },
      ...templates.map((t) => h("option", { value: t.id, selected: t.id === selected }, t.name)),
    ),
    h("p", { id: "template-columns", class: "hint" }),
    h("label", { for: "file" }, "Spreadsheet (xlsx, xlsm, xls, ods, or text: csv, tsv, txt)"),
    h("input", {
      id: "file",
      name: "file",
      type: "file",
      required: true,
      // the type is told from the content; this only narrows the picker
      accept:
        ".xlsx,.xlsm,.xls,.ods,.csv,.tsv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet," +
        "application/vnd.oasis.opendocument.spreadsheet,text/csv,text/tab-separated-values,text/plain",
    }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "Upload and import")),
  );
  const select = form.querySelector("select")!;
  const describe = () => {
    const template = templates.find((t) => t.id === select.value);
    form.querySelector("#template-columns")!.textContent = template
      ? `Columns: ${template.columns.map((c) => `${c.header}${c.required ? " (required)" : ""}`).join(", ")}`
      : "";
  };
  select.addEventListener("change", describe);
  describe();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = form.querySelector<HTMLInputElement>("#file")!.files?.[0];
    if (!file) return showError(error, new Error("Choose a file to import."));
    void busy(form, async () => {
      try {
        const data = await graphqlUpload<{ startImport: { id: string } }>(
          START_IMPORT,
          { templateId: field(form, "template") },
          "file",
          file,
        );
        navigate(`/jobs/${data.startImport.id}`);
      } catch (err) {
        showError(error, err);
      }
    });
  });
  main.append(form, h("p", {}, navLink("/templates/new", "Create another template")));
}
