/**
 * How fast a whole import runs (multipart upload → stored file → worker task → rows in
 * PostgreSQL), side by side with a baseline in the same run: the same file merely parsed by the
 * same library, with no validation and no database. The ratio says what everything we add costs
 * on top of parsing; peak RSS says whether memory stays flat as files grow.
 */
import { openAsBlob } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";
import pg from "pg";
import type { App } from "../src/app.js";
import { createTemplate, signUp } from "./graphqlClient.js";

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

const columns = [
  { key: "name", header: "Name", type: "STRING", required: true },
  { key: "quantity", header: "Quantity", type: "INTEGER", required: true },
  { key: "unitPrice", header: "Unit Price", type: "DECIMAL", required: true },
  { key: "active", header: "Active", type: "BOOLEAN" },
  { key: "shipDate", header: "Ship Date", type: "DATE" },
  { key: "email", header: "Contact Email", type: "EMAIL" },
];

function row(i: number): unknown[] {
  return [
    `Item ${i}`,
    i % 1000,
    (i % 10000) / 100,
    i % 2 === 0,
    new Date(Date.UTC(2024, 0, 1 + (i % 365))),
    `buyer${i}@example.com`,
  ];
}

async function makeCsv(file: string) {
  const lines = [columns.map((c) => c.header).join(",")];
  for (let i = 0; i < ROWS; i++) {
    const [name, quantity, price, active, date, email] = row(i) as [string, number, number, boolean, Date, string];
    lines.push(`${name},${quantity},${price},${active},${date.toISOString().slice(0, 10)},${email}`);
  }
  await fs.writeFile(file, lines.join("\n") + "\n");
}

async function makeXlsx(file: string) {
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const sheet = writer.addWorksheet("Orders");
  sheet.addRow(columns.map((c) => c.header)).commit();
  for (let i = 0; i < ROWS; i++) sheet.addRow(row(i)).commit();
  await writer.commit();
}

/** The baseline: the library alone reading every row, nothing else. */
async function parseOnly(file: string, kind: "csv" | "xlsx"): Promise<number> {
  let rows = 0;
  if (kind === "csv") {
    for await (const record of (await fs.open(file)).createReadStream().pipe(parse())) rows += record ? 1 : 0;
  } else {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {});
    for await (const sheet of reader) for await (const sheetRow of sheet) rows += sheetRow ? 1 : 0;
  }
  return rows - 1;
}

/** Samples RSS while `fn` runs; returns its result, the seconds it took and the peak RSS in MiB. */
async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number; peakMiB: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  try {
    const result = await fn();
    return { result, seconds: (performance.now() - started) / 1000, peakMiB: peak / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** Uploads through the real multipart endpoint, then waits for the job_status notification of its end. */
async function importFile(url: string, databaseUrl: string, token: string, templateId: string, file: string) {
  const listener = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  await listener.query("listen job_status");
  try {
    // listen before uploading: a small file may finish before the upload's answer arrives
    const finished = new Map<string, string>();
    let wake = () => {};
    listener.on("notification", (message) => {
      const { id, status } = JSON.parse(message.payload ?? "{}") as { id: string; status: string };
      if (status === "COMPLETED" || status === "FAILED") finished.set(id, status);
      wake();
    });
    const body = new FormData();
    const query = "mutation ($t: ID!, $f: Upload!) { startImport(templateId: $t, file: $f) { id } }";
    body.append("operations", JSON.stringify({ query, variables: { t: templateId, f: null } }));
    body.append("map", JSON.stringify({ 0: ["variables.f"] }));
    body.append("0", await openAsBlob(file), path.basename(file));
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "x-graphql-yoga-csrf": "1" },
      body,
    });
    const started = (await response.json()) as { data?: { startImport: { id: string } }; errors?: unknown };
    if (!started.data) throw new Error(JSON.stringify(started.errors));
    const id = started.data.startImport.id;
    while (!finished.has(id)) await new Promise<void>((resolve) => (wake = resolve));
    if (finished.get(id) !== "COMPLETED") throw new Error(`import ended ${finished.get(id)}`);
    const { rows } = await listener.query("select rows_imported from imports where id = $1", [id]);
    return rows[0].rows_imported as number;
  } finally {
    await listener.end();
  }
}

/** Prints a markdown table: csv and xlsx imports of BENCH_ROWS rows against parsing alone. */
export async function importThroughput(app: App, databaseUrl: string, dir: string): Promise<void> {
  const url = app.url!;
  const token = await signUp(url);
  const templateId = await createTemplate(url, token, columns);
  console.log(`### Import throughput: ${ROWS.toLocaleString("en")} rows, 6 columns\n`);
  console.log(
    "| file | size | baseline: parse only | import (upload → rows in PostgreSQL) | ratio (import / baseline time) | process peak RSS during import |",
  );
  console.log("| --- | --- | --- | --- | --- | --- |");
  for (const kind of ["csv", "xlsx"] as const) {
    const file = path.join(dir, `orders.${kind}`);
    await (kind === "csv" ? makeCsv(file) : makeXlsx(file));
    const size = (await fs.stat(file)).size;
    const baseline = await measure(() => parseOnly(file, kind));
    if (baseline.result !== ROWS) throw new Error(`baseline read ${baseline.result} rows`);
    const imported = await measure(() => importFile(url, databaseUrl, token, templateId, file));
    if (imported.result !== ROWS) throw new Error(`import stored ${imported.result} rows`);
    const rate = (seconds: number) => `${Math.round(ROWS / seconds).toLocaleString("en")} rows/s`;
    console.log(
      `| ${kind} | ${(size / 1024 / 1024).toFixed(1)} MiB | ${baseline.seconds.toFixed(2)} s (${rate(baseline.seconds)}) | ` +
        `${imported.seconds.toFixed(2)} s (${rate(imported.seconds)}) | ${(imported.seconds / baseline.seconds).toFixed(2)} | ` +
        `${imported.peakMiB.toFixed(0)} MiB |`,
    );
  }
  console.log();
}
