import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, fillColumns, launchChromium, pageProblems, screenshotter } from "../helpers/browser.js";
import { importFile, orderColumns, uploadFile, xlsxFile } from "../helpers/imports.js";
import { startTestApp, type TestApp } from "../helpers/testApp.js";
import { CreateTemplate, SignUp } from "../operations.js";

// the same phone-ish width as webPage.test.ts: the review must work there too
const VIEWPORT = { width: 420, height: 860 };

/**
 * LibreOffice's CSV (see test/fixtures/real/manifest.json): a title above headers in row 3 —
 * Name, Quantity, Unit Price, Active, Ship Date, Ordered At, Contact Email, SKU — and 5 data rows.
 */
const SAMPLE = path.resolve("test/fixtures/real/libreoffice-utf8.csv");
const SAMPLE_ROWS = 5;

/**
 * A template whose first column, "Product", is none of the file's headers: the file's "Name" holds
 * it, and only the person can say so. Quantity and Unit Price match as they are.
 */
const TEMPLATE = [
  { key: "product", header: "Product", type: "STRING" as const, required: true },
  { key: "quantity", header: "Quantity", type: "INTEGER" as const, required: true },
  {
    key: "unitPrice",
    header: "Unit Price",
    type: "DECIMAL" as const,
    required: false,
    aliases: ["Price", "Price (USD)"],
  },
];

let app: TestApp;
let browser: Browser;
let page: Page;
let problems: string[];
let shot: Awaited<ReturnType<typeof screenshotter>>;

