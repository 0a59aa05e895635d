import { type Cell, cellToText, isBlankCell, type RawRow } from "./cell.js";
import { type CoerceOptions, type Coercer, CoercionFailure, createCoercer } from "./coerceCell.js";
import { BrokenRules, createRuleCheck, type RuleCheck } from "./columnRules.js";
import type { HeaderMatch, JsonValue, ParsedRow, RowError } from "./types.js";

/** Checks and converts one row; `null` for a row to skip because it is empty. */
export type RowValidator = (row: RawRow) => ParsedRow | null;

const REQUIRED_MESSAGE = "This column is required, but the cell is empty.";

interface ColumnPlan {
  key: string;
  header: string;
  required: boolean;
  /** Spreadsheet column index, or -1 when the file lacks the column. */
  index: number;
  coerce: Coercer;
  /** The column's rules (allowedValues, min, pattern, unique…), or `null` for none. */
  rules: RuleCheck | null;
}

/**
 * Builds the row check for a matched header, for one file: every template column's cell is
 * converted with {@link coerceCell}'s rules, blank required cells are errors, and a converted value
 * must keep its column's rules (see columnRules.ts), each broken rule an error of its own.
 *
 * A row whose template columns are all blank is empty and skipped (`null`), even if columns the
 * template ignores hold something: there is nothing to import from it.
 */
export function createRowValidator(match: HeaderMatch, options: CoerceOptions = {}): RowValidator {
  const plan: ColumnPlan[] = match.columns.map(({ column, index }) => ({
    key: column.key,
    header: column.header,
    required: column.required,
    index: index ?? -1,
    coerce: createCoercer(column.type, options),
    rules: createRuleCheck(column),
  }));
  const present = plan.filter((column) => column.index >= 0).map((column) => column.index);

  return (row) => {
    const { cells, rowNumber } = row;
    let empty = true;
    for (let i = 0; i < present.length; i++) {
      if (!isBlankCell(cells[present[i]!])) {
        empty = false;
        break;
      }
    }
    if (empty) return null;

    const values: Record<string, JsonValue> = {};
    let errors: RowError[] | null = null;
    for (let i = 0; i < plan.length; i++) {
      const column = plan[i]!;
      const cell = column.index >= 0 ? cells[column.index] : null;
      if (isBlankCell(cell)) {
        if (column.required) {
          (errors ??= []).push({ rowNumber, column: column.header, message: REQUIRED_MESSAGE, value: null });
        }
        values[column.key] = null;
        continue;
      }
      const value = column.coerce(cell);
      if (value instanceof CoercionFailure) {
        (errors ??= []).push({
          rowNumber,
          column: column.header,
          message: value.message,
          value: cellToText(cell),
        });
        continue;
      }
      const checked = column.rules === null ? value : column.rules(value, rowNumber);
      if (checked instanceof BrokenRules) {
        const text = cellToText(cell);
        for (const message of checked.messages) {
          (errors ??= []).push({ rowNumber, column: column.header, message, value: text });
        }
      } else {
        values[column.key] = checked;
      }
    }
    if (errors === null) return { ok: true, rowNumber, values };
    return { ok: false, rowNumber, errors, raw: rawValues(plan, cells) };
  };
}

function rawValues(plan: readonly ColumnPlan[], cells: readonly Cell[]): Record<string, string | null> {
  const raw: Record<string, string | null> = {};
  for (const column of plan) raw[column.key] = column.index >= 0 ? cellToText(cells[column.index]) : null;
  return raw;
}
