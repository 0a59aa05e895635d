// Checks that a production build serves with nothing but the production dependencies installed:
// run after `npm run build && npm prune --omit=dev` (CI's last step; README "Production"). Starts
// `node dist/main.js` as configured by the environment (no DATABASE_URL: the embedded PostgreSQL),
// on a free port, then signs up, creates a template, imports a CSV (so the file reader's compiled
// child runs too), loads the page, and stops the server with SIGTERM, which must exit 0.
// Plain JavaScript on Node's own modules: there is no tsx after the prune.
/* global fetch, FormData -- Node's own, as in browsers */
import { Blob } from "node:buffer";
import { spawn } from "node:child_process";
import console from "node:console";
import process from "node:process";
import readline from "node:readline";
import { setTimeout } from "node:timers";
import { URL } from "node:url";

/** How long the whole check may take: a first start of the embedded PostgreSQL runs initdb. */
const TIMEOUT_MS = 180_000;

const server = spawn(process.execPath, ["dist/main.js"], {
  env: { ...process.env, PORT: "0", HOST: "127.0.0.1", CI: "true", LOG_LEVEL: "info" },
  stdio: ["ignore", "pipe", "inherit"],
});
const exited = new Promise((resolve) => server.once("close", (code, signal) => resolve({ code, signal })));
const lines = [];
const ready = new Promise((resolve, reject) => {
  let url;
  let working = false;
  readline.createInterface({ input: server.stdout }).on("line", (text) => {
    lines.push(text);
    let line;
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    if (line.msg?.startsWith("GraphQL") && typeof line.url === "string") url = line.url;
    if (line.msg === "worker started") working = true;
    if (url && working) resolve(url);
  });
  void exited.then((exit) => reject(new Error(`the server exited before it served: ${JSON.stringify(exit)}`)));
});

function fail(err) {
  console.error(lines.join("\n"));
  console.error(`check-production: ${err instanceof Error ? err.message : String(err)}`);
  server.kill("SIGKILL");
  process.exit(1);
}
setTimeout(() => fail(new Error(`not done after ${TIMEOUT_MS} ms`)), TIMEOUT_MS).unref();

async function graphql(url, query, variables, token) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const result = await response.json();
  if (result.errors) throw new Error(`${query.split("(")[0]}: ${JSON.stringify(result.errors)}`);
  return result.data;
}

try {
  const url = await ready;
  const { signUp } = await graphql(
    url,
    'mutation ($email: String!) { signUp(email: $email, password: "long enough") { token } }',
    { email: `check-${Date.now()}@example.com` },
  );
  const { createImportTemplate: template } = await graphql(
    url,
    "mutation ($input: CreateImportTemplateInput!) { createImportTemplate(input: $input) { id } }",
    { input: { name: "Check", columns: [{ key: "name", header: "Name", type: "STRING", required: true }] } },
    signUp.token,
  );

  const upload = new FormData();
  upload.append(
    "operations",
    JSON.stringify({
      query: "mutation ($templateId: ID!, $file: Upload!) { startImport(templateId: $templateId, file: $file) { id } }",
      variables: { templateId: template.id, file: null },
    }),
  );
  upload.append("map", JSON.stringify({ 0: ["variables.file"] }));
  upload.append("0", new Blob(["Name\nfirst\nsecond\n"]), "check.csv");
  const started = await (
    await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${signUp.token}`, "x-graphql-yoga-csrf": "1" },
      body: upload,
    })
  ).json();
  if (started.errors) throw new Error(`startImport: ${JSON.stringify(started.errors)}`);

  // the import's status, until it ends (no subscription client here: graphql-ws is for the server)
  let state;
  do {
    await new Promise((resolve) => setTimeout(resolve, 200));
    ({ import: state } = await graphql(
      url,
      "query ($id: ID!) { import(id: $id) { status rowsImported errorMessage } }",
      { id: started.data.startImport.id },
      signUp.token,
    ));
  } while (!["COMPLETED", "FAILED", "CANCELLED", "NEEDS_REVIEW"].includes(state.status));
  if (state.status !== "COMPLETED" || state.rowsImported !== 2) throw new Error(`the import: ${JSON.stringify(state)}`);

  const page = await fetch(new URL("/", url));
  const html = await page.text();
  if (page.status !== 200 || !html.includes("/assets/app.js")) throw new Error(`GET /: ${page.status}`);
  const script = await fetch(new URL("/assets/app.js", url));
  if (script.status !== 200) throw new Error(`GET /assets/app.js: ${script.status}`);

  server.kill("SIGTERM");
  const exit = await exited;
  if (exit.code !== 0) throw new Error(`SIGTERM: exited ${JSON.stringify(exit)}`);
  console.log(`check-production: node dist/main.js served GraphQL, an import and the page at ${url}, and stopped`);
} catch (err) {
  fail(err);
}
