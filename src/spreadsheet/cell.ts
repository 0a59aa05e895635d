import { formatDateCell } from "./excelDate.js";

/**
 * A cell that holds an error instead of a value (`#N/A`, `#DIV/0!`, …), or that the reader could
 * not make sense of. Such a cell is never valid for any column type.
 */
export class CellError {
  constructor(
    /** What the spreadsheet shows in the cell, e.g. `"#N/A"`. */
    readonly text: string,
    /** Why the cell is rejected, as a sentence for the person who filled it in. */
    readonly message: string = `The cell contains the error ${text}.`,
  ) {}
}

/**
 * One spreadsheet cell, the same whatever the file format:
 * - `null`/`undefined` for an empty cell;
 * - `string` for text (csv fields are always text);
 * - `number` for a number cell that is not formatted as a date;
 * - `boolean` for a TRUE/FALSE cell;
 * - `Date` for a date-formatted cell, whose UTC fields hold the wall-clock date and time Excel
 *   shows (spreadsheets have no time zones);
 * - {@link CellError} for an error cell.
 */
export type Cell = string | number | boolean | Date | CellError | null | undefined;

/** True for an empty cell, or text that is only whitespace. */
export function isBlankCell(cell: Cell): cell is string | null | undefined {
  if (cell == null) return true;
  return typeof cell === "string" && (cell.length === 0 || cell.trim().length === 0);
}

/**
 * The cell's content as the text a person would recognise, or `null` for an empty cell. Strings are
 * returned untouched (not trimmed) because this is what rejected rows are exported with.
 */
export function cellToText(cell: Cell): string | null {
  if (cell == null) return null;
  if (typeof cell === "string") return cell.length === 0 ? null : cell;
  if (typeof cell === "number") return formatNumber(cell);
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (cell instanceof Date) return formatDateCell(cell);
  return cell.text;
}

/**
 * Formats a number to 15 significant digits, as Excel shows it, so binary floating point noise such
 * as `0.30000000000000004` reads as `0.3`. Whole numbers are shown in full.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return String(value);
  return String(Number(value.toPrecision(15)));
}

/** One spreadsheet row as read from the file, before it is matched to a template. */
export interface RawRow {
  /** The row number Excel shows (1-based). */
  rowNumber: number;
  /** The row's cells by 0-based column index (A = 0); may be shorter than the header, or sparse. */
  cells: readonly Cell[];
}

/** How many rows a reader hands over at a time, so per-row async overhead is paid once per batch. */
export const ROW_BATCH_SIZE = 256;

/** True if every cell of the row is blank. */
export function isBlankRow(cells: readonly Cell[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    if (!isBlankCell(cells[i])) return false;
  }
  return true;
}
