import { graphql } from "../api.js";
import { field, h } from "../dom.js";
import { CREATE_TEMPLATE } from "../operations.js";
import { navigate, type PageContext } from "../router.js";
import { alertBox, busy, heading, showError } from "../ui.js";

const COLUMN_TYPES = ["STRING", "INTEGER", "DECIMAL", "BOOLEAN", "DATE", "DATETIME", "EMAIL"];

/** "Unit Price" → "unitPrice": the key a record's data uses when the person leaves it blank. */
function keyFor(header: string): string {
  const words = header.match(/[A-Za-z0-9]+/g) ?? [];
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join("");
}

let columnIds = 0;

/** One column's controls, in a fieldset whose legend names it, so every label is unambiguous. */
function columnFieldset(number: number): HTMLFieldSetElement {
  const id = `column-${++columnIds}`;
  const fieldset = h(
    "fieldset",
    { class: "column" },
    h("legend", {}, `Column ${number}`),
    h("label", { for: `${id}-header` }, "Header"),
    h("input", { id: `${id}-header`, name: "header", required: true }),
    h("label", { for: `${id}-key` }, "Key (optional)"),
    h("input", {
      id: `${id}-key`,
      name: "key",
      pattern: "[A-Za-z_][A-Za-z0-9_]*",
      "aria-describedby": `${id}-key-hint`,
    }),
    h("p", { id: `${id}-key-hint`, class: "hint" }, "The name in each record's data; made from the header when blank."),
    h("label", { for: `${id}-type` }, "Type"),
    h("select", { id: `${id}-type`, name: "type" }, ...COLUMN_TYPES.map((t) => h("option", { value: t }, t))),
    h(
      "label",
      { class: "checkbox" },
      h("input", { type: "checkbox", name: "required", id: `${id}-required` }),
      " Required",
    ),
  );
  return fieldset;
}

/** `/templates/new`: a template's name and columns; then back to the upload page with it chosen. */
export function newTemplatePage({ main }: PageContext): void {
  const error = alertBox();
  const columns = h("div", { class: "stack" }, columnFieldset(1));
  const addColumn = h("button", { type: "button", class: "secondary" }, "Add a column");
  addColumn.addEventListener("click", () => {
    const fieldset = columnFieldset(columns.children.length + 1);
    columns.append(fieldset);
    fieldset.querySelector("input")!.focus();
  });
  const form = h(
    "form",
    { class: "stack" },
    h("label", { for: "template-name" }, "Template name"),
    h("input", { id: "template-name", name: "name", required: true }),
    columns,
    h("div", { class: "actions" }, addColumn, h("button", { type: "submit" }, "Create template")),
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = {
      name: field(form, "name"),
      columns: [...columns.querySelectorAll("fieldset")].map((fieldset) => {
        const value = (name: string) => fieldset.querySelector<HTMLInputElement>(`[name=${name}]`)!;
        const header = value("header").value.trim();
        return {
          header,
          key: value("key").value.trim() || keyFor(header),
          type: value("type").value,
          required: value("required").checked,
        };
      }),
    };
    void busy(form, async () => {
      try {
        const data = await graphql<{ createImportTemplate: { id: string } }>(CREATE_TEMPLATE, { input });
        navigate(`/?template=${data.createImportTemplate.id}`);
      } catch (err) {
        showError(error, err);
      }
    });
  });
  main.append(heading("New template"), form);
}
