import { closeSubscriptions, request } from "../api.js";
import { field, h } from "../dom.js";
import { LOG_IN, SIGN_UP } from "../operations.js";
import { navigate, type PageContext } from "../router.js";
import { session } from "../session.js";
import { alertBox, busy, heading, showError } from "../ui.js";

/** `/signin`: one form that signs in or creates an account, then returns to `?next=`. */
export function signInPage({ main, query }: PageContext): void {
  const error = alertBox();
  const form = h(
    "form",
    { class: "stack", novalidate: true },
    h("label", { for: "email" }, "Email"),
    h("input", { id: "email", name: "email", type: "email", autocomplete: "email", required: true }),
    h("label", { for: "password" }, "Password"),
    h("input", {
      id: "password",
      name: "password",
      type: "password",
      autocomplete: "current-password",
      required: true,
      "aria-describedby": "password-hint",
    }),
    h("p", { id: "password-hint", class: "hint" }, "New accounts need a password of at least 8 characters."),
    error,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit", name: "intent", value: "signin" }, "Sign in"),
      h("button", { type: "submit", name: "intent", value: "signup", class: "secondary" }, "Create account"),
    ),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const signUp = (event.submitter as HTMLButtonElement | null)?.value === "signup";
    const email = field(form, "email");
    const password = new FormData(form).get("password") as string;
    void busy(form, async () => {
      try {
        const payload = signUp
          ? (await request(SIGN_UP, { email, password })).signUp
          : (await request(LOG_IN, { email, password })).logIn;
        closeSubscriptions();
        session.save(payload.token, payload.user.email);
        const next = query.get("next");
        // only a path of this site, never an address someone put in the link
        navigate(next?.startsWith("/") && !next.startsWith("//") ? next : "/", { replace: true });
      } catch (err) {
        showError(error, err);
      }
    });
  });
  main.append(heading("Sign in"), form);
}
