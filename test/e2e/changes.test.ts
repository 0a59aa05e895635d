import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, fillColumns, launchChromium, pageProblems, screenshotter } from "../helpers/browser.js";
import { importFile, xlsxFile } from "../helpers/imports.js";
import { startTestApp, type TestApp } from "../helpers/testApp.js";
import { CreateTemplate, SignUp } from "../operations.js";

// the same phone-ish width as the other page tests: the editor and the changes table must work there
const VIEWPORT = { width: 420, height: 860 };

let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let shot: Awaited<ReturnType<typeof screenshotter>>;

/** One GraphQL request over real HTTP, as the page sends them, for what the page does not show. */
async function httpQuery<T>(query: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const response = await fetch(app.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const result = (await response.json()) as { data?: T; errors?: unknown[] };
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

const csv = (lines: string[]) => ({
  name: "products.csv",
  mimeType: "text/csv",
  buffer: Buffer.from(lines.join("\n")),
});

describeInBrowser("rules, key columns and the change report on the web page, in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
    app = await startTestApp();
    shot = await screenshotter("changes");
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** A page of its own, signed in as `token`, in Paris (so a date-time entered is UTC+1 or +2). */
  async function openPage(token: string): Promise<void> {
    context = await browser.newContext({
      viewport: VIEWPORT,
      baseURL: new URL("/", app.url).href,
      locale: "en-GB",
      timezoneId: "Europe/Paris",
    });
    await context.addInitScript((t) => localStorage.setItem("xls-importer.token", t), token);
    page = await context.newPage();
    problems = pageProblems(page);
  }

  async function signUp(email: string): Promise<string> {
    const answer = await app.request(SignUp, { email, password: "correct horse" });
    return answer.data!.signUp.token;
  }

  const status = () => page.locator("#job-status");
  const column = (n: number) => page.getByRole("group", { name: `Column ${n}`, exact: true });
  const keyChoices = () => page.getByRole("group", { name: "Key columns" });
  const fitsTheScreen = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  /** A column's rules, unfolded. */
  async function rules(row: Locator): Promise<Locator> {
    const details = row.locator("details.rules");
    if ((await details.getAttribute("open")) === null) await details.locator("summary").click();
    return details;
  }
  /** The changes table's rows as text, as they look: row, change, key, what changed ("Quantity: 5 → 7"), each field. */
  const changeRows = (section: Locator) =>
    section.locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) =>
        [...tr.children].map((cell) => {
          const copy = cell.cloneNode(true) as HTMLElement;
          for (const hidden of copy.querySelectorAll(".visually-hidden")) hidden.remove();
          return copy.textContent;
        }),
      ),
    );

  async function upload(lines: string[], mode?: string): Promise<void> {
    await page.getByRole("link", { name: "Import", exact: true }).click();
    await page.getByRole("button", { name: "Upload and check" }).waitFor();
    if (mode) await page.getByLabel(mode).check();
    await page.getByLabel("Spreadsheet").setInputFiles(csv(lines));
    await page.getByRole("button", { name: "Upload and check" }).click();
    await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
    await status().filter({ hasText: "Needs review" }).waitFor();
  }

  it("makes a keyed template with rules in the editor, imports a file twice and shows what each import changed", async () => {
    const token = await signUp("ada@example.com");
    await openPage(token);
    await page.goto("/templates/new");
    await page.getByLabel("Template name").fill("Products");
    await fillColumns(page, [
      { header: "SKU", type: "STRING" },
      { header: "Name", type: "STRING", required: true },
      { header: "Status", type: "STRING" },
      { header: "Quantity", type: "INTEGER" },
    ]);

    // only the rules that fit each type are offered
    const status3 = await rules(column(3));
    await status3.getByLabel("Allowed values").fill("Active\nPaused\nRetired");
    expect(await status3.getByLabel("Smallest").isVisible()).toBe(false);
    const quantity = await rules(column(4));
    expect(await quantity.getByLabel("Allowed values").isVisible()).toBe(false);
    expect(await quantity.getByLabel("Pattern").isVisible()).toBe(false);
    await quantity.getByLabel("Smallest").fill("0");
    expect(await column(4).locator("summary").textContent()).toBe("Rules: at least 0");
    // a pattern RE2 cannot compile: the server's message shows beside the form, and nothing is saved
    const sku = await rules(column(1));
    await sku.getByLabel("Pattern").fill("^[A-Z]+-(\\d+$");

    // SKU identifies a record: choosing it makes it required, and repeats are then key errors
    await keyChoices().getByLabel("SKU").check();
    expect(await column(1).getByLabel("Required").isChecked()).toBe(true);
    expect(await column(1).getByLabel("Required").isDisabled()).toBe(true);
    expect(await page.getByLabel("A row repeated exactly in one file").isDisabled()).toBe(true);
    expect(await fitsTheScreen()).toBe(true);
    await page.getByRole("button", { name: "Create template" }).click();
    const alert = page.locator("form [role=alert]");
    await alert.filter({ hasText: /pattern/i }).waitFor();
    expect(await alert.textContent()).toMatch(/SKU|sku/);
    expect(page.url()).toMatch(/\/templates\/new$/);
    await shot(page, "template-refused");
    await sku.getByLabel("Pattern").fill("^[A-Z]+-\\d+$");
    expect(await column(1).locator("summary").textContent()).toBe("Rules: matches ^[A-Z]+-\\d+$");
    await shot(page, "template");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL("**/?template=*");

    // the upload page offers the modes, since the template has a key
    await page.getByRole("group", { name: "What this import may do" }).waitFor();
    expect(await page.getByLabel("Add new records and update existing ones").isChecked()).toBe(true);
    expect(await page.locator("#template-columns").textContent()).toBe(
      "Columns: SKU (key), Name (required), Status, Quantity",
    );

    // the first file: two good rows (paused stored as Paused) and two that break a rule
    await upload([
      "SKU,Name,Status,Quantity",
      "A-1,Widget,Active,5",
      "A-2,Gadget,paused,3",
      "A-3,Gizmo,actve,2",
      "A-4,Doohickey,Active,-5",
    ]);
    const rejected = page.locator("ul.row-errors li");
    await expect
      .poll(() => rejected.allTextContents())
      .toEqual([
        "Row 4, Status: “actve” — must be one of Active, Paused, Retired; got 'actve'",
        "Row 5, Quantity: “-5” — must be at least 0; got -5",
      ]);
    // the section is named by its heading, and so is its table's scrolling region
    const review = page.locator("section.changes").filter({ hasText: "What the import would change" });
    expect(await page.locator("section.changes .change-counts").textContent()).toBe(
      "2 records would be created, 0 would be updated, 0 would be unchanged.",
    );
    expect(await changeRows(review)).toEqual([
      ["2", "Created", "A-1", "", "Widget", "Active", "5"],
      ["3", "Created", "A-2", "", "Gadget", "Paused", "3"],
    ]);
    await page.getByRole("button", { name: "Import 2 rows" }).click();
    await expect.poll(() => status().textContent()).toBe("Completed: 2 rows imported, 2 rejected");

    // the second file: one row changed, one the same, one new
    await upload(["SKU,Name,Status,Quantity", "A-1,Widget,Active,7", "A-2,Gadget,Paused,3", "A-5,Sprocket,Retired,1"]);
    const counts = page.locator("section.changes .change-counts");
    await expect
      .poll(() => counts.textContent())
      .toBe("1 record would be created, 1 would be updated, 1 would be unchanged.");
    expect(await changeRows(review)).toEqual([
      ["2", "Updated", "A-1", "Quantity: 5 → 7", "Widget", "Active", "7"],
      ["3", "Unchanged", "A-2", "", "Gadget", "Paused", "3"],
      ["4", "Created", "A-5", "", "Sprocket", "Retired", "1"],
    ]);
    // the change reads "Quantity changed from 5 to 7" to a screen reader; the field is marked in the row
    const diff = review.locator("td.diff li");
    expect(await diff.count()).toBe(1);
    expect(await diff.locator("del").textContent()).toBe("5");
    expect(await diff.locator("ins").textContent()).toBe("7");
    expect(
      await diff.evaluate((li) =>
        [...li.childNodes]
          .filter((n) => (n as Element).getAttribute?.("aria-hidden") !== "true")
          .map((n) => n.textContent)
          .join(""),
      ),
    ).toBe("Quantity changed from 5 to 7");
    expect(await review.locator("td.changed").allTextContents()).toEqual(["7 (changed)"]);
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, "review-changes");
    await page.getByRole("button", { name: "Import 3 rows" }).click();

    // saved: the counts, the facts and the table, which filters by kind
    await expect.poll(() => status().textContent()).toBe("Completed: 3 rows imported, 0 rejected");
    const saved = page.locator("section.changes").filter({ hasText: "Changes to the records" });
    await saved.waitFor();
    expect(await page.locator("section.changes .change-counts").textContent()).toBe(
      "1 record created, 1 updated, 1 unchanged.",
    );
    expect(await page.locator('dt:text-is("Records") + dd').textContent()).toBe("1 created, 1 updated, 1 unchanged");
    expect(await changeRows(saved)).toHaveLength(3);
    await page.getByRole("button", { name: "Updated (1)" }).click();
    await expect
      .poll(() => changeRows(saved))
      .toEqual([["2", "Updated", "A-1", "Quantity: 5 → 7", "Widget", "Active", "7"]]);
    expect(await page.getByRole("button", { name: "Updated (1)" }).getAttribute("aria-pressed")).toBe("true");
    await shot(page, "completed-updated");
    await page.getByRole("button", { name: "Created (1)" }).click();
    await expect.poll(() => changeRows(saved)).toEqual([["4", "Created", "A-5", "", "Sprocket", "Retired", "1"]]);
    await page.getByRole("button", { name: "All (3)" }).click();
    await expect.poll(() => changeRows(saved).then((r) => r.length)).toBe(3);

    // a file that may only update: its new key is a row error, named by the mode
    await upload(
      ["SKU,Name,Status,Quantity", "A-1,Widget,Retired,7", "A-6,Cog,Active,1"],
      "Only update existing records",
    );
    await expect
      .poll(() => rejected.allTextContents())
      .toEqual(["Row 3, SKU: “A-6” — no record has the key SKU 'A-6', and this import only updates records"]);
    expect(await counts.textContent()).toBe("0 records would be created, 1 would be updated, 0 would be unchanged.");
    expect(await changeRows(review)).toEqual([
      ["2", "Updated", "A-1", "Status: Active → Retired", "Widget", "Retired", "7"],
    ]);
    await page.getByRole("button", { name: "Cancel import" }).click();
    await expect.poll(() => status().textContent()).toBe("Cancelled: nothing was saved");

    // the editor shows the rules and the key as saved; the key cannot change now that records are keyed by it
    await page.getByRole("link", { name: "Templates", exact: true }).click();
    await page.getByRole("link", { name: "Edit Products" }).click();
    await page.getByRole("heading", { name: "Edit Products" }).waitFor();
    expect(await column(3).locator("summary").textContent()).toBe("Rules: one of Active, Paused, Retired");
    expect(await (await rules(column(3))).getByLabel("Allowed values").inputValue()).toBe("Active\nPaused\nRetired");
    expect(await keyChoices().getByLabel("SKU").isChecked()).toBe(true);
    await keyChoices().getByLabel("SKU").uncheck();
    await keyChoices().getByLabel("Name").check();
    await page.getByRole("button", { name: "Save template" }).click();
    await alert.filter({ hasText: "cannot change once it has saved imports" }).waitFor();
    await shot(page, "key-change-refused");
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it("sends only the rules that fit each column's type, dates in the person's own time, and the duplicates policy", async () => {
    const token = await signUp("grace@example.com");
    await openPage(token);
    await page.goto("/templates/new");
    await page.getByLabel("Template name").fill("Events");
    await fillColumns(page, [
      { header: "Title", type: "STRING", required: true },
      { header: "Day", type: "DATE" },
      { header: "Starts", type: "DATETIME" },
      { header: "Contact", type: "EMAIL" },
    ]);
    const day = await rules(column(2));
    await day.getByLabel("Earliest").fill("2024-01-01");
    const starts = await rules(column(3));
    await starts.getByLabel("Latest (your time)").fill("2024-06-30T12:00:00");
    const contact = await rules(column(4));
    await contact.getByLabel("Most characters").fill("80");
    await contact.getByLabel("Unique in a file").check();
    // a length typed for a STRING column is not sent once the column becomes a number
    const title = await rules(column(1));
    await title.getByLabel("Most characters").fill("5");
    await column(1).getByLabel("Type").selectOption("DECIMAL");
    expect(await title.getByLabel("Most characters").isVisible()).toBe(false);
    await title.getByLabel("Largest").fill("2.5");
    await page.getByLabel("A row repeated exactly in one file").selectOption("REJECT");
    await shot(page, "template-types");
    await page.getByRole("button", { name: "Create template" }).click();
    await page.waitForURL("**/?template=*");
    // without key columns there is no mode to choose
    expect(await page.getByRole("group", { name: "What this import may do" }).isVisible()).toBe(false);

    const id = new URL(page.url()).searchParams.get("template");
    const { importTemplate } = await httpQuery<{
      importTemplate: { keyColumns: string[]; duplicates: string; columns: Array<Record<string, unknown>> };
    }>(
      `query ($id: ID!) { importTemplate(id: $id) { keyColumns duplicates
        columns { key type allowedValues min max minLength maxLength pattern unique } } }`,
      { id },
      token,
    );
    expect(importTemplate.keyColumns).toEqual([]);
    expect(importTemplate.duplicates).toBe("REJECT");
    const none = { allowedValues: null, min: null, max: null, minLength: null, maxLength: null, pattern: null };
    expect(importTemplate.columns).toEqual([
      { ...none, key: "title", type: "DECIMAL", max: "2.5", unique: false },
      { ...none, key: "day", type: "DATE", min: "2024-01-01", unique: false },
      // noon in Paris in summer is 10:00 UTC
      { ...none, key: "starts", type: "DATETIME", max: "2024-06-30T10:00:00.000Z", unique: false },
      { ...none, key: "contact", type: "EMAIL", maxLength: 80, unique: true },
    ]);

    // and back in the editor, the date-time reads as entered
    await page.goto(`/templates/${id}`);
    await page.getByRole("heading", { name: "Edit Events" }).waitFor();
    expect(await (await rules(column(3))).getByLabel("Latest (your time)").inputValue()).toBe("2024-06-30T12:00");
    expect(await page.getByLabel("A row repeated exactly in one file").inputValue()).toBe("REJECT");
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("keeps a 30-column template with rules compact in the editor: a line per column, its rules folded and summed up", async () => {
    const token = await signUp("edsger@example.com");
    const types = ["STRING", "INTEGER", "DECIMAL", "DATE", "EMAIL"] as const;
    const columns = Array.from({ length: 30 }, (_, i) => ({
      key: `field${i + 1}`,
      header: `Field ${i + 1}`,
      type: types[i % types.length]!,
      required: i === 0,
      ...(i % 5 === 0 && { allowedValues: ["Yes", "No"], unique: true }),
      ...(i % 5 === 1 && { min: "0", max: "100" }),
    }));
    const created = await httpQuery<{ createImportTemplate: { id: string } }>(
      `mutation ($input: CreateImportTemplateInput!) { createImportTemplate(input: $input) { id } }`,
      { input: { name: "Wide", columns, keyColumns: ["field1"] } },
      token,
    );
    await openPage(token);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`/templates/${created.createImportTemplate.id}`);
    await page.getByRole("heading", { name: "Edit Wide" }).waitFor();
    const rows = page.locator("fieldset.column-row");
    expect(await rows.count()).toBe(30);
    // one line of controls and one of rules: under 150 px a column at this width
    const heights = await rows.evaluateAll((all) => all.map((row) => row.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(150);
    expect(await column(1).locator("summary").textContent()).toBe("Rules: one of Yes, No · unique");
    expect(await column(2).locator("summary").textContent()).toBe("Rules: 0 to 100");
    expect(await column(3).locator("summary").textContent()).toBe("Rules: none");
    expect(await keyChoices().locator("input:checked").count()).toBe(1);
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, "wide-template");
    // saved unchanged, it is the same template
    await page.getByRole("button", { name: "Save template" }).click();
    await page.getByRole("heading", { name: "Templates" }).waitFor();
    const { importTemplate } = await httpQuery<{ importTemplate: { keyColumns: string[]; columns: unknown[] } }>(
      `query ($id: ID!) { importTemplate(id: $id) { keyColumns
        columns { key header type required aliases allowedValues min max minLength maxLength pattern unique } } }`,
      { id: created.createImportTemplate.id },
      token,
    );
    const none = { aliases: [], allowedValues: null, min: null, max: null, minLength: null, maxLength: null };
    expect(importTemplate.keyColumns).toEqual(["field1"]);
    expect(importTemplate.columns).toEqual(
      columns.map((c) => ({ ...none, pattern: null, unique: false, ...c, required: c.required })),
    );
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);

  it("counts repeated rows on a template without keys, and pages through its changes", async () => {
    const token = await signUp("barbara@example.com");
    const columns = [
      { key: "name", header: "Name", type: "STRING" as const, required: true },
      { key: "quantity", header: "Quantity", type: "INTEGER" as const },
    ];
    const template = await app.request(CreateTemplate, { input: { name: "Orders", columns } }, token);
    const rows = Array.from({ length: 45 }, (_, i) => [`Item ${i + 1}`, i + 1]);
    // two exact repeats, skipped by the default policy
    rows.push(["Item 1", 1], ["Item 2", 2]);
    const done = await importFile(
      app,
      token,
      template.data!.createImportTemplate.id,
      await xlsxFile(rows, ["Name", "Quantity"]),
      "items.xlsx",
    );
    expect(done.status).toBe("COMPLETED");
    await openPage(token);
    await page.goto(`/jobs/${done.id}`);
    const saved = page.locator("section.changes").filter({ hasText: "Changes to the records" });
    await saved.waitFor();
    expect(await page.getByRole("region", { name: "Changes to the records" }).locator("table").count()).toBe(1);
    expect(await page.locator("section.changes .change-counts").textContent()).toBe(
      "45 records created; 2 repeated rows skipped.",
    );
    expect(await page.locator('dt:text-is("Repeated rows skipped") + dd').textContent()).toBe("2");
    // no key column: every row is its own record, with no key cell
    expect(await saved.locator("thead th").allTextContents()).toEqual(["Row", "Change", "Name", "Quantity"]);
    const more = page.getByRole("button", { name: "Show more changes" });
    for (const count of [20, 40, 45]) {
      await expect.poll(() => saved.locator("tbody tr").count()).toBe(count);
      if (count < 45) await more.click();
    }
    expect(await more.isVisible()).toBe(false);
    expect(await changeRows(saved).then((r) => r.at(-1))).toEqual(["46", "Created", "Item 45", "45"]);
    expect(await page.locator('dt:text-is("Records") + dd').textContent()).toBe("45 created");
    // every change is a create: there is nothing to filter
    expect(await page.getByRole("group", { name: "Show changes" }).count()).toBe(0);
    await shot(page, "repeats");
    expect(problems).toEqual([]);
    await context.close();
  }, 60_000);
});
