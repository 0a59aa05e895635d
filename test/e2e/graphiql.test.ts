import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, launchChromium, pageProblems, screenshotter } from "../helpers/browser.js";
import { startTestApp, type TestApp } from "../helpers/testApp.js";

let t: TestApp;
let browser: Browser;

describeInBrowser("GraphiQL, in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestApp({ role: "api" });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it("is served by this server alone, runs a query and shows the answer", async () => {
    // GraphiQL must work where this server is reachable and nothing else is (CI, an intranet)
    const html = await (await fetch(t.url, { headers: { accept: "text/html" } })).text();
    const remote = html.match(/(?:src|href)=["']?https?:\/\/[^"' >]+/g) ?? [];
    expect(
      remote,
      "GraphiQL's page loads code from another site; createYoga needs renderGraphiQL from @graphql-yoga/render-graphiql",
    ).toEqual([]);

    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const problems = pageProblems(page);
    const shot = await screenshotter("graphiql");
    // GraphiQL reads the editor's first contents from ?query=
    const query = `{ __type(name: "Job") { possibleTypes { name } } }`;
    await page.goto(`${t.url}?query=${encodeURIComponent(query)}`);
    const run = page.locator(".graphiql-execute-button");
    await run.waitFor();
    await run.click();
    const response = page.locator(".graphiql-response");
    await response.getByText('"Import"').waitFor();
    await shot(page, "query");
    // the result pane is an editor, whose text is laid out for people rather than JSON.parse
    const shown = await response.innerText();
    expect(shown).toContain('"possibleTypes"');
    expect(shown).toContain('"Export"');
    expect(problems).toEqual([]);
    await page.close();
  });
});
