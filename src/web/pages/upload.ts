import { allTemplates } from "../allTemplates.js";
import { request } from "../api.js";
import { field, h } from "../dom.js";
import { keepDraft, takeFile } from "../draft.js";
import { INFER_TEMPLATE, START_IMPORT, type ImportMode, type ImportOptions, type Template } from "../operations.js";
import { navigate, type PageContext } from "../router.js";
import { actionButton, alertBox, busy, heading, navLink, showError } from "../ui.js";

// the type is told from the content; this only narrows the picker
const ACCEPT =
  ".xlsx,.xlsm,.xls,.ods,.csv,.tsv,.txt,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet," +
  "application/vnd.oasis.opendocument.spreadsheet,text/csv,text/tab-separated-values,text/plain";

function fileInput(): HTMLInputElement {
  const input = h("input", { id: "file", name: "file", type: "file", required: true, accept: ACCEPT });
  // the sample a template was just made from is chosen again, so the next click imports it
  const kept = takeFile();
  if (kept) {
    const transfer = new DataTransfer();
    transfer.items.add(kept);
    input.files = transfer.files;
  }
  return input;
}

/** "Header row (optional)": for a file whose column names are not where they are looked for. */
function headerRowField(): { label: HTMLElement; input: HTMLInputElement; hint: HTMLElement; value(): number | null } {
  const input = h("input", {
    id: "header-row",
    name: "headerRow",
    type: "number",
    min: 1,
    step: 1,
    inputmode: "numeric",
    "aria-describedby": "header-row-hint",
  });
  return {
    label: h("label", { for: "header-row" }, "Header row (optional)"),
    input,
    hint: h(
      "p",
      { id: "header-row-hint", class: "hint" },
      "The row that holds the column names, numbered as the spreadsheet numbers rows. Leave it blank to have it found.",
    ),
    value: () => (input.value === "" ? null : Number(input.value)),
  };
}

const MODES: Array<[ImportMode, string]> = [
  ["CREATE_OR_UPDATE", "Add new records and update existing ones"],
  ["CREATE_ONLY", "Only add new records"],
  ["UPDATE_ONLY", "Only update existing records"],
];

/**
 * What an import into a template with key columns may do; a row outside it is a row error. Shown
 * only for such a template: without key columns every row adds a record.
 */
function modeField(): { fieldset: HTMLFieldSetElement; show(template: Template | undefined): void } {
  const legend = h("legend", {}, "What this import may do");
  const hint = h("p", { id: "mode-hint", class: "hint" });
  const fieldset = h(
    "fieldset",
    { class: "mode", "aria-describedby": "mode-hint" },
    legend,
    ...MODES.map(([value, text]) =>
      h(
        "label",
        { class: "checkbox" },
        h("input", { type: "radio", name: "mode", value, checked: value === "CREATE_OR_UPDATE" }),
        ` ${text}`,
      ),
    ),
    hint,
  );
  return {
    fieldset,
    show(template) {
      const keys = template?.keyColumns ?? [];
      fieldset.hidden = keys.length === 0;
      if (keys.length === 0) return;
      const headers = keys.map((key) => template!.columns.find((c) => c.key === key)?.header ?? key);
      hint.textContent = `Records are matched by ${headers.join(" and ")}. A row the choice does not allow is rejected.`;
    },
  };
}

/**
 * "Create a template from this file": the server reads the file's headers and first rows and
 * proposes columns (saving nothing), and the template form opens with them, to be checked.
 */
function inferButton(input: HTMLInputElement, headerRow: () => number | null, error: HTMLElement): HTMLButtonElement {
  return actionButton(
    "Create a template from this file",
    error,
    async () => {
      const file = input.files?.[0];
      if (!file) throw new Error("Choose a file first: its headers become the template's columns.");
      const { inferImportTemplate: inferred } = await request(INFER_TEMPLATE, { file, headerRow: headerRow() });
      keepDraft({
        name: file.name.replace(/\.[^.]+$/, ""),
        columns: inferred.columns,
        sampleRows: inferred.sampleRows,
        file,
      });
      navigate("/templates/new?from=file");
    },
    "secondary",
  );
}

/**
 * `/`: pick a template and a file. Sending it starts a dry run: the file is read and checked but
 * nothing is saved, and its status page shows how the columns matched and how many rows would be
 * imported, for the person to fix or confirm.
 */
export async function uploadPage({ main, query }: PageContext): Promise<void> {
  const error = alertBox();
  main.append(heading("Import a spreadsheet"), error);
  let templates: Template[];
  try {
    templates = await allTemplates();
  } catch (err) {
    return showError(error, err);
  }
  const input = fileInput();
  const headerRow = headerRowField();
  const fileLabel = h("label", { for: "file" }, "Spreadsheet (xlsx, xlsm, xls, ods, or text: csv, tsv, txt)");
  if (templates.length === 0) {
    main.append(
      h("p", {}, "A template says which columns a file must have. Create one first, by hand or from a sample file."),
      h(
        "div",
        { class: "stack" },
        fileLabel,
        input,
        headerRow.label,
        headerRow.input,
        headerRow.hint,
        h(
          "div",
          { class: "actions" },
          inferButton(input, headerRow.value, error),
          navLink("/templates/new", "Create a template", "button secondary"),
        ),
      ),
    );
    return;
  }

  const selected = query.get("template");
  const mode = modeField();
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
    mode.fieldset,
    fileLabel,
    input,
    headerRow.label,
    headerRow.input,
    headerRow.hint,
    h(
      "p",
      { class: "hint", id: "upload-hint" },
      "Nothing is saved yet: you see how the columns match and how many rows would be imported first.",
    ),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", "aria-describedby": "upload-hint" }, "Upload and check"),
      inferButton(input, headerRow.value, error),
    ),
  );
  const select = form.querySelector("select")!;
  const describe = () => {
    const template = templates.find((t) => t.id === select.value);
    form.querySelector("#template-columns")!.textContent = template
      ? `Columns: ${template.columns.map((c) => `${c.header}${template.keyColumns.includes(c.key) ? " (key)" : c.required ? " (required)" : ""}`).join(", ")}`
      : "";
    mode.show(template);
  };
  select.addEventListener("change", describe);
  describe();

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = input.files?.[0];
    if (!file) return showError(error, new Error("Choose a file to import."));
    void busy(form, async () => {
      try {
        const options: ImportOptions = { dryRun: true, headerRow: headerRow.value() };
        // a template without key columns takes no mode, and the choice is hidden then
        if (!mode.fieldset.hidden) options.mode = field(form, "mode") as ImportMode;
        const data = await request(START_IMPORT, { templateId: field(form, "template"), file, options });
        navigate(`/jobs/${data.startImport.id}`);
      } catch (err) {
        showError(error, err);
      }
    });
  });
  main.append(
    form,
    h("p", {}, navLink("/templates", "Your templates"), " · ", navLink("/templates/new", "Create another template")),
  );
}
