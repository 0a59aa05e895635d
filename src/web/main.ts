// The page's entry point, bundled by src/server/webPages.ts into /assets/app.js.
import { closeSubscriptions, request } from "./api.js";
import { fill, h } from "./dom.js";
import { LOG_OUT } from "./operations.js";
import { jobStatusPage } from "./pages/jobStatus.js";
import { myJobsPage } from "./pages/myJobs.js";
import { editTemplatePage, newTemplatePage } from "./pages/newTemplate.js";
import { recordsPage } from "./pages/records.js";
import { requestExportPage } from "./pages/requestExport.js";
import { signInPage } from "./pages/signIn.js";
import { templatesPage } from "./pages/templates.js";
import { uploadPage } from "./pages/upload.js";
import { navigate, startRouter, type Route } from "./router.js";
import { session } from "./session.js";
import { navLink } from "./ui.js";

/** Keep in step with PAGE_PATHS in src/server/webPages.ts, which serves the shell for these. */
const routes: Route[] = [
  { pattern: /^\/signin$/, page: signInPage, public: true },
  { pattern: /^\/$/, page: uploadPage },
  { pattern: /^\/templates$/, page: templatesPage },
  { pattern: /^\/templates\/new$/, page: newTemplatePage },
  { pattern: /^\/templates\/([^/]+)$/, page: editTemplatePage },
  { pattern: /^\/jobs$/, page: myJobsPage },
  { pattern: /^\/jobs\/([^/]+)$/, page: jobStatusPage },
  { pattern: /^\/jobs\/([^/]+)\/records$/, page: recordsPage },
  { pattern: /^\/exports\/new$/, page: requestExportPage },
];

function signOut(): void {
  // revoke the token on the server too; the page forgets it whatever the answer
  void request(LOG_OUT).catch(() => undefined);
  session.clear();
  closeSubscriptions();
  navigate("/signin");
}

/** The navigation bar, which depends on whether someone is signed in. */
function renderNav(): void {
  const nav = document.getElementById("nav")!;
  if (!session.token) return fill(nav);
  const current = location.pathname;
  const item = (href: string, text: string) => {
    const link = navLink(href, text);
    if (href === current) link.setAttribute("aria-current", "page");
    return h("li", {}, link);
  };
  const signOutButton = h("button", { type: "button", class: "link" }, "Sign out");
  signOutButton.addEventListener("click", signOut);
  fill(
    nav,
    h(
      "ul",
      {},
      item("/", "Import"),
      item("/templates", "Templates"),
      item("/jobs", "My jobs"),
      item("/exports/new", "Export"),
      h("li", { class: "who" }, h("span", { class: "hint" }, session.email ?? ""), signOutButton),
    ),
  );
}

startRouter(routes, (path, route) => {
  if (route && !route.public && !session.token) return `/signin?next=${encodeURIComponent(path)}`;
  if (route?.public && session.token) return "/";
  queueMicrotask(renderNav);
  return undefined;
});
