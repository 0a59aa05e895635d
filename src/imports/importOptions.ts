import { UserError } from "../errors.js";

/** What the uploader may say about how to read a file; stored with the import. */
export interface ImportOptions {
  /** The sheet to read, by name; by default the first visible sheet in workbook order. */
  sheet?: string;
  /** The header row as Excel numbers rows (1-based); by default the best match near the top. */
  headerRow?: number;
}

/** Excel's own limits: a sheet name has at most 31 characters, a sheet at most 1,048,576 rows. */
const MAX_SHEET_NAME = 31;
const MAX_ROW = 1_048_576;

/** Checks ImportOptions as a client sent them; BAD_USER_INPUT says what is wrong. */
export function validateImportOptions(input: { sheet?: string | null; headerRow?: number | null } | null | undefined) {
  const options: ImportOptions = {};
  if (input?.sheet !== null && input?.sheet !== undefined) {
    if (input.sheet.length === 0 || input.sheet.length > MAX_SHEET_NAME) {
      throw new UserError("BAD_USER_INPUT", `options.sheet must be a sheet name of 1 to ${MAX_SHEET_NAME} characters.`);
    }
    options.sheet = input.sheet;
  }
  if (input?.headerRow !== null && input?.headerRow !== undefined) {
    if (!Number.isInteger(input.headerRow) || input.headerRow < 1 || input.headerRow > MAX_ROW) {
      throw new UserError("BAD_USER_INPUT", `options.headerRow must be a row number from 1 to ${MAX_ROW}.`);
    }
    options.headerRow = input.headerRow;
  }
  return options;
}
