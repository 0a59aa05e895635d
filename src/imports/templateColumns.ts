import { UserError } from "../errors.js";
import type { ColumnType, TemplateColumn } from "../spreadsheet/index.js";

export const COLUMN_TYPES: readonly ColumnType[] = [
  "STRING",
  "INTEGER",
  "DECIMAL",
  "BOOLEAN",
  "DATE",
  "DATETIME",
  "EMAIL",
];

/** A key is a property name in every record's `data`, so keep it boring. */
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const MAX_COLUMNS = 200;

function invalid(message: string): never {
  throw new UserError("BAD_USER_INPUT", message);
}

/**
 * Checks a template as a person typed it and returns it trimmed. Headers and keys are matched
 * case-insensitively against spreadsheet headers, so no two columns may answer to the same text.
 */
export function validateTemplate(
  name: string,
  columns: ReadonlyArray<Omit<TemplateColumn, "required"> & { required?: boolean | null }>,
): { name: string; columns: TemplateColumn[] } {
  const trimmedName = name.trim();
  if (!trimmedName) invalid("Give the template a name.");
  if (trimmedName.length > 200) invalid("A template name must be at most 200 characters.");
  if (columns.length === 0) invalid("A template needs at least one column.");
  if (columns.length > MAX_COLUMNS) invalid(`A template can have at most ${MAX_COLUMNS} columns.`);
  const cleaned = columns.map((column) => ({
    key: column.key.trim(),
    header: column.header.trim(),
    type: column.type,
    required: column.required ?? false,
  }));
  const claimed = new Map<string, string>();
  for (const column of cleaned) {
    if (!KEY.test(column.key)) {
      invalid(`Column key "${column.key}" must start with a letter or _ and use only letters, digits and _.`);
    }
    if (!column.header) invalid(`Column "${column.key}" needs a header.`);
    if (column.header.length > 200) invalid(`Column "${column.key}" has a header over 200 characters.`);
    for (const text of new Set([column.key.toLowerCase(), column.header.toLowerCase()])) {
      const owner = claimed.get(text);
      if (owner !== undefined) invalid(`Columns "${owner}" and "${column.key}" would both match the header "${text}".`);
      claimed.set(text, column.key);
    }
  }
  return { name: trimmedName, columns: cleaned };
}

/** Reads a template's stored `columns` json back. */
export function parseColumns(json: unknown): TemplateColumn[] {
  return json as TemplateColumn[];
}
