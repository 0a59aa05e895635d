import { PermanentImportError } from "./permanentImportError.js";

/**
 * Picks the sheet to read from a workbook's visible sheets, given in workbook order (the order of
 * the tabs a person sees): the one named `wanted`, matched exactly and then ignoring case, or by
 * default the first. Returns `null` for a workbook without visible sheets when none is wanted.
 * (Readers that fall through an empty first sheet to the next ask only for a wanted one.)
 *
 * @throws {PermanentImportError} `SHEET_NOT_FOUND` when no visible sheet has the wanted name; the
 *   message lists the sheets there are.
 */
export function pickSheet<T extends { name: string }>(sheets: readonly T[], wanted: string | undefined): T | null {
  if (wanted === undefined) return sheets[0] ?? null;
  const lower = wanted.toLowerCase();
  const found =
    sheets.find((sheet) => sheet.name === wanted) ?? sheets.find((sheet) => sheet.name.toLowerCase() === lower);
  if (found) return found;
  throw new PermanentImportError(
    "SHEET_NOT_FOUND",
    `This workbook has no sheet named “${wanted}”. Its sheets: ${sheets.map((sheet) => sheet.name).join(", ")}.`,
  );
}

/**
 * The error for a chosen sheet without a single filled-in row; when the workbook has other sheets,
 * it names them, since the person may have meant another tab.
 */
export function emptySheetError(name: string, sheets: readonly string[]): PermanentImportError {
  const others = sheets.length > 1 ? ` This workbook's sheets: ${sheets.join(", ")}.` : "";
  return new PermanentImportError("NO_HEADER_ROW", `The sheet “${name}” has no header row: it is empty.${others}`);
}
