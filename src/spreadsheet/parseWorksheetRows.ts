import { type Cell, CellError, type RawRow, ROW_BATCH_SIZE } from "./cell.js";
import { excelSerialToDate, isDateFormat } from "./excelDate.js";
import { isBooleanFormat } from "./isBooleanFormat.js";
import { formatCount, type ReadLimits, tooLarge } from "./limits.js";
import { columnLetter } from "./matchHeaders.js";
import { RichText } from "./parseSharedStrings.js";
import { xmlEvents } from "./xmlEvents.js";

/** What a worksheet's cells need from the rest of the workbook. */
export interface WorksheetContext {
  /** The shared strings table (see {@link parseSharedStrings}). */
  sharedStrings: readonly string[];
  /** The number format of a cell style (the `s` attribute), if any. */
  numberFormat(style: number): string | undefined;
  /** The workbook counts serial dates from 1904. */
  date1904: boolean;
  /** The caps on a row's width. */
  limits: Pick<ReadLimits, "maxColumns" | "maxCellsPerRow">;
}

/** A `<c>` element being read. */
interface CellXml {
  column: number;
  type: string;
  style: number;
  /** The formula's text, when the cell has one (empty for a shared formula's later cells). */
  formula: string | null;
  /** The cached value (`<v>`), when there is one. */
  value: string | null;
  inline: RichText | null;
}

const UNREADABLE_NUMBER = new CellError("#NUM!", "The cell does not hold a readable number.");
const MISSING_STRING = new CellError("#REF!", "The cell points at a text the file does not hold.");
const INVALID_DATE_MESSAGE = "The cell does not hold a date Excel can show.";

/**
 * Reads a worksheet part's rows in batches, streaming: see {@link readRows} for the cells. Every
 * cell keeps the type the file gives it, formula results included (exceljs's reader gives a
 * formula's boolean result as 1/0 and its error as NaN):
 *
 * - text: shared (`s`), inline (`inlineStr`, rich text joined) and formula results (`str`);
 * - booleans (`b`), and numbers whose format only shows TRUE/FALSE, which is how LibreOffice saves
 *   a formula's boolean result;
 * - errors (`e`, `#N/A`, `#DIV/0!`…) as a {@link CellError}, which no column type accepts;
 * - numbers with a date format as dates, honouring the 1904 system, rounded to the millisecond
 *   (LibreOffice writes 15 significant digits: 45474.3958333333 is 09:30:00.000);
 * - ISO dates (`d`) as their text, which date columns parse;
 * - a formula without a saved result (files written by programs that never calculate, such as
 *   openpyxl) as a {@link CellError} that says so, not as an empty cell.
 *
 * Hyperlinks live elsewhere in the part: a hyperlink cell reads as its text.
 *
 * @throws the XML parser's error for a part that is not well-formed; {@link PermanentImportError}
 *   `TOO_LARGE` for a cell past `limits.maxColumns` or a row of more than `limits.maxCellsPerRow`
 *   cells.
 */
