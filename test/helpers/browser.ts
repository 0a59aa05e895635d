import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { describe } from "vitest";

/** Debian's Chromium, which `.ci/run` installs; the tests never download a browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Where the browser tests leave their screenshots and downloads (gitignored). */
export const ARTIFACTS_DIR = path.resolve("test-results/e2e");

const installed = existsSync(CHROMIUM_PATH);

/**
 * `describe` for tests that drive Chromium. Without it they are skipped, saying why, so that a new
 * clone still gets a green `npm test`; under CI they run and fail, since CI is meant to have it.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (installed || process.env.CI) describe(name, fn);
  else {
    const reason = `no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
    // the default reporter does not print a skipped suite's name; this line says why
    console.warn(`Skipping "${name}": ${reason}.`);
    describe.skip(`${name} — skipped: ${reason}`, fn);
  }
}

/** Headless Chromium with its background traffic off: it would only knock on a closed network. */
export async function launchChromium(): Promise<Browser> {
  if (!installed) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}. .ci/run installs it with "apt-get install -y chromium"; ` +
        "install it the same way, or run without CI set to skip the browser tests.",
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Saves numbered full-page screenshots under `test-results/e2e/<prefix>-NN-<step>.png`. */
export async function screenshotter(prefix: string): Promise<(page: Page, step: string) => Promise<string>> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  let n = 0;
  return async (page, step) => {
    const file = path.join(ARTIFACTS_DIR, `${prefix}-${String(++n).padStart(2, "0")}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  };
}

/**
 * Collects what the page reports as broken (uncaught errors, console errors such as a refused
 * script or a CSP violation), for a test to assert there were none.
 */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console: ${message.text()}`);
  });
  return problems;
}

/** One column of the template form as a test fills it in; the key is left for the form to make. */
export interface ColumnEntry {
  header: string;
  type: string;
  required?: boolean;
  aliases?: readonly string[];
}

/**
 * Fills the template form's column rows ("Column 1", "Column 2"…), adding a row for each column
 * after the first, as a person would.
 */
export async function fillColumns(page: Page, columns: readonly ColumnEntry[]): Promise<void> {
  for (const [i, c] of columns.entries()) {
    if (i > 0) await page.getByRole("button", { name: "Add a column" }).click();
    const row = page.getByRole("group", { name: `Column ${i + 1}`, exact: true });
    await row.getByLabel("Header").fill(c.header);
    await row.getByLabel("Type").selectOption(c.type);
    if (c.required) await row.getByLabel("Required").check();
    if (c.aliases) await row.getByLabel("Aliases").fill(c.aliases.join(", "));
  }
}