describeInBrowser("the matching step of the web page, in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
    app = await startTestApp();
    shot = await screenshotter("review");
  });

  /** A page of its own for each test, signed in as `token` when given (the page keeps it in localStorage). */
  async function openPage(token?: string, locale = "en-US"): Promise<void> {
    const context: BrowserContext = await browser.newContext({
      viewport: VIEWPORT,
      baseURL: new URL("/", app.url).href,
      locale,
    });
    if (token) await context.addInitScript((t) => localStorage.setItem("xls-importer.token", t), token);
    page = await context.newPage();
    problems = pageProblems(page);
  }

  async function signUp(email: string): Promise<string> {
    const answer = await app.request(SignUp, { email, password: "correct horse" });
    return answer.data!.signUp.token;
  }

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const status = () => page.locator("#job-status");
  const mappingRow = (templateHeader: string) =>
    page.locator("li.mapping-row").filter({ has: page.locator("label", { hasText: templateHeader }) });
  const fitsTheScreen = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  /** Chooses the file column whose header is `header`, by the option the select shows for it. */
  async function chooseSource(templateHeader: string, header: string) {
    const select = page.getByLabel(templateHeader);
    const labels = await select.locator("option").allTextContents();
    const label = labels.find((l) => l.startsWith(`${header} (`));
    expect(label, `no option for ${header} among ${labels.join(" | ")}`).toBeDefined();
    await select.selectOption({ label: label! });
  }

  async function upload() {
    await page.getByRole("link", { name: "Import", exact: true }).click();
    await page.getByRole("button", { name: "Upload and check" }).waitFor();
    await page.getByLabel("Spreadsheet").setInputFiles({
      name: "q3-sales.csv",
      mimeType: "text/csv",
      buffer: await readFile(SAMPLE),
    });
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    return page.url();
  }

  it("uploads a file whose headers differ, fixes a column with the select, checks again, imports and lists the records", async () => {
    // a German reader: counts and numbers are written 1.234,56
    await openPage(undefined, "de-DE");
    await page.goto("/signin");
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Password").fill("correct horse");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByRole("heading", { name: "Import a spreadsheet" }).waitFor();

    // a template by hand, in the compact column rows; a fourth column is added and removed again
    await page.getByRole("link", { name: "Create a template" }).click();
    await page.getByLabel("Template name").fill("Products");
    const column = (n: number) => page.getByRole("group", { name: `Column ${n}`, exact: true });
    // the key is left blank: the form makes it from the header
    await fillColumns(page, [...TEMPLATE, { header: "Colour", type: "STRING" }]);
    await page.getByRole("button", { name: "Remove column 4" }).click();
    await expect.poll(() => page.locator("fieldset.column-row").count()).toBe(3);
    expect(await column(3).getByLabel("Aliases").inputValue()).toBe("Price, Price (USD)");
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, "template");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL("**/?template=*");

    // every upload from the page is a dry run first: it stops at the review, with Product unmatched
    const importUrl = await upload();
    await page.getByRole("heading", { name: "Import of q3-sales.csv" }).waitFor();
    await status().filter({ hasText: "Needs review" }).waitFor();
    expect(await status().getAttribute("aria-live")).toBe("polite");
    await page.getByRole("heading", { name: "Match the columns" }).waitFor();
    expect(await mappingRow("Product").locator(".badge").textContent()).toBe("Not matched, required");
    expect(await mappingRow("Quantity").locator(".badge").textContent()).toBe("Same header");
    expect(await page.getByLabel("Product").inputValue()).toBe("");
    expect(await status().textContent()).toBe("Needs review: match the columns");
    expect(await page.getByLabel("Quantity").inputValue()).not.toBe("");
    const importButton = page.getByRole("button", { name: /^Import \d+ rows?$/ });
    expect(await importButton.isDisabled()).toBe(true);
    expect(await page.locator("#import-hint").textContent()).toMatch(/Choose a column for Product/);
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, "review-unmatched");

    // the person says Product is the file's Name column; the count is stale until checked again
    await chooseSource("Product", "Name");
    expect(await mappingRow("Product").locator(".badge").textContent()).toBe("Changed, not checked yet");
    expect(await importButton.isDisabled()).toBe(true);
    await shot(page, "review-changed");
    await page.getByRole("button", { name: "Check again" }).click();

    // back in review, with every row counted and the choice remembered as MANUAL
    const importAll = page.getByRole("button", { name: `Import ${SAMPLE_ROWS} rows` });
    await importAll.waitFor();
    await expect.poll(() => importAll.isEnabled()).toBe(true);
    expect(await mappingRow("Product").locator(".badge").textContent()).toBe("Chosen by you");
    expect(await status().textContent()).toBe(`Needs review: ${SAMPLE_ROWS} rows ready to import, 0 rejected`);
    // a choice made by hand is remembered unless the person says not to
    expect(await page.getByLabel("Remember the columns picked by hand").isChecked()).toBe(true);
    await shot(page, "review-fixed");
    await importAll.click();

    await status().filter({ hasText: "Completed" }).waitFor();
    await expect.poll(() => status().textContent()).toBe(`Completed: ${SAMPLE_ROWS} rows imported, 0 rejected`);
    expect(page.url()).toBe(importUrl);
    await shot(page, "completed");

    // the records, as saved: one table row each, with Name's values under Product
    await page.getByRole("link", { name: `View the ${SAMPLE_ROWS} records` }).click();
    await page.getByRole("heading", { name: "Records of q3-sales.csv" }).waitFor();
    const records = page.getByRole("region", { name: /^Records 1–5 of 5/ }).locator("tbody tr");
    await expect.poll(() => records.count()).toBe(SAMPLE_ROWS);
    const cells = (n: number) => records.nth(n).locator("td").allTextContents();
    expect(await cells(0)).toEqual(["Zoë Ångström", "3", "2,5"]);
    expect(await cells(1)).toEqual(["東京 Store", "12", "1.234,56"]);
    expect(await cells(3)).toEqual(['Smith, "Jo"', "1.500", "-7,25"]);
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, "records");

    // the next file from the same source maps itself: confirming remembered Name as Product's alias
    await upload();
    await status().filter({ hasText: "Needs review" }).waitFor();
    await page.getByRole("heading", { name: "Match the columns" }).waitFor();
    expect(await mappingRow("Product").locator(".badge").textContent()).toBe("Matched an alias");
    await shot(page, "review-remembered");
    // and cancelling saves nothing, shown as such here and in My jobs
    await page.getByRole("button", { name: "Cancel import" }).click();
    await expect.poll(() => status().textContent()).toBe("Cancelled: nothing was saved");
    await page.getByRole("link", { name: "My jobs" }).click();
    const jobs = page.locator("li.job");
    await expect.poll(() => jobs.count()).toBe(2);
    expect(await jobs.allTextContents()).toEqual([
      expect.stringMatching(/^Import of q3-sales\.csv into ProductsCancelled/),
      expect.stringMatching(/^Import of q3-sales\.csv into ProductsCompleted/),
    ]);
    await shot(page, "my-jobs");
    expect(problems).toEqual([]);
  }, 120_000);

  it("proposes a template from a sample file, edits it, and keeps the file chosen for the import", async () => {
    const token = await signUp("grace@example.com");
    await app.request(CreateTemplate, { input: { name: "Products", columns: orderColumns } }, token);
    await openPage(token);
    await page.goto("/");
    await page.getByLabel("Spreadsheet").setInputFiles(SAMPLE);
    // its headers are below a title; a template has no headers yet to find them by
    await page.getByLabel("Header row").fill("3");
    await page.getByRole("button", { name: "Create a template from this file" }).click();
    await page.getByRole("heading", { name: "New template" }).waitFor();
    expect(await page.getByLabel("Template name").inputValue()).toBe("libreoffice-utf8");
    const headers = await page
      .locator("fieldset.column-row [name=header]")
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(headers).toEqual([
      "Name",
      "Quantity",
      "Unit Price",
      "Active",
      "Ship Date",
      "Ordered At",
      "Contact Email",
      "SKU",
    ]);
    const column = (n: number) => page.getByRole("group", { name: `Column ${n}`, exact: true });
    expect(await column(2).getByLabel("Type").inputValue()).toBe("INTEGER");
    expect(await column(2).getByLabel("Key").inputValue()).toBe("quantity");
    // SKU's values look like numbers but are codes: the person drops it
    await page.getByRole("button", { name: "Remove column 8" }).click();
    await page.getByLabel("Template name").fill("Q3 sales");
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, "inferred-template");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL("**/?template=*");
    await page.getByRole("button", { name: "Upload and check" }).waitFor();
    expect(await page.getByLabel("Spreadsheet").evaluate((input) => (input as HTMLInputElement).files?.[0]?.name)).toBe(
      "libreoffice-utf8.csv",
    );

    // the templates page: both, one renamed through the edit form, the other deleted
    await page.getByRole("link", { name: "Templates", exact: true }).click();
    const items = page.locator("li.template");
    await expect.poll(() => items.count()).toBe(2);
    await page.getByRole("link", { name: "Edit Q3 sales" }).click();
    await page.getByRole("heading", { name: "Edit Q3 sales" }).waitFor();
    expect(await page.locator("fieldset.column-row").count()).toBe(7);
    await page.getByLabel("Template name").fill("Q3 sales report");
    await page.getByRole("button", { name: "Save template" }).click();
    await page.getByRole("heading", { name: "Templates" }).waitFor();
    await page.getByRole("heading", { name: "Q3 sales report" }).waitFor();
    await page.getByRole("button", { name: "Delete Products" }).click();
    await page.getByRole("button", { name: "Delete Products for good" }).click();
    await expect.poll(() => items.count()).toBe(1);
    await shot(page, "templates");
    expect(problems).toEqual([]);
  }, 60_000);

  it("fixes the mapping of an import that failed for a missing column, checks it again and imports it", async () => {
    const token = await signUp("edsger@example.com");
    const template = await app.request(CreateTemplate, { input: { name: "Products", columns: TEMPLATE } }, token);
    // through the API, without a dry run: Product has no column, so the import fails
    const started = await uploadFile(
      app,
      token,
      template.data!.createImportTemplate.id,
      await readFile(SAMPLE),
      "q3-sales.csv",
    );
    await openPage(token);
    await page.goto(`/jobs/${started.data!.startImport.id}`);
    await status().filter({ hasText: "Failed" }).waitFor();
    await page.getByRole("button", { name: "Fix mapping" }).click();
    await page.getByRole("heading", { name: "Match the columns" }).waitFor();
    // a failed import has nothing to confirm yet: only a new check
    expect(await page.getByRole("button", { name: /^Import \d+ rows?$/ }).count()).toBe(0);
    await chooseSource("Product", "Name");
    await shot(page, "failed-fix");
    await page.getByRole("button", { name: "Check again" }).click();

    // the retried run is a dry run, watched on the same page after the failed run's events ended
    const importAll = page.getByRole("button", { name: `Import ${SAMPLE_ROWS} rows` });
    await importAll.waitFor();
    await expect.poll(() => importAll.isEnabled()).toBe(true);
    expect(await status().textContent()).toBe(`Needs review: ${SAMPLE_ROWS} rows ready to import, 0 rejected`);
    await importAll.click();
    await expect.poll(() => status().textContent()).toBe(`Completed: ${SAMPLE_ROWS} rows imported, 0 rejected`);
    await shot(page, "failed-fixed-completed");
    expect(problems).toEqual([]);
  }, 60_000);

  it("pages through a completed import's records, 50 at a time", async () => {
    const token = await signUp("barbara@example.com");
    const template = await app.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
    const rows = Array.from({ length: 120 }, (_, i) => [`Item ${i + 1}`, i + 1, 1.5]);
    const done = await importFile(
      app,
      token,
      template.data!.createImportTemplate.id,
      await xlsxFile(rows, ["Name", "Quantity", "Unit Price"]),
      "items.xlsx",
    );
    expect(done.status).toBe("COMPLETED");
    await openPage(token);
    await page.goto(`/jobs/${done.id}/records`);
    const range = page.locator("#records-range");
    const firstCell = () => page.locator("tbody tr").first().locator("td").first().textContent();
    const pages: Array<[string, string]> = [
      ["Records 1–50 of 120", "Item 1"],
      ["Records 51–100 of 120", "Item 51"],
      ["Records 101–120 of 120", "Item 101"],
    ];
    for (const [i, [text, first]] of pages.entries()) {
      if (i > 0) await page.getByRole("link", { name: /^Next \d+ records$/ }).click();
      await range.filter({ hasText: text }).waitFor();
      expect(await page.locator("tbody tr").count()).toBe(i < 2 ? 50 : 20);
      expect(await firstCell()).toBe(first);
    }
    expect(await page.getByRole("link", { name: /^Next/ }).count()).toBe(0);
    await shot(page, "records-last-page");
    // Back is the previous page: its place is in the address
    await page.goBack();
    await range.filter({ hasText: "Records 51–100 of 120" }).waitFor();
    expect(problems).toEqual([]);
  });

  it("answers an unknown path with a 404 page that links home", async () => {
    await openPage(await signUp("alan@example.com"));
    const response = await page.goto("/no/such/page");
    expect(response?.status()).toBe(404);
    await page.getByRole("heading", { name: "There is no such page" }).waitFor();
    await shot(page, "not-found");
    await page.getByRole("link", { name: "Go to the home page" }).click();
    await page.getByRole("heading", { name: "Import a spreadsheet" }).waitFor();
    // Chromium logs any 404 it loads, the page itself included; nothing else went wrong
    expect(problems).toEqual([
      "console: Failed to load resource: the server responded with a status of 404 (Not Found)",
    ]);
  });
});
