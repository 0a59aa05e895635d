import { field, fill, h } from "../dom.js";
import type {
  ColumnRules,
  ColumnType,
  DateOrder,
  DecimalSeparator,
  DuplicateRows,
  Template,
  TemplateColumn,
  TemplateColumnInput as ColumnInput,
} from "../operations.js";
import { alertBox, busy, showError } from "../ui.js";

const COLUMN_TYPES: ColumnType[] = ["STRING", "INTEGER", "DECIMAL", "BOOLEAN", "DATE", "DATETIME", "EMAIL"];

type RuleName = keyof ColumnRules;

/** The rules each column type takes, as the server checks them; the form shows only these. */
const RULES_BY_TYPE: Record<ColumnType, readonly RuleName[]> = {
  STRING: ["allowedValues", "minLength", "maxLength", "pattern", "unique"],
  EMAIL: ["minLength", "maxLength", "pattern", "unique"],
  INTEGER: ["min", "max", "unique"],
  DECIMAL: ["min", "max", "unique"],
  DATE: ["min", "max", "unique"],
  DATETIME: ["min", "max", "unique"],
  BOOLEAN: ["unique"],
};

const fits = (rule: RuleName, type: ColumnType) => RULES_BY_TYPE[type].includes(rule);

/** A column as the form sends it: TemplateColumnInput, every field given (a rule's null: none). */
export type TemplateColumnInput = Required<ColumnInput>;

/** What the form sends: CreateImportTemplateInput and UpdateImportTemplateInput alike. */
export interface TemplateInput {
  name: string;
  decimalSeparator: DecimalSeparator;
  dateOrder: DateOrder;
  columns: TemplateColumnInput[];
  keyColumns: string[];
  duplicates: DuplicateRows;
}

/** What the form starts from: a template being edited, a proposed one (whose columns have no rules), or nothing. */
export type TemplateStart = Partial<Omit<Template, "id" | "columns">> & { columns?: Array<Partial<TemplateColumn>> };

/** "Unit Price" → "unitPrice": the key a record's data uses when the person leaves it blank. */
function keyFor(header: string): string {
  const words = header.match(/[\p{L}\p{N}]+/gu) ?? [];
  const key = words
    .map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
    .join("")
    .replace(/[^A-Za-z0-9_]/g, "");
  return /^[A-Za-z_]/.test(key) ? key : `column${key}`;
}

