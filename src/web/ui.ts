import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { navigate } from "./router.js";
import { session } from "./session.js";

/** The page's `<h1>`: focusable, so navigation can move focus to it, and the document's title. */
export function heading(text: string): HTMLHeadingElement {
  document.title = `${text} · xls-importer`;
  return h("h1", { tabindex: -1 }, text);
}

/** An element that screen readers read out as soon as it has text. */
export function alertBox(): HTMLParagraphElement {
  return h("p", { role: "alert", class: "alert", hidden: true });
}

/**
 * Shows what went wrong in `box`. A rejected or expired token sends the person to sign in and
 * brings them back here afterwards.
 */
export function showError(box: HTMLElement, err: unknown): void {
  if (err instanceof ApiError && err.code === "UNAUTHENTICATED" && session.token) {
    session.clear();
    navigate(`/signin?next=${encodeURIComponent(location.pathname)}`, { replace: true });
    return;
  }
  box.hidden = false;
  box.textContent = err instanceof Error ? err.message : "Something went wrong.";
}

/** Disables a form's submit button while `work` runs, so a double click sends one request. */
export async function busy(form: HTMLFormElement, work: () => Promise<void>): Promise<void> {
  const buttons = [...form.querySelectorAll("button")];
  for (const button of buttons) button.disabled = true;
  form.setAttribute("aria-busy", "true");
  try {
    await work();
  } finally {
    for (const button of buttons) button.disabled = false;
    form.removeAttribute("aria-busy");
  }
}

/** A link to another page of the app, followed without a reload. */
export function navLink(href: string, text: string, className?: string): HTMLAnchorElement {
  return h("a", { href, "data-nav": true, class: className }, text);
}

/**
 * Reads a sentence out to screen-reader users without moving their focus, through the page's one
 * polite live region (in index.html, so it exists before anything is said into it).
 */
export function announce(text: string): void {
  const announcer = document.getElementById("announcer");
  if (!announcer) return;
  announcer.textContent = text;
}

/** A button that runs `work` once per click, disabled meanwhile; failures go to `error`. */
export function actionButton(
  text: string,
  error: HTMLElement,
  work: () => Promise<void>,
  className?: string,
): HTMLButtonElement {
  const button = h("button", { type: "button", class: className }, text);
  button.addEventListener("click", () => {
    button.disabled = true;
    error.hidden = true;
    work().then(
      () => (button.disabled = false),
      (err: unknown) => {
        button.disabled = false;
        showError(error, err);
      },
    );
  });
  return button;
}
