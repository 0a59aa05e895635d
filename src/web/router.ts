/** What a page gets: where to render, what the path and query say, and when it is left. */
export interface PageContext {
  main: HTMLElement;
  params: string[];
  query: URLSearchParams;
  /** Aborted when the person navigates away: pages stop their subscriptions on it. */
  signal: AbortSignal;
}

export interface Route {
  pattern: RegExp;
  page: (context: PageContext) => void | Promise<void>;
  /** Reachable without signing in. */
  public?: boolean;
}

let routes: Route[] = [];
let current: AbortController | undefined;
let beforeRender: (path: string, route: Route | undefined) => string | undefined = () => undefined;

/**
 * A tiny router on `location.pathname` and `history.pushState`: the server answers every page path
 * with the same shell, and this picks the page. `guard` may send a path elsewhere (to sign in).
 */
export function startRouter(table: Route[], guard: typeof beforeRender): void {
  routes = table;
  beforeRender = guard;
  addEventListener("popstate", () => void render());
  // same-origin links marked data-nav are followed without a reload; downloads are plain links
  document.addEventListener("click", (event) => {
    const link = (event.target as Element | null)?.closest?.("a[data-nav]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(link.getAttribute("href") ?? "/");
  });
  void render();
}

/** Goes to a page of this app, leaving the current one (its subscriptions end). */
export function navigate(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  void render();
}

async function render(): Promise<void> {
  const path = location.pathname;
  const found = routes.find((r) => r.pattern.test(path));
  const redirect = beforeRender(path + location.search, found);
  if (redirect) return navigate(redirect, { replace: true });
  current?.abort();
  const controller = (current = new AbortController());
  const main = document.getElementById("main")!;
  main.replaceChildren();
  const params = found ? (found.pattern.exec(path)?.slice(1) ?? []).map(decodeURIComponent) : [];
  await (found ?? notFound).page({
    main,
    params,
    query: new URLSearchParams(location.search),
    signal: controller.signal,
  });
  // move focus to the new page's heading, as a full page load would, so screen readers announce it
  if (!controller.signal.aborted) main.querySelector<HTMLElement>("h1")?.focus();
}

/** What the server answers with HTTP 404 (see webPages.ts) shows this, with a way back. */
const notFound: Route = {
  pattern: /$^/,
  page: ({ main }) => {
    document.title = "Not found · xls-importer";
    const heading = document.createElement("h1");
    heading.tabIndex = -1;
    heading.textContent = "There is no such page";
    const text = document.createElement("p");
    text.textContent = "The address may be mistyped, or the page may have moved. ";
    const home = document.createElement("a");
    home.href = "/";
    home.dataset.nav = "";
    home.textContent = "Go to the home page";
    text.append(home);
    main.append(heading, text);
  },
};
