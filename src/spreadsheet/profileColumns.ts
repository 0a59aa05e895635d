import { type Cell, CellError, cellToText, isBlankCell, type RawRow } from "./cell.js";
import { type CoerceOptions, type Coercer, CoercionFailure, createCoercer } from "./coerceCell.js";
import type { ColumnType } from "./types.js";

/** One column of a file as it was read, before it is matched to a template. */
export interface SourceColumn {
  /** 0-based column index (A = 0). */
  index: number;
  /** The header cell as text, trimmed. */
  header: string;
  /** The first few non-blank values, as text the way a person would recognise them. */
  samples: string[];
  /** The narrowest type every non-blank value fits, `null` when the column had none. */
  detectedType: ColumnType | null;
}

/** How many values {@link SourceColumn.samples} keeps. */
const SAMPLE_COUNT = 5;

/**
 * Candidate types, narrowest first: the first one that took every value wins. INTEGER comes before
 * BOOLEAN so a column of 0 and 1 is read as numbers, and DATE before DATETIME so plain dates stay dates.
 */
const NARROWEST_FIRST: readonly ColumnType[] = ["INTEGER", "DECIMAL", "BOOLEAN", "DATE", "DATETIME", "EMAIL", "STRING"];

const MS_PER_DAY = 86_400_000;

/**
 * Text that starts with a zero and another digit, after an optional sign ("007", "-012", "00.5"):
 * a code whose zeros matter, which a number would lose. Rules out INTEGER and DECIMAL, not dates.
 */
const ZERO_PADDED = /^[+-]?0[0-9]/;

/**
 * Describes each non-blank header cell's column: a few sample values and the narrowest type all
 * of `rows` fit, so a person can see what a column holds and a template can be proposed for it.
 * Types are judged by the same coercers an import uses, with the same `options`, so a detected
 * type is one the import would accept.
 */
export function profileColumns(
  headerCells: readonly Cell[],
  rows: readonly RawRow[],
  options: CoerceOptions = {},
): SourceColumn[] {
  const columns: SourceColumn[] = [];
  headerCells.forEach((cell, index) => {
    if (isBlankCell(cell)) return;
    const samples: string[] = [];
    const inference = new TypeInference(options);
    for (const row of rows) {
      const value = row.cells[index];
      if (isBlankCell(value)) continue;
      if (samples.length < SAMPLE_COUNT) samples.push(cellToText(value)!);
      inference.add(value);
    }
    columns.push({ index, header: cellToText(cell)!.trim(), samples, detectedType: inference.type() });
  });
  return columns;
}

/**
 * The narrowest of INTEGER, DECIMAL, BOOLEAN, DATE, DATETIME, EMAIL and STRING that every non-blank
 * cell fits, or `null` when there is no non-blank cell. Error cells (`#N/A`) fit no type and say
 * nothing about the column, so they are left out. Zero-padded text ("007") is not a number, though
 * the coercers would read it as one: importing it as 7 would lose what it says. A workbook's number
 * cells are numbers whatever format showed them.
 */
export function inferColumnType(cells: Iterable<Cell>, options: CoerceOptions = {}): ColumnType | null {
  const inference = new TypeInference(options);
  for (const cell of cells) inference.add(cell);
  return inference.type();
}

/** Narrows the candidate types one cell at a time, so a column is read once whatever its length. */
class TypeInference {
  private readonly candidates: Map<ColumnType, Coercer>;
  private readonly toDateTime: Coercer;
  private seen = false;

  constructor(options: CoerceOptions) {
    this.candidates = new Map(NARROWEST_FIRST.map((type) => [type, createCoercer(type, options)]));
    this.toDateTime = this.candidates.get("DATETIME")!;
  }

  add(cell: Cell): void {
    if (isBlankCell(cell) || cell instanceof CellError) return;
    this.seen = true;
    for (const [type, coerce] of this.candidates) {
      if (!this.fits(type, coerce, cell)) this.candidates.delete(type);
    }
  }

  type(): ColumnType | null {
    if (!this.seen) return null;
    for (const type of this.candidates.keys()) return type;
    return null;
  }

  private fits(type: ColumnType, coerce: Coercer, cell: Exclude<Cell, null | undefined>): boolean {
    if ((type === "INTEGER" || type === "DECIMAL") && typeof cell === "string" && ZERO_PADDED.test(cell.trim())) {
      return false;
    }
    if (coerce(cell) instanceof CoercionFailure) return false;
    // the DATE coercer keeps the date of a date-time; a value with a time of day needs DATETIME
    return type !== "DATE" || isMidnight(this.toDateTime(cell));
  }
}

function isMidnight(value: unknown): boolean {
  return typeof value === "string" && Date.parse(value) % MS_PER_DAY === 0;
}

/** Longest key a template accepts (see `KEY` in src/imports/templateColumns.ts). */
const MAX_KEY_LENGTH = 63;

/**
 * A template key for a header, in camelCase: "Unit Price (USD)" → "unitPriceUsd", "unit_price" →
 * "unitPrice". Keys are ASCII, so accents are dropped ("Größe" → "grosse"); a key cannot start with a
 * digit, so "2024 Sales" → "_2024Sales". A header with no letter or digit left gives `column<N>`,
 * N the 1-based column number.
 */
export function keyFromHeader(header: string, index: number): string {
  const words = header
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/ß/g, "ss")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2") // camelCase → camel Case
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2") // HTMLParser → HTML Parser
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
  if (words.length === 0) return `column${index + 1}`;
  const key = words
    .map((word, i) => {
      const lower = word.toLowerCase();
      return i === 0 ? lower : lower.charAt(0).toUpperCase() + lower.slice(1);
    })
    .join("");
  return (/^[0-9]/.test(key) ? `_${key}` : key).slice(0, MAX_KEY_LENGTH);
}
