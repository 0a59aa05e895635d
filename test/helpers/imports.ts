import * as XLSX from "@e965/xlsx";
import ExcelJS from "exceljs";
import { print } from "graphql";
import type { ImportOptions, StartImportMutationVariables } from "../gql/graphql.js";
import { GetImport, StartImport } from "../operations.js";
import { FINAL_STATUSES, waitForJobRow } from "./jobs.js";
import type { TestApp } from "./testApp.js";

/** The template the import tests use: every column type, two of them required. */
export const orderColumns = [
  { key: "name", header: "Name", type: "STRING" as const, required: true },
  { key: "quantity", header: "Quantity", type: "INTEGER" as const },
  { key: "unitPrice", header: "Unit Price", type: "DECIMAL" as const, required: true },
  { key: "active", header: "Active", type: "BOOLEAN" as const },
  { key: "shipDate", header: "Ship Date", type: "DATE" as const },
  { key: "email", header: "Contact Email", type: "EMAIL" as const },
];

export const orderHeaders = orderColumns.map((c) => c.header);

/** An .xlsx with typed cells: numbers, booleans and dates as Excel stores them. */
export async function xlsxFile(rows: unknown[][], headers = orderHeaders): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Orders");
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A legacy BIFF8 .xls, written by SheetJS. */
export function xlsFile(rows: unknown[][], headers = orderHeaders): Buffer {
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, XLSX.utils.aoa_to_sheet([headers, ...rows], { cellDates: true }), "Orders");
  return XLSX.write(workbook, { bookType: "biff8", type: "buffer" }) as Buffer;
}

/** How {@link uploadFile} sends a file: its ImportOptions, and the headers besides the token. */
export interface UploadOptions {
  options?: ImportOptions;
  /** Default: the CSRF header multipart requests need. */
  headers?: Record<string, string>;
}

/** Sends `startImport` as a GraphQL multipart request (operations, map, then the file). */
export async function uploadFile(
  t: Pick<TestApp, "url">,
  token: string,
  templateId: string,
  file: Buffer,
  fileName: string,
  { options, headers = { "x-graphql-yoga-csrf": "1" } }: UploadOptions = {},
) {
  const body = new FormData();
  const variables: StartImportMutationVariables = { templateId, file: null, options };
  body.append("operations", JSON.stringify({ query: print(StartImport), variables }));
  body.append("map", JSON.stringify({ 0: ["variables.file"] }));
  body.append("0", new Blob([new Uint8Array(file)]), fileName);
  const response = await fetch(t.url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...headers },
    body,
  });
  const result = (await response.json()) as {
    data?: { startImport: { id: string; status: string; phase: string; backgroundJobId: string | null } } | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
  return { status: response.status, ...result };
}

/** Resolves once the import's row satisfies `done`. */
export function waitForImport(
  databaseUrl: string,
  id: string,
  done: (row: ImportState) => boolean,
  timeoutMs?: number,
): Promise<ImportState> {
  const columns =
    "status, phase, attempts, error_message, rows_imported, rows_failed, background_job_id, file_id, file_type";
  return waitForJobRow(databaseUrl, "imports", columns, id, done, timeoutMs);
}

export interface ImportState {
  status: string;
  phase: string;
  attempts: number;
  error_message: string | null;
  rows_imported: number;
  rows_failed: number;
  background_job_id: string | null;
  file_id: string | null;
  file_type: string;
}

/** The import has ended. */
export const isFinal = (row: ImportState) => FINAL_STATUSES.includes(row.status);

/** The import has stopped moving: it ended, or waits in NEEDS_REVIEW. */
export const isSettled = (row: ImportState) => isFinal(row) || row.status === "NEEDS_REVIEW";

/**
 * Uploads a file as a real multipart request, waits for its import to end, and reads it back
 * through GraphQL with its first 20 records and row errors; `fileType` is the type the upload was
 * taken for.
 */
export async function importFile(
  t: TestApp,
  token: string,
  templateId: string,
  file: Buffer,
  fileName: string,
  upload?: UploadOptions,
) {
  const started = await uploadFile(t, token, templateId, file, fileName, upload);
  if (!started.data) throw new Error(`startImport failed: ${JSON.stringify(started.errors)}`);
  const { id } = started.data.startImport;
  const { file_type: fileType } = await waitForImport(t.database.url, id, isFinal);
  const result = await t.request(GetImport, { id, first: 20 }, token);
  if (!result.data?.import) throw new Error(`import(id) failed: ${JSON.stringify(result.errors)}`);
  return { ...result.data.import, fileType };
}
