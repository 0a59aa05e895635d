import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeInBrowser, launchChromium, pageProblems, screenshotter } from "../helpers/browser.js";
import { orderColumns, uploadFile, xlsxFile } from "../helpers/imports.js";
import { startTestApp, type TestApp } from "../helpers/testApp.js";
import { CreateTemplate, SignUp } from "../operations.js";

/** The API runs alone until the test starts a worker, so an import waits in PENDING till then. */
let t: TestApp;
let worker: TestApp | undefined;
let browser: Browser;

describeInBrowser("GraphiQL, in Chromium", () => {
  beforeAll(async () => {
    browser = await launchChromium();
    t = await startTestApp({ role: "api" });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
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

  it("runs a subscription as the bearer in its Headers tab and shows the job's events to COMPLETED", async () => {
    const { token } = (await t.request(SignUp, { email: "grace@example.com", password: "correct horse" })).data!.signUp;
    const template = await t.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
    const file = await xlsxFile([
      ["Widget", 3, 9.99],
      ["Gadget", 1, 0.5],
    ]);
    const upload = await uploadFile(t, token, template.data!.createImportTemplate.id, file, "orders.xlsx");
    const importId = upload.data!.startImport.id;

    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const problems = pageProblems(page);
    const shot = await screenshotter("graphiql-subscription");
    // what GraphiQL really sends and receives on its WebSocket, to see where the token travels
    const sent: Array<{ type: string; payload?: Record<string, unknown> }> = [];
    const received: Array<{ type: string; payload?: { data?: { jobStatus?: { status: string } } } }> = [];
    let completed = () => {};
    const complete = new Promise<void>((resolve) => (completed = resolve));
    page.on("websocket", (socket) => {
      socket.on("framesent", (frame) => sent.push(JSON.parse(String(frame.payload))));
      socket.on("framereceived", (frame) => {
        received.push(JSON.parse(String(frame.payload)));
        if (received.at(-1)?.type === "complete") completed();
      });
    });

    const query = `subscription { jobStatus(id: "${importId}") { status ... on Import { phase rowsImported } } }`;
    await page.goto(`${t.url}?query=${encodeURIComponent(query)}`);
    await page.getByRole("button", { name: "Headers" }).click();
    const headersEditor = page.locator(".graphiql-editor-tool .graphiql-editor:visible");
    await headersEditor.click();
    // one line, inserted as a paste would be: the editor closes brackets itself, and its own
    // closing brace is overtyped by the last character
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}` }));
    await shot(page, "headers");

    await page.locator(".graphiql-execute-button").click();
    const response = page.locator(".graphiql-response");
    // no worker yet: the import's first event is its waiting state (or, unfixed, an error at once)
    await response.getByText(/^"(PENDING|UNAUTHENTICATED)"$/).waitFor();
    expect((await response.innerText()).replace(/\s+/g, " ")).toContain('"status": "PENDING"');
    await shot(page, "pending");
    worker = await startTestApp({ role: "worker", database: t.database });
    await response.getByText('"COMPLETED"').waitFor();
    await shot(page, "completed");

    // the editor lays its text out with non-breaking spaces
    const shown = (await response.innerText()).replace(/\s+/g, " ");
    expect(shown).toContain('"rowsImported": 2');
    expect(shown).toContain('"phase": "DONE"');
    expect(shown).not.toContain("UNAUTHENTICATED");

    // the token went in the operation's extensions.headers, not in connection_init
    const init = sent.find((m) => m.type === "connection_init");
    expect(JSON.stringify(init?.payload ?? {})).not.toMatch(/authorization/i);
    const subscribe = sent.find((m) => m.type === "subscribe");
    expect(subscribe?.payload?.extensions).toEqual({ headers: { Authorization: `Bearer ${token}` } });
    // and the server answered with the job's events, in order, from PENDING to COMPLETED, then complete
    await complete;
    const statuses = received.filter((m) => m.type === "next").map((m) => m.payload?.data?.jobStatus?.status);
    expect(statuses[0]).toBe("PENDING");
    expect(statuses.at(-1)).toBe("COMPLETED");
    expect(received.at(-1)?.type).toBe("complete");
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
