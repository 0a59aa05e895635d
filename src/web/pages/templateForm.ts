import { field, h } from "../dom.js";
import type { ColumnType, Template, TemplateColumn } from "../operations.js";
import { alertBox, busy, showError } from "../ui.js";

const COLUMN_TYPES: ColumnType[] = ["STRING", "INTEGER", "DECIMAL", "BOOLEAN", "DATE", "DATETIME", "EMAIL"];

/** What the form sends: CreateImportTemplateInput and UpdateImportTemplateInput alike. */
export interface TemplateInput {
  name: string;
  decimalSeparator: string;
  dateOrder: string;
  columns: TemplateColumn[];
}

/** "Unit Price" → "unitPrice": the key a record's data uses when the person leaves it blank. */
function keyFor(header: string): string {
  const words = header.match(/[\p{L}\p{N}]+/gu) ?? [];
  const key = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join("")
    .replace(/[^A-Za-z0-9_]/g, "");
  return /^[A-Za-z_]/.test(key) ? key : `column${key}`;
}

let rowIds = 0;

/**
 * One column as a compact row: header, key, type, required, aliases and a remove button. A
 * fieldset whose legend names the column, so every label inside it is unambiguous.
 */
function columnRow(column: Partial<TemplateColumn>, onRemove: (row: HTMLFieldSetElement) => void) {
  const id = `column-${++rowIds}`;
  const labelled = (name: string, text: string, control: HTMLElement) =>
    h("div", { class: `cell cell-${name}` }, h("label", { for: `${id}-${name}` }, text), control);
  const remove = h("button", { type: "button", class: "secondary remove" }, "Remove");
  const row = h(
    "fieldset",
    { class: "column-row" },
    h("legend", {}, "Column"),
    labelled(
      "header",
      "Header",
      h("input", { id: `${id}-header`, name: "header", required: true, value: column.header }),
    ),
    labelled(
      "key",
      "Key",
      h("input", {
        id: `${id}-key`,
        name: "key",
        pattern: "[A-Za-z_][A-Za-z0-9_]*",
        "aria-describedby": "key-hint",
        value: column.key,
      }),
    ),
    labelled(
      "type",
      "Type",
      h(
        "select",
        { id: `${id}-type`, name: "type" },
        ...COLUMN_TYPES.map((t) => h("option", { value: t, selected: t === column.type }, t)),
      ),
    ),
    h(
      "div",
      { class: "cell cell-required" },
      h(
        "label",
        { class: "checkbox" },
        h("input", { type: "checkbox", name: "required", id: `${id}-required`, checked: column.required === true }),
        " Required",
      ),
    ),
    labelled(
      "aliases",
      "Aliases",
      h("input", {
        id: `${id}-aliases`,
        name: "aliases",
        "aria-describedby": "aliases-hint",
        value: column.aliases?.join(", "),
      }),
    ),
    h("div", { class: "cell cell-remove" }, remove),
  );
  remove.addEventListener("click", () => onRemove(row));
  return row;
}

function readColumn(row: HTMLFieldSetElement): TemplateColumn {
  const control = (name: string) => row.querySelector<HTMLInputElement>(`[name=${name}]`)!;
  const header = control("header").value.trim();
  return {
    header,
    key: control("key").value.trim() || keyFor(header),
    type: control("type").value as ColumnType,
    required: control("required").checked,
    aliases: control("aliases")
      .value.split(",")
      .map((a) => a.trim())
      .filter(Boolean),
  };
}

/**
 * The template form, for a new template (blank, or proposed from a sample file) and for editing
 * one. `save` gets what the person entered; its errors are shown in the form.
 */
export function templateForm(
  initial: Partial<Omit<Template, "id">>,
  submitText: string,
  save: (input: TemplateInput) => Promise<void>,
): HTMLFormElement {
  const error = alertBox();
  const columns = h("div", { class: "stack columns" });
  const renumber = () => {
    const rows = [...columns.querySelectorAll<HTMLFieldSetElement>("fieldset.column-row")];
    rows.forEach((row, i) => {
      row.querySelector("legend")!.textContent = `Column ${i + 1}`;
      const remove = row.querySelector<HTMLButtonElement>("button.remove")!;
      remove.setAttribute("aria-label", `Remove column ${i + 1}`);
      // a template needs a column: the last one stays
      remove.disabled = rows.length === 1;
    });
  };
  const onRemove = (row: HTMLFieldSetElement) => {
    const next = (row.nextElementSibling ?? row.previousElementSibling) as HTMLElement | null;
    row.remove();
    renumber();
    next?.querySelector<HTMLElement>("input")?.focus();
  };
  const start = initial.columns?.length ? initial.columns : [{}];
  for (const column of start) columns.append(columnRow(column, onRemove));
  renumber();

  const addColumn = h("button", { type: "button", class: "secondary" }, "Add a column");
  addColumn.addEventListener("click", () => {
    const row = columnRow({}, onRemove);
    columns.append(row);
    renumber();
    row.querySelector("input")!.focus();
  });

  const choice = (value: string, text: string, current: string | undefined) =>
    h("option", { value, selected: value === current }, text);
  const form = h(
    "form",
    { class: "stack" },
    h("label", { for: "template-name" }, "Template name"),
    h("input", { id: "template-name", name: "name", required: true, value: initial.name }),
    h("label", { for: "decimal-separator" }, "Numbers written as text"),
    h(
      "select",
      { id: "decimal-separator", name: "decimalSeparator" },
      choice("DOT", "1,234.5 (a dot before decimals)", initial.decimalSeparator),
      choice("COMMA", "1.234,5 (a comma before decimals)", initial.decimalSeparator),
    ),
    h("label", { for: "date-order" }, "Dates written as text"),
    h(
      "select",
      { id: "date-order", name: "dateOrder" },
      choice("YMD", "2024/05/31 (year first)", initial.dateOrder),
      choice("DMY", "31/05/2024 (day first)", initial.dateOrder),
      choice("MDY", "05/31/2024 (month first)", initial.dateOrder),
    ),
    h("h2", {}, "Columns"),
    h("p", { id: "key-hint", class: "hint" }, "Key: the name in each record's data; made from the header when blank."),
    h("p", { id: "aliases-hint", class: "hint" }, "Aliases: other headers that mean this column, separated by commas."),
    columns,
    h("div", { class: "actions" }, addColumn, h("button", { type: "submit" }, submitText)),
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input: TemplateInput = {
      name: field(form, "name"),
      decimalSeparator: field(form, "decimalSeparator"),
      dateOrder: field(form, "dateOrder"),
      columns: [...columns.querySelectorAll<HTMLFieldSetElement>("fieldset.column-row")].map(readColumn),
    };
    void busy(form, async () => {
      try {
        await save(input);
      } catch (err) {
        showError(error, err);
      }
    }).then(renumber);
  });
  return form;
}