export async function* parseWorksheetRows(
  part: AsyncIterable<string>,
  context: WorksheetContext,
): AsyncGenerator<RawRow[], void, undefined> {
  const { maxColumns, maxCellsPerRow } = context.limits;
  const formats = new Map<number, CellFormat>();
  const formatOf = (style: number) => {
    let format = formats.get(style);
    if (format === undefined) {
      format = cellFormat(context.numberFormat(style));
      formats.set(style, format);
    }
    return format;
  };
  let batch: RawRow[] = [];
  let row: { rowNumber: number; cells: Cell[] } | null = null;
  let lastRowNumber = 0;
  let nextColumn = 0;
  let cellsInRow = 0;
  let cell: CellXml | null = null;
  // the element whose text is being collected
  let capture: "f" | "v" | null = null;
  for await (const events of xmlEvents(part)) {
    for (const event of events) {
      if (event.type === "open") {
        const { name, attributes } = event;
        if (cell) {
          if (name === "f") {
            cell.formula = "";
            capture = "f";
          } else if (name === "v") {
            cell.value = "";
            capture = "v";
          } else if (name === "is") cell.inline = new RichText();
          else cell.inline?.open(name);
        } else if (name === "c" && row) {
          // r may be left out: the cell after the previous one
          const column = attributes.r ? columnIndex(attributes.r) : nextColumn;
          if (column >= maxColumns) throw tooManyColumns(row.rowNumber, maxColumns);
          if (++cellsInRow > maxCellsPerRow) throw tooManyCells(row.rowNumber, maxCellsPerRow);
          nextColumn = column + 1;
          const style = Number.parseInt(attributes.s ?? "0", 10);
          cell = { column, type: attributes.t ?? "n", style, formula: null, value: null, inline: null };
        } else if (name === "row") {
          const rowNumber = attributes.r ? Number.parseInt(attributes.r, 10) : lastRowNumber + 1;
          row = { rowNumber, cells: [] };
          lastRowNumber = rowNumber;
          nextColumn = 0;
          cellsInRow = 0;
        }
      } else if (event.type === "text") {
        if (!cell) continue;
        if (capture === "v") cell.value += event.text;
        else if (capture === "f") cell.formula += event.text;
        else cell.inline?.text(event.text);
      } else if (event.name === "c" && cell && row) {
        row.cells[cell.column] = toCell(cell, context, formatOf(cell.style));
        cell = null;
      } else if (event.name === "f" || event.name === "v") {
        capture = null;
      } else if (cell) {
        cell.inline?.close(event.name);
      } else if (event.name === "row" && row) {
        batch.push(row);
        row = null;
      }
    }
    if (batch.length >= ROW_BATCH_SIZE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

function tooManyColumns(rowNumber: number, maxColumns: number) {
  return tooLarge(
    `Row ${rowNumber} has a cell past column ${columnLetter(maxColumns - 1)}, the last of the ` +
      `${formatCount(maxColumns)} columns allowed (the column limit).`,
  );
}

function tooManyCells(rowNumber: number, maxCellsPerRow: number) {
  return tooLarge(`Row ${rowNumber} has more than ${formatCount(maxCellsPerRow)} cells (the cells per row limit).`);
}

/** What a cell style's number format makes of a number. */
type CellFormat = "number" | "date" | "boolean";

function cellFormat(format: string | undefined): CellFormat {
  if (isBooleanFormat(format)) return "boolean";
  return isDateFormat(format) ? "date" : "number";
}

function toCell(cell: CellXml, context: WorksheetContext, format: CellFormat): Cell {
  const { value } = cell;
  switch (cell.type) {
    case "inlineStr":
      return cell.inline?.value ?? value;
    case "s":
      return value === null ? null : (context.sharedStrings[Number.parseInt(value, 10)] ?? MISSING_STRING);
    case "str":
      return value ?? notCalculated(cell);
    case "b":
      return value ? value === "1" || value.toLowerCase() === "true" : notCalculated(cell);
    case "e":
      return value ? new CellError(value.trim()) : notCalculated(cell);
    case "d":
      return value;
    default: {
      if (value === null || value.trim() === "") return notCalculated(cell);
      const number = Number(value);
      if (!Number.isFinite(number)) return UNREADABLE_NUMBER;
      if (format === "boolean") return number !== 0;
      if (format === "number") return number;
      return excelSerialToDate(number, context.date1904) ?? new CellError(value, INVALID_DATE_MESSAGE);
    }
  }
}

/** An empty cell, unless it has a formula whose result was never saved. */
function notCalculated(cell: CellXml): CellError | null {
  if (cell.formula === null) return null;
  return new CellError(
    cell.formula === "" ? "=…" : `=${cell.formula}`,
    "The cell's formula has no saved result. Open the file in Excel, save it, and upload it again.",
  );
}

/** The 0-based column of a cell reference: `A1` → 0, `AB7` → 27. */
function columnIndex(ref: string): number {
  let column = 0;
  for (let i = 0; i < ref.length; i++) {
    const code = ref.charCodeAt(i) | 0x20; // lower case
    if (code < 0x61 || code > 0x7a) break;
    column = column * 26 + (code - 0x60);
  }
  return column - 1;
}
