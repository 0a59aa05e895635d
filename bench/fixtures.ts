/**
 * The generated files the scenarios read, and the rows in them. Deterministic: a seeded generator,
 * so the same parameters give the same rows; kept in bench/fixtures/ (git-ignored) under a name
 * holding a hash of the parameters and of this file's source, so a file is reused as long as both
 * are unchanged, and made anew when either changes.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ExcelJS from "exceljs";
import { BENCH_DIR } from "./harness.js";

/** The template every import scenario uses: ten columns, of every type a sheet commonly holds. */
export const COLUMNS = [
  { key: "name", header: "Name", type: "STRING", required: true },
  { key: "quantity", header: "Quantity", type: "INTEGER", required: true },
  { key: "unitPrice", header: "Unit Price", type: "DECIMAL", required: true },
  { key: "active", header: "Active", type: "BOOLEAN", required: false },
  { key: "shipDate", header: "Ship Date", type: "DATE", required: false },
  { key: "email", header: "Contact Email", type: "EMAIL", required: false },
  { key: "city", header: "City", type: "STRING", required: false },
  { key: "notes", header: "Notes", type: "STRING", required: false },
  { key: "code", header: "Code", type: "STRING", required: false },
  { key: "score", header: "Score", type: "DECIMAL", required: false },
] as const;

type Value = string | number | boolean | Date | null;

const CITIES = ["Lisbon", "Porto", "Madrid", "Paris", "Lyon", "Berlin", "Hamburg", "Vienna", "Prague", "Warsaw"];
const NOTES = ["fragile", "call before delivery", "gift wrap", "leave at the door", "second attempt"];

/** mulberry32: small, fast, and the same sequence on every machine. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` rows of typed values (dates at UTC midnight, blanks as null). Only Name is unique per
 * row, so a shared-strings file of n rows holds n unique strings plus a few thousand.
 */
export function* rows(count: number): Generator<Value[]> {
  const next = random(14);
  const int = (n: number) => Math.floor(next() * n);
  for (let i = 0; i < count; i++) {
    yield [
      `Item ${i}`,
      int(10_000),
      int(1_000_000) / 100,
      next() < 0.1 ? null : next() < 0.5,
      next() < 0.05 ? null : new Date(Date.UTC(2020, 0, 1 + int(2_000))),
      next() < 0.1 ? null : `buyer${int(1_000)}@example.com`,
      CITIES[int(CITIES.length)]!,
      next() < 0.7 ? null : NOTES[int(NOTES.length)]!,
      `SKU-${int(5_000)}`,
      next() < 0.1 ? null : int(1_000_000) / 1000,
    ];
  }
}

const SOURCE_HASH = createHash("sha256")
  .update(fs.readFileSync(fileURLToPath(import.meta.url)))
  .digest("hex");

/**
 * The path of the fixture for `params`, written by `write` unless a complete one is there already
 * (written to a temporary name first, so an interrupted run leaves nothing that looks complete).
 */
async function fixture(
  name: string,
  extension: string,
  params: object,
  write: (file: string) => Promise<void>,
): Promise<string> {
  const hash = createHash("sha256").update(SOURCE_HASH).update(JSON.stringify(params)).digest("hex").slice(0, 12);
  const dir = path.join(BENCH_DIR, "fixtures");
  const file = path.join(dir, `${name}-${hash}${extension}`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(dir, { recursive: true });
  const partial = `${file}.partial`;
  await write(partial);
  fs.renameSync(partial, file);
  return file;
}

const fixed = new Date(Date.UTC(2024, 0, 1));

/** `count` rows in an xlsx, strings inline or in a shared-strings table. */
export function xlsxFixture(count: number, sharedStrings: boolean): Promise<string> {
  const name = `orders-${count}${sharedStrings ? "-shared" : ""}`;
  return fixture(name, ".xlsx", { count, sharedStrings }, async (file) => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: sharedStrings });
    workbook.created = fixed;
    workbook.modified = fixed;
    const sheet = workbook.addWorksheet("Orders");
    sheet.addRow(COLUMNS.map((column) => column.header)).commit();
    for (const row of rows(count)) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
  });
}

/** The same rows as a UTF-8 csv (ISO dates, `true`/`false`, blanks empty). */
export function csvFixture(count: number): Promise<string> {
  return fixture(`orders-${count}`, ".csv", { count }, (file) => writeCsv(file, rows(count)));
}

/**
 * A csv of at least `bytes` bytes, of the same rows: the upload scenario's file, whose size is
 * what matters.
 */
export function csvOfSize(bytes: number): Promise<string> {
  return fixture(`upload-${bytes}`, ".csv", { bytes }, async (file) => {
    function* enough() {
      let written = 0;
      for (const row of rows(Number.MAX_SAFE_INTEGER)) {
        if (written >= bytes) return;
        written += csvLine(row).length + 1;
        yield row;
      }
    }
    await writeCsv(file, enough());
  });
}

function csvLine(row: Value[]): string {
  return row
    .map((value) => (value === null ? "" : value instanceof Date ? value.toISOString().slice(0, 10) : String(value)))
    .join(",");
}

async function writeCsv(file: string, source: Iterable<Value[]>): Promise<void> {
  const out = fs.createWriteStream(file);
  let chunk = `${COLUMNS.map((column) => column.header).join(",")}\n`;
  for (const row of source) {
    chunk += `${csvLine(row)}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}
