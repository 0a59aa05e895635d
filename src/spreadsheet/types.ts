import type { ColumnMapping } from "./matchHeaders.js";
import type { PermanentImportError } from "./permanentImportError.js";

/** The value types an import template column can declare. */
export type ColumnType = "STRING" | "INTEGER" | "DECIMAL" | "BOOLEAN" | "DATE" | "DATETIME" | "EMAIL";

/** One column of an import template, as the spreadsheet must provide it. */
export interface TemplateColumn {
  /** The property name the value is stored under in {@link ValidRow.values}. */
  key: string;
  /** The column title people see; a spreadsheet header matches it (or `key`) case-insensitively. */
  header: string;
  type: ColumnType;
  /** A required column must be present in the header row, and every imported row must fill it. */
  required: boolean;
  /** Other headers that mean this column ("E-mail" for "Contact Email"); none when absent. */
  aliases?: readonly string[];
  // rules on a non-blank cell's value, checked after its type (see columnRules.ts); absent: none
  /** STRING: the only values allowed, compared trimmed and ignoring case; stored as listed here. */
  allowedValues?: readonly string[] | null;
  /** INTEGER, DECIMAL, DATE, DATETIME: the lowest value allowed, written as the type stores it ("0", "2024-01-31"). */
  min?: string | null;
  /** INTEGER, DECIMAL, DATE, DATETIME: the highest value allowed, written as the type stores it. */
  max?: string | null;
  /** STRING, EMAIL: the fewest characters (code points) allowed. */
  minLength?: number | null;
  /** STRING, EMAIL: the most characters (code points) allowed. */
  maxLength?: number | null;
  /** STRING, EMAIL: an RE2 pattern (re2js) the value must contain; anchor it (^…$) to match all of it. */
  pattern?: string | null;
  /** No two rows of one file may have the same value (blank cells excepted). */
  unique?: boolean | null;
}

/** The file formats this module reads, plus the answer for everything else. */
export type FileType = "xlsx" | "xls" | "ods" | "csv" | "unsupported";

/** A {@link FileType} this module can read. */
export type SpreadsheetKind = Exclude<FileType, "unsupported">;

/**
 * A typed cell value, ready for a jsonb column:
 * - `INTEGER` → a safe integer, `DECIMAL` → a finite number, a JS double: from a number cell as
 *   the file stores it; from text only when the double is exactly the number written (any number
 *   of up to 15 significant digits is, which is what Excel keeps), else the row is rejected, so a
 *   decimal is never silently rounded;
 * - `BOOLEAN` → boolean;
 * - `DATE` → `"YYYY-MM-DD"`, `DATETIME` → an ISO 8601 string in UTC (`"2024-05-31T14:30:00.000Z"`);
 * - `EMAIL` → the trimmed, lower-cased address; `STRING` → the trimmed text;
 * - a blank optional cell → `null`.
 */
export type JsonValue = string | number | boolean | null;

/** A data row whose cells all passed their column's type and required checks. */
export interface ValidRow {
  ok: true;
  /** The row number Excel shows (1-based, counting the header row and any blank rows). */
  rowNumber: number;
  /** One entry per template column, keyed by {@link TemplateColumn.key}, in template order. */
  values: Record<string, JsonValue>;
}

/** One problem with one cell of a rejected row. */
export interface RowError {
  rowNumber: number;
  /** The template column's {@link TemplateColumn.header}; `null` for an error of the whole row. */
  column: string | null;
  /** A sentence meant for the person who filled in the spreadsheet. */
  message: string;
  /** The cell's original content as text, or `null` when the cell was empty. */
  value: string | null;
}

/** A data row that is not imported because at least one of its cells is invalid. */
export interface InvalidRow {
  ok: false;
  rowNumber: number;
  /** At least one error; one per invalid cell, in template column order. */
  errors: RowError[];
  /**
   * The original content of every template column's cell as text (`null` when empty or when the
   * column is not in the file), keyed by {@link TemplateColumn.key}, so rejected rows can be
   * exported with what the person typed.
   */
  raw: Record<string, string | null>;
}

/** What {@link readSpreadsheet} yields for each non-empty data row. */
export type ParsedRow = ValidRow | InvalidRow;

/** Where one template column was found in the file's header row. */
export interface MatchedColumn {
  column: TemplateColumn;
  /** 0-based index of the spreadsheet column (A = 0), or `null` if the file lacks this column. */
  index: number | null;
  /** The header text as written in the file (trimmed), or `null` if the column is absent. */
  sourceHeader: string | null;
}

/** The outcome of matching a header row against a template. */
export interface HeaderMatch {
  /** The header's row number as Excel shows it (1-based). */
  rowNumber: number;
  /** One entry per template column, in template order; absent optional columns have `index: null`. */
  columns: MatchedColumn[];
  /** Non-empty header texts that match no template column; their cells are ignored. */
  ignoredHeaders: string[];
  /** One entry per template column, in template order: which file column fills it, and why. */
  mapping: ColumnMapping[];
  /** Why the file cannot be imported with this mapping; `null` when it can. */
  problem: PermanentImportError | null;
}
