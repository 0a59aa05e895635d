import type { SheetFormat } from "../spreadsheet/sheetWriter.js";

/** Characters Windows, macOS or Linux refuse in a file name. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f<>:"/\\|?*]+/g;

/**
 * The name a download is saved under: the template's name and the day, like
 * `Orders 2026-11-29.xlsx`, with the characters file systems refuse replaced.
 */
export function exportFileName(templateName: string, format: SheetFormat, at: Date): string {
  const base = templateName.replace(UNSAFE, " ").trim().slice(0, 100) || "export";
  return `${base} ${at.toISOString().slice(0, 10)}.${format.toLowerCase()}`;
}
