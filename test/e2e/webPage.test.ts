import { copyFile, readFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  ARTIFACTS_DIR,
  describeInBrowser,
  fillColumns,
  launchChromium,
  pageProblems,
  screenshotter,
} from "../helpers/browser.js";
import { readXlsx } from "../helpers/exports.js";
import { orderColumns, uploadFile, xlsxFile } from "../helpers/imports.js";
import { startTestApp, type TestApp } from "../helpers/testApp.js";
import { CreateTemplate, SignUp } from "../operations.js";

// a phone-ish width: the page must work there, and the README's screenshot is taken at it
const VIEWPORT = { width: 420, height: 860 };

/** Two good rows and two bad ones (a quantity that is not a number, a missing name). */
const ROWS = [
  ["Widget", 3, 9.99],
  ["Gadget", "lots", 0.5],
  [null, 1, 2],
  ["Gizmo", 10, 1.25],
];

/**
 * The API runs alone at first, so the uploaded import waits in PENDING while the page is on it;
 * the test then starts a worker, and the page must show COMPLETED without being reloaded.
 */
let api: TestApp;
let worker: TestApp | undefined;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let shot: Awaited<ReturnType<typeof screenshotter>>;

describeInBrowser("the web page, in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
    api = await startTestApp({ role: "api" });
    context = await browser.newContext({
      viewport: VIEWPORT,
      baseURL: new URL("/", api.url).href,
      acceptDownloads: true,
    });
    page = await context.newPage();
    problems = pageProblems(page);
    shot = await screenshotter("web");
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await api?.stop();
  });

  const status = () => page.locator("#job-status");
  const fitsTheScreen = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  it("signs up, creates a template, imports an xlsx, watches it finish live, exports it and lists both jobs", async () => {
    // a first visit lands on sign in
    await page.goto("/");
    await page.waitForURL("**/signin?next=%2F");
    await page.getByLabel("Email").fill("ada@example.com");
    await page.getByLabel("Password").fill("correct horse");
    await shot(page, "signin");
    await page.getByRole("button", { name: "Create account" }).click();

    // no template yet: the upload page offers to create one
    await page.getByRole("heading", { name: "Import a spreadsheet" }).waitFor();
    await page.getByRole("link", { name: "Create a template" }).click();
    await page.getByLabel("Template name").fill("Orders");
    const columns = [
      { header: "Name", type: "STRING", required: true },
      { header: "Quantity", type: "INTEGER", required: false },
      { header: "Unit Price", type: "DECIMAL", required: true },
    ];
    await fillColumns(page, columns);
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, "new-template");
    await page.getByRole("button", { name: "Create template" }).click();

    // back on the upload page with the new template chosen
    await page.waitForURL("**/?template=*");
    await expect.poll(() => page.getByLabel("Template").inputValue()).not.toBe("");
    await page.getByLabel("Spreadsheet").setInputFiles({
      name: "orders.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer: await xlsxFile(ROWS, ["Name", "Quantity", "Unit Price"]),
    });
    await shot(page, "upload");
    await page.getByRole("button", { name: "Upload and check" }).click();

    // straight to the job's page, where its dry run waits for a worker
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    const importUrl = page.url();
    await page.getByRole("heading", { name: "Import of orders.xlsx" }).waitFor();
    await status().filter({ hasText: "Pending" }).waitFor();
    expect(await status().getAttribute("aria-live")).toBe("polite");
    // a queued or running import can be stopped
    expect(await page.getByRole("button", { name: "Cancel import" }).isEnabled()).toBe(true);
    await shot(page, "status-pending");

    // a reload would lose this marker
    await page.evaluate(() => ((window as unknown as Record<string, unknown>).sameDocument = true));
    worker = await startTestApp({ role: "worker", database: api.database });
    // the dry run ends in review: every column matched as it is, two rows would be imported
    await status().filter({ hasText: "Needs review" }).waitFor();
    await expect.poll(() => status().textContent()).toBe("Needs review: 2 rows ready to import, 2 rejected");
    const confirm = page.getByRole("button", { name: "Import 2 rows" });
    await confirm.waitFor();
    expect(await confirm.isEnabled()).toBe(true);
    await shot(page, "status-review");
    await confirm.click();
    await status().filter({ hasText: "Completed" }).waitFor();
    expect(await page.evaluate(() => (window as unknown as Record<string, unknown>).sameDocument)).toBe(true);
    expect(page.url()).toBe(importUrl);

    // counts and row errors
    await expect.poll(() => status().textContent()).toBe("Completed: 2 rows imported, 2 rejected");
    const fact = (term: string) => page.locator(`dt:text-is("${term}") + dd`);
    expect(await fact("Rows in file").textContent()).toBe("4");
    expect(await fact("Rows imported").textContent()).toBe("2");
    expect(await fact("Rows rejected").textContent()).toBe("2");
    const errorRows = page.getByRole("region", { name: "Rows with errors" }).locator("tbody tr");
    await errorRows.first().waitFor();
    const errorTexts = await errorRows.allTextContents();
    expect(errorTexts).toHaveLength(2);
    expect(errorTexts[0]).toMatch(/^3Quantitylots/);
    expect(errorTexts[1]).toMatch(/^4Name/);
    expect(await fitsTheScreen()).toBe(true);
    const completed = await shot(page, "status-completed");
    // UPDATE_README_SCREENSHOT=1 npx vitest run test/e2e refreshes the README's picture of this page
    if (process.env.UPDATE_README_SCREENSHOT) await copyFile(completed, path.resolve("docs/status-page.png"));

    // the error report downloads as an xlsx of the rejected rows
    const [report] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download the error report (xlsx)" }).click(),
    ]);
    const reportFile = path.join(ARTIFACTS_DIR, "web-error-report.xlsx");
    await report.saveAs(reportFile);
    expect((await readXlsx(await readFile(reportFile))).length).toBe(3); // headers and two rows

    // an export of that import, from the export page
    await page.getByRole("link", { name: "Export", exact: true }).click();
    await page.getByRole("heading", { name: "Export records" }).waitFor();
    await page.getByRole("button", { name: "Request export" }).waitFor();
    await page.getByLabel("Rows").selectOption({ label: await onlyOption(page) });
    await page.getByLabel("Excel (xlsx)").check();
    await shot(page, "request-export");
    await page.getByRole("button", { name: "Request export" }).click();
    await page.waitForURL((url) => /\/jobs\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== importUrl);
    await page.getByRole("heading", { name: "Export of Orders" }).waitFor();
    await status().filter({ hasText: "Completed: 2 rows exported" }).waitFor();
    const downloadLink = page.getByRole("link", { name: /^Download .*\.xlsx/ });
    await downloadLink.waitFor();
    await shot(page, "export-completed");
    const [download] = await Promise.all([page.waitForEvent("download"), downloadLink.click()]);
    const exportFile = path.join(ARTIFACTS_DIR, "web-export.xlsx");
    await download.saveAs(exportFile);
    const exported = await readXlsx(await readFile(exportFile));
    expect(exported.slice(1).map((row) => row.getCell(1).value)).toEqual(["Widget", "Gizmo"]);

    // my jobs: both, finished, and still there after leaving and coming back
    await page.getByRole("link", { name: "My jobs" }).click();
    const jobs = page.locator("li.job");
    await expect.poll(() => jobs.count()).toBe(2);
    await page.goto("about:blank");
    await page.goto("/jobs");
    await expect.poll(() => jobs.count()).toBe(2);
    const listed = await jobs.allTextContents();
    expect(listed[0]).toMatch(/^XLSX export of OrdersCompleted/);
    expect(listed[1]).toMatch(/^Import of orders\.xlsx into OrdersCompleted/);
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, "my-jobs");

    expect(problems).toEqual([]);
  }, 90_000);

  it("shows why a job failed to someone who comes back to its link later", async () => {
    worker ??= await startTestApp({ role: "worker", database: api.database });
    const signUp = await api.request(SignUp, { email: "grace@example.com", password: "long enough" });
    const token = signUp.data!.signUp.token;
    const template = await api.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
    // no Name and no Unit Price column: the whole file is refused
    const csv = Buffer.from("Quantity\n1\n");
    const started = await uploadFile(api, token, template.data!.createImportTemplate.id, csv, "short.csv");
    const id = started.data!.startImport.id;

    // a new browser, signed in as Grace (the page keeps the token in localStorage)
    const later = await browser.newContext({ viewport: VIEWPORT, baseURL: new URL("/", api.url).href });
    await later.addInitScript((t) => localStorage.setItem("xls-importer.token", t), token);
    const visit = await later.newPage();
    const visitProblems = pageProblems(visit);
    await visit.goto(`/jobs/${id}`);
    await visit.locator("#job-status").filter({ hasText: "Failed" }).waitFor();
    const alert = visit.getByRole("alert").filter({ hasText: /missing/i });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/Name/);
    // never a dead end: the mapping can be fixed, or the import retried
    await visit.getByRole("button", { name: "Retry" }).waitFor();
    await visit.getByRole("button", { name: "Fix mapping" }).click();
    await visit.getByRole("heading", { name: "Match the columns" }).waitFor();
    expect(await visit.getByLabel("Name").inputValue()).toBe("");
    await shot(visit, "status-failed");
    expect(visitProblems).toEqual([]);
    await later.close();
  });
});

/** The label of the export form's one "Only <file>" choice. */
async function onlyOption(page: Page): Promise<string> {
  const labels = await page.getByLabel("Rows").locator("option").allTextContents();
  const only = labels.filter((l) => l.startsWith("Only orders.xlsx"));
  expect(only).toHaveLength(1);
  return only[0]!;
}
