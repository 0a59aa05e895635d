import { allTemplates } from "../allTemplates.js";
import { request } from "../api.js";
import { fill, h } from "../dom.js";
import { DELETE_TEMPLATE, type Template } from "../operations.js";
import type { PageContext } from "../router.js";
import { alertBox, announce, heading, navLink, showError } from "../ui.js";

function columnsText(template: Template): string {
  const mark = (c: Template["columns"][number]) =>
    template.keyColumns.includes(c.key) ? " (key)" : c.required ? " (required)" : "";
  return template.columns.map((c) => `${c.header}${mark(c)}`).join(", ");
}

/**
 * Delete asks once more in place (no dialog): the first click turns the item's buttons into
 * "Delete for good" and "Keep".
 */
function templateItem(template: Template, error: HTMLElement, onDeleted: (item: HTMLElement) => void) {
  const actions = h("div", { class: "actions" });
  const item = h(
    "li",
    { class: "template", "data-template-id": template.id },
    h("h2", {}, template.name),
    h("p", { class: "hint" }, columnsText(template)),
    actions,
  );
  const normal = () => {
    const remove = h(
      "button",
      { type: "button", class: "secondary", "aria-label": `Delete ${template.name}` },
      "Delete",
    );
    remove.addEventListener("click", confirming);
    fill(
      actions,
      navLink(`/?template=${template.id}`, "Import a file", "button"),
      h(
        "a",
        {
          href: `/templates/${template.id}`,
          "data-nav": true,
          class: "button secondary",
          "aria-label": `Edit ${template.name}`,
        },
        "Edit",
      ),
      remove,
    );
  };
  const confirming = () => {
    const sure = h("button", { type: "button", class: "danger" }, `Delete ${template.name} for good`);
    const keep = h("button", { type: "button", class: "secondary" }, "Keep it");
    keep.addEventListener("click", () => {
      normal();
      actions.querySelector<HTMLElement>("button")?.focus();
    });
    sure.addEventListener("click", () => {
      sure.disabled = keep.disabled = true;
      request(DELETE_TEMPLATE, { id: template.id }).then(
        () => {
          announce(`Deleted the template ${template.name}. Its imports and records are kept.`);
          onDeleted(item);
        },
        (err: unknown) => {
          normal();
          showError(error, err);
        },
      );
    });
    fill(actions, h("p", { class: "hint" }, "Its imports and their records are kept."), sure, keep);
    keep.focus();
  };
  normal();
  return item;
}

/** `/templates`: the person's templates, to import into, edit or delete. */
export async function templatesPage({ main }: PageContext): Promise<void> {
  const error = alertBox();
  const title = heading("Templates");
  main.append(title, error);
  let templates: Template[];
  try {
    templates = await allTemplates();
  } catch (err) {
    return showError(error, err);
  }
  const list = h("ul", { class: "templates", "aria-label": "Your templates" });
  const empty = () => fill(list, h("li", {}, "No templates yet."));
  for (const template of templates) {
    list.append(
      templateItem(template, error, (item) => {
        item.remove();
        title.focus();
        if (list.children.length === 0) empty();
      }),
    );
  }
  if (templates.length === 0) empty();
  main.append(
    list,
    h(
      "div",
      { class: "actions" },
      navLink("/templates/new", "Create a template", "button"),
      navLink("/", "Create one from a file", "button secondary"),
    ),
  );
}
