import { UserError } from "../errors.js";
import { type ColumnType, normalizeHeader, type TemplateColumn } from "../spreadsheet/index.js";

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
const MAX_TEXT = 200;
/** Aliases per column: enough for every source a team meets, few enough to read in a form. */
export const MAX_ALIASES = 50;

/** A column as a client sends it: `required` and `aliases` may be left out. */
export type TemplateColumnDraft = Omit<TemplateColumn, "required" | "aliases"> & {
  required?: boolean | null;
  aliases?: readonly string[] | null;
};

/** A column as stored and served: aliases always present, [] when none. */
export type StoredColumn = TemplateColumn & { aliases: string[] };

function invalid(message: string): never {
  throw new UserError("BAD_USER_INPUT", message);
}

/** Checks a template as a person typed it and returns it trimmed; see {@link validateColumns}. */
export function validateTemplate(
  name: string,
  columns: readonly TemplateColumnDraft[],
): { name: string; columns: StoredColumn[] } {
  return { name: validateTemplateName(name), columns: validateColumns(columns) };
}

/** A template's name, trimmed; BAD_USER_INPUT when empty or too long. */
export function validateTemplateName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) invalid("Give the template a name.");
  if (trimmed.length > MAX_TEXT) invalid(`A template name must be at most ${MAX_TEXT} characters.`);
  return trimmed;
}

/**
 * Checks a template's columns and returns them trimmed. A spreadsheet header matches a column by
 * its header, its key or one of its aliases, compared as {@link normalizeHeader} compares them, so
 * no two columns may answer to the same text. An alias that repeats its own column's header, key
 * or another of its aliases says nothing new and is dropped.
 */
export function validateColumns(columns: readonly TemplateColumnDraft[]): StoredColumn[] {
  if (columns.length === 0) invalid("A template needs at least one column.");
  if (columns.length > MAX_COLUMNS) invalid(`A template can have at most ${MAX_COLUMNS} columns.`);
  const keys = new Set<string>();
  /** Normalised header text → the column that answers to it. */
  const claimed = new Map<string, string>();
  const claim = (text: string, key: string, own: Set<string>) => {
    const normalized = normalizeHeader(text);
    const owner = claimed.get(normalized);
    if (owner !== undefined && !own.has(normalized)) {
      invalid(`Columns "${owner}" and "${key}" would both match the header "${text}".`);
    }
    claimed.set(normalized, key);
    own.add(normalized);
  };
  return columns.map((column) => {
    const key = column.key.trim();
    const header = column.header.trim();
    if (!KEY.test(key))
      invalid(`Column key "${key}" must start with a letter or _ and use only letters, digits and _.`);
    if (keys.has(key)) invalid(`Two columns have the key "${key}".`);
    keys.add(key);
    if (!header) invalid(`Column "${key}" needs a header.`);
    if (header.length > MAX_TEXT) invalid(`Column "${key}" has a header over ${MAX_TEXT} characters.`);
    const own = new Set<string>();
    claim(key, key, own);
    claim(header, key, own);
    const aliases: string[] = [];
    for (const written of column.aliases ?? []) {
      const alias = written.trim();
      if (!alias) invalid(`Column "${key}" has an empty alias.`);
      if (alias.length > MAX_TEXT) invalid(`Column "${key}" has an alias over ${MAX_TEXT} characters.`);
      const normalized = normalizeHeader(alias);
      if (own.has(normalized)) continue; // its own header, key or alias again
      claim(alias, key, own);
      aliases.push(alias);
    }
    if (aliases.length > MAX_ALIASES) invalid(`Column "${key}" has more than ${MAX_ALIASES} aliases.`);
    return { key, header, type: column.type, required: column.required ?? false, aliases };
  });
}

/** Reads a template's stored `columns` json back; columns saved before aliases existed have none. */
export function parseColumns(json: unknown): StoredColumn[] {
  return (json as TemplateColumn[]).map((column) => ({ ...column, aliases: [...(column.aliases ?? [])] }));
}