/** "2024-01-31T09:30:00.000Z" → "2024-01-31T10:30:00" in Paris: a date-time input shows the person's own time. */
function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const two = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}` +
    `T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`
  );
}

/** A bound as its input shows it, for the column's type. */
function boundForInput(type: ColumnType, bound: string | null | undefined): string {
  if (bound === null || bound === undefined) return "";
  if (type === "DATETIME") return toLocalInput(bound);
  if (type === "DATE") return bound.slice(0, 10);
  return bound;
}

/** A bound input's value as the server reads it: a date-time entered in local time goes as UTC. */
function boundFromInput(type: ColumnType, value: string): string | null {
  if (value === "") return null;
  if (type === "DATETIME") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : date.toISOString();
  }
  return value;
}

/** The bound inputs' labels and kinds, by column type: a date has an earliest, a number a smallest. */
function boundInput(type: ColumnType): { min: string; max: string; attributes: Record<string, string> } {
  switch (type) {
    case "DATE":
      return { min: "Earliest", max: "Latest", attributes: { type: "date" } };
    case "DATETIME":
      return {
        min: "Earliest (your time)",
        max: "Latest (your time)",
        attributes: { type: "datetime-local", step: "1" },
      };
    case "INTEGER":
      return { min: "Smallest", max: "Largest", attributes: { type: "number", step: "1", inputmode: "numeric" } };
    default:
      return { min: "Smallest", max: "Largest", attributes: { type: "number", step: "any", inputmode: "decimal" } };
  }
}

let rowIds = 0;

/** The controls of one column row, by name. */
function control<T extends HTMLElement = HTMLInputElement>(row: HTMLElement, name: string): T {
  return row.querySelector<T>(`[name=${name}]`)!;
}

/**
 * A column's rules, behind a disclosure whose summary says which are set, so 30 columns stay 30
 * short rows. Only the rules that fit the column's type are shown, and only those are sent.
 */
function rulesPanel(id: string, column: Partial<TemplateColumn>): HTMLDetailsElement {
  const cell = (rule: RuleName, text: string, input: HTMLElement, hint?: string) =>
    h(
      "div",
      { class: `cell rule rule-${rule}`, "data-rule": rule },
      h("label", { for: `${id}-${rule}` }, text),
      input,
      hint ? h("span", { class: "hint", id: `${id}-${rule}-hint` }, hint) : null,
    );
  const length = (rule: "minLength" | "maxLength") =>
    h("input", {
      id: `${id}-${rule}`,
      name: rule,
      type: "number",
      min: 0,
      step: 1,
      inputmode: "numeric",
      value: column[rule] ?? undefined,
    });
  const type = column.type ?? "STRING";
  const bounds = boundInput(type);
  const summary = h("span", { class: "rules-summary" });
  const details = h(
    "details",
    { class: "rules" },
    h("summary", {}, "Rules", summary),
    h(
      "div",
      { class: "rules-grid" },
      cell(
        "allowedValues",
        "Allowed values",
        h(
          "textarea",
          { id: `${id}-allowedValues`, name: "allowedValues", rows: 3, "aria-describedby": `${id}-allowedValues-hint` },
          (column.allowedValues ?? []).join("\n"),
        ),
        "One a line; any case matches, and the value is stored as written here.",
      ),
      cell(
        "min",
        bounds.min,
        h("input", { id: `${id}-min`, name: "min", ...bounds.attributes, value: boundForInput(type, column.min) }),
      ),
      cell(
        "max",
        bounds.max,
        h("input", { id: `${id}-max`, name: "max", ...bounds.attributes, value: boundForInput(type, column.max) }),
      ),
      cell("minLength", "Fewest characters", length("minLength")),
      cell("maxLength", "Most characters", length("maxLength")),
      cell(
        "pattern",
        "Pattern",
        h("input", {
          id: `${id}-pattern`,
          name: "pattern",
          spellcheck: "false",
          autocapitalize: "off",
          "aria-describedby": `${id}-pattern-hint`,
          value: column.pattern ?? undefined,
        }),
        "A regular expression (RE2) found in the value; ^…$ to match all of it.",
      ),
      h(
        "div",
        { class: "cell rule rule-unique", "data-rule": "unique" },
        h(
          "label",
          { class: "checkbox" },
          h("input", { type: "checkbox", name: "unique", id: `${id}-unique`, checked: column.unique === true }),
          " Unique in a file",
        ),
      ),
    ),
  );
  return details;
}

/** "one of 3 values · 0 to 100 · unique": the rules set, read without opening them. */
function rulesSummary(column: TemplateColumnInput): string {
  const parts: string[] = [];
  if (column.allowedValues) {
    const shown = column.allowedValues.slice(0, 3).join(", ");
    parts.push(`one of ${shown}${column.allowedValues.length > 3 ? `, … (${column.allowedValues.length})` : ""}`);
  }
  if (column.min !== null && column.max !== null) parts.push(`${column.min} to ${column.max}`);
  else if (column.min !== null) parts.push(`at least ${column.min}`);
  else if (column.max !== null) parts.push(`at most ${column.max}`);
  if (column.minLength !== null && column.maxLength !== null) {
    parts.push(`${column.minLength}–${column.maxLength} characters`);
  } else if (column.minLength !== null) parts.push(`at least ${column.minLength} characters`);
  else if (column.maxLength !== null) parts.push(`at most ${column.maxLength} characters`);
  if (column.pattern !== null) parts.push(`matches ${column.pattern}`);
  if (column.unique) parts.push("unique");
  return parts.length > 0 ? parts.join(" · ") : "none";
}

/**
 * One column as a compact row: header, key, type, required, aliases and a remove button, then its
 * rules folded away. A fieldset whose legend names the column, so every label inside it is
 * unambiguous.
 */
function columnRow(column: Partial<TemplateColumn>, onRemove: (row: HTMLFieldSetElement) => void) {
  const id = `column-${++rowIds}`;
  const labelled = (name: string, text: string, control: HTMLElement) =>
    h("div", { class: `cell cell-${name}` }, h("label", { for: `${id}-${name}` }, text), control);
  const remove = h("button", { type: "button", class: "secondary remove" }, "Remove");
  const rules = rulesPanel(id, column);
  const row = h(
    "fieldset",
    { class: "column-row", "data-row-id": id },
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
    rules,
  );
  remove.addEventListener("click", () => onRemove(row));
  const typeSelect = control<HTMLSelectElement>(row, "type");
  let shownType = typeSelect.value as ColumnType;
  const showRules = () => {
    const type = typeSelect.value as ColumnType;
    if (type !== shownType) {
      // a bound's input takes the new type's kind; a value it cannot show is dropped by the browser
      const bounds = boundInput(type);
      for (const name of ["min", "max"] as const) {
        const input = control(row, name);
        for (const [attribute, value] of Object.entries(bounds.attributes)) input.setAttribute(attribute, value);
        if (!("step" in bounds.attributes)) input.removeAttribute("step");
        if (!("inputmode" in bounds.attributes)) input.removeAttribute("inputmode");
        row.querySelector(`label[for=${input.id}]`)!.textContent = bounds[name];
      }
      shownType = type;
    }
    for (const cell of row.querySelectorAll<HTMLElement>("[data-rule]")) {
      cell.hidden = !fits(cell.dataset.rule as RuleName, type);
    }
    rules.querySelector(".rules-summary")!.textContent = `: ${rulesSummary(readColumn(row))}`;
  };
  typeSelect.addEventListener("change", showRules);
  rules.addEventListener("input", showRules);
  rules.addEventListener("change", showRules);
  showRules();
  return row;
}

function readColumn(row: HTMLFieldSetElement): TemplateColumnInput {
  const header = control(row, "header").value.trim();
  const type = control<HTMLSelectElement>(row, "type").value as ColumnType;
  const rule = <T>(name: RuleName, read: (input: HTMLInputElement) => T | null): T | null =>
    fits(name, type) ? read(control(row, name)) : null;
  const count = (input: HTMLInputElement) => (input.value.trim() === "" ? null : Number(input.value));
  const allowed = rule("allowedValues", (input) =>
    input.value
      .split("\n")
      .map((v) => v.trim())
      .filter(Boolean),
  );
  return {
    header,
    key: control(row, "key").value.trim() || keyFor(header),
    type,
    required: control(row, "required").checked,
    aliases: control(row, "aliases")
      .value.split(",")
      .map((a) => a.trim())
      .filter(Boolean),
    allowedValues: allowed && allowed.length > 0 ? allowed : null,
    min: rule("min", (input) => boundFromInput(type, input.value.trim())),
    max: rule("max", (input) => boundFromInput(type, input.value.trim())),
    minLength: rule("minLength", count),
    maxLength: rule("maxLength", count),
    pattern: rule("pattern", (input) => (input.value === "" ? null : input.value)),
    unique: rule("unique", (input) => input.checked) ?? false,
  };
}

const DUPLICATE_CHOICES: Array<[DuplicateRows, string]> = [
  ["SKIP", "Import it once and count the repeats"],
  ["IMPORT", "Import every repeat"],
  ["REJECT", "Reject the repeats as row errors"],
];

/**
 * The template form, for a new template (blank, or proposed from a sample file) and for editing
 * one. `save` gets what the person entered; its errors are shown in the form.
 */
export function templateForm(
  initial: TemplateStart,
  submitText: string,
  save: (input: TemplateInput) => Promise<void>,
): HTMLFormElement {
  const error = alertBox();
  const columns = h("div", { class: "stack columns" });
  const columnRows = () => [...columns.querySelectorAll<HTMLFieldSetElement>("fieldset.column-row")];

  // key columns are kept by row, so renaming a column's header or key keeps it a key column
  const keyRows = new Set<string>();
  const keyChoices = h("div", { class: "key-choices" });
  const duplicates = h(
    "select",
    { id: "duplicates", name: "duplicates", "aria-describedby": "duplicates-hint" },
    ...DUPLICATE_CHOICES.map(([value, text]) =>
      h("option", { value, selected: value === (initial.duplicates ?? "SKIP") }, text),
    ),
  );
  const duplicatesHint = h("p", { id: "duplicates-hint", class: "hint" });
  const showKeys = () => {
    const rows = columnRows();
    const present = new Set(rows.map((row) => row.dataset.rowId!));
    for (const id of keyRows) if (!present.has(id)) keyRows.delete(id);
    fill(
      keyChoices,
      ...rows.map((row, i) => {
        const id = row.dataset.rowId!;
        const checkbox = h("input", { type: "checkbox", id: `${id}-is-key`, checked: keyRows.has(id) });
        checkbox.addEventListener("change", () => {
          if (checkbox.checked) keyRows.add(id);
          else keyRows.delete(id);
          showKeys();
        });
        return h(
          "label",
          { class: "checkbox key-choice" },
          checkbox,
          ` ${control(row, "header").value.trim() || `Column ${i + 1}`}`,
        );
      }),
    );
    // a key column is required: a row without its key could not be matched to a record
    for (const row of rows) {
      const required = control(row, "required");
      const isKey = keyRows.has(row.dataset.rowId!);
      if (isKey) required.checked = true;
      required.disabled = isKey;
      if (isKey) required.setAttribute("aria-describedby", "keys-required-hint");
      else required.removeAttribute("aria-describedby");
    }
    const keyed = keyRows.size > 0;
    duplicates.disabled = keyed;
    duplicatesHint.textContent = keyed
      ? "With key columns, a row that repeats an earlier row's key is a row error naming that row."
      : "Rows alike in every column, within one file.";
  };

  const renumber = () => {
    const rows = columnRows();
    rows.forEach((row, i) => {
      row.querySelector("legend")!.textContent = `Column ${i + 1}`;
      const remove = row.querySelector<HTMLButtonElement>("button.remove")!;
      remove.setAttribute("aria-label", `Remove column ${i + 1}`);
      // a template needs a column: the last one stays
      remove.disabled = rows.length === 1;
    });
    showKeys();
  };
  const onRemove = (row: HTMLFieldSetElement) => {
    const next = (row.nextElementSibling ?? row.previousElementSibling) as HTMLElement | null;
    row.remove();
    renumber();
    next?.querySelector<HTMLElement>("input")?.focus();
  };
  const start: Array<Partial<TemplateColumn>> = initial.columns?.length ? initial.columns : [{}];
  for (const column of start) {
    const row = columnRow(column, onRemove);
    if (column.key && initial.keyColumns?.includes(column.key)) keyRows.add(row.dataset.rowId!);
    columns.append(row);
  }
  renumber();
  // a header typed in a row names its key choice at once
  columns.addEventListener("input", (event) => {
    if ((event.target as HTMLElement).getAttribute("name") === "header") showKeys();
  });

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
    { class: "stack template-form" },
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
    h("p", { class: "hint" }, "Rules: what a value must be besides its type; a row that breaks one is rejected."),
    columns,
    h("div", { class: "actions" }, addColumn),
    h(
      "fieldset",
      { class: "key-columns", "aria-describedby": "keys-hint" },
      h("legend", {}, "Key columns"),
      h(
        "p",
        { id: "keys-hint", class: "hint" },
        "The columns that identify a record. A row with a new key adds a record; one whose key was imported " +
          "before updates that record, or leaves it as it is. With none, every row adds a record.",
      ),
      keyChoices,
      h("p", { id: "keys-required-hint", class: "hint" }, "A key column is always required."),
    ),
    h("label", { for: "duplicates" }, "A row repeated exactly in one file"),
    duplicates,
    duplicatesHint,
    h("div", { class: "actions" }, h("button", { type: "submit" }, submitText)),
    error,
  );
  // a rule that the browser finds invalid may be folded away: unfold it, so its message can show
  form.addEventListener(
    "invalid",
    (event) => {
      const details = (event.target as HTMLElement).closest("details");
      if (details) details.open = true;
    },
    true,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const rows = columnRows();
    const input: TemplateInput = {
      name: field(form, "name"),
      decimalSeparator: field(form, "decimalSeparator") as DecimalSeparator,
      dateOrder: field(form, "dateOrder") as DateOrder,
      columns: rows.map(readColumn),
      keyColumns: rows.filter((row) => keyRows.has(row.dataset.rowId!)).map((row) => readColumn(row).key),
      duplicates: duplicates.value as DuplicateRows,
    };
    error.hidden = true;
    void busy(form, async () => {
      try {
        await save(input);
      } catch (err) {
        showError(error, err);
        error.scrollIntoView({ block: "nearest" });
      }
    }).then(renumber);
  });
  return form;
}
