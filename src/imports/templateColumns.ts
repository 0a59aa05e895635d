import { UserError } from "../errors.js";
import {
  allowedValueKey,
  compilePattern,
  fits,
  MAX_ALLOWED_VALUE_LENGTH,
  MAX_ALLOWED_VALUES,
  MAX_LENGTH_RULE,
  MAX_PATTERN_LENGTH,
  normalizeBound,
  RULE_TYPES,
} from "../spreadsheet/columnRules.js";
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

/** A column as a client sends it: `required`, `aliases` and every rule may be left out. */
export type TemplateColumnDraft = Omit<TemplateColumn, "required" | "aliases"> & {
  required?: boolean | null;
  aliases?: readonly string[] | null;
};

/** A column's rules as stored: only those it has (see columnRules.ts). */
type StoredRules = Pick<
  TemplateColumn,
  "allowedValues" | "min" | "max" | "minLength" | "maxLength" | "pattern" | "unique"
>;

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
    return {
      key,
      header,
      type: column.type,
      required: column.required ?? false,
      aliases,
      ...validateRules(column, key),
    };
  });
}

const TYPE_NAMES: Record<keyof typeof RULE_TYPES, string> = {
  allowedValues: "STRING columns",
  min: "INTEGER, DECIMAL, DATE and DATETIME columns",
  max: "INTEGER, DECIMAL, DATE and DATETIME columns",
  minLength: "STRING and EMAIL columns",
  maxLength: "STRING and EMAIL columns",
  pattern: "STRING and EMAIL columns",
};

/**
 * Checks a column's rules and returns those it has, normalised: allowedValues trimmed, min and max
 * as the column type writes its values, unique only when true. Bounds: at most
 * {@link MAX_ALLOWED_VALUES} allowed values of at most {@link MAX_ALLOWED_VALUE_LENGTH} characters,
 * lengths up to {@link MAX_LENGTH_RULE}, a pattern of at most {@link MAX_PATTERN_LENGTH} characters
 * that compiles in re2js to a small enough program.
 */
function validateRules(column: TemplateColumnDraft, key: string): StoredRules {
  const { type } = column;
  const rules: StoredRules = {};
  for (const rule of Object.keys(RULE_TYPES) as Array<keyof typeof RULE_TYPES>) {
    if (column[rule] != null && !fits(rule, type)) {
      invalid(`Column "${key}" is ${type}: ${rule} is for ${TYPE_NAMES[rule]} only.`);
    }
  }

  if (column.allowedValues != null) {
    const values = column.allowedValues.map((value) => value.trim());
    if (values.length === 0) {
      invalid(`Column "${key}" has an empty allowedValues list: list at least one value, or leave it out (null).`);
    }
    if (values.length > MAX_ALLOWED_VALUES) {
      invalid(`Column "${key}" has more than ${MAX_ALLOWED_VALUES} allowed values.`);
    }
    const seen = new Map<string, string>();
    for (const value of values) {
      if (!value) invalid(`Column "${key}" has an empty allowed value.`);
      if (value.length > MAX_ALLOWED_VALUE_LENGTH) {
        invalid(`Column "${key}" has an allowed value over ${MAX_ALLOWED_VALUE_LENGTH} characters.`);
      }
      const earlier = seen.get(allowedValueKey(value));
      if (earlier !== undefined) {
        invalid(
          `Column "${key}" lists "${earlier}" and "${value}" as allowed values; they are the same value, ` +
            "since allowed values are compared ignoring case.",
        );
      }
      seen.set(allowedValueKey(value), value);
    }
    rules.allowedValues = values;
  }

  for (const bound of ["min", "max"] as const) {
    const written = column[bound];
    if (written == null) continue;
    if (!written.trim()) invalid(`Column "${key}" has an empty ${bound}: leave it out (null) for none.`);
    const read = normalizeBound(type, written);
    if ("problem" in read)
      invalid(`Column "${key}" has a ${bound} that does not fit its type ${type}: ${read.problem}`);
    rules[bound] = read.bound;
  }
  if (rules.min != null && rules.max != null && compareBounds(type, rules.min, rules.max) > 0) {
    invalid(`Column "${key}" has min ${rules.min} above max ${rules.max}.`);
  }

  if (column.minLength != null) {
    if (column.minLength < 0 || column.minLength > MAX_LENGTH_RULE) {
      invalid(`Column "${key}" has minLength ${column.minLength}; it must be from 0 to ${MAX_LENGTH_RULE}.`);
    }
    rules.minLength = column.minLength;
  }
  if (column.maxLength != null) {
    if (column.maxLength < 1 || column.maxLength > MAX_LENGTH_RULE) {
      invalid(`Column "${key}" has maxLength ${column.maxLength}; it must be from 1 to ${MAX_LENGTH_RULE}.`);
    }
    rules.maxLength = column.maxLength;
  }
  if (rules.minLength != null && rules.maxLength != null && rules.minLength > rules.maxLength) {
    invalid(`Column "${key}" has minLength ${rules.minLength} above maxLength ${rules.maxLength}.`);
  }

  if (column.pattern != null) {
    const { pattern } = column;
    if (!pattern.trim()) invalid(`Column "${key}" has an empty pattern: leave it out (null) for none.`);
    if (pattern.length > MAX_PATTERN_LENGTH) {
      invalid(`Column "${key}" has a pattern over ${MAX_PATTERN_LENGTH} characters.`);
    }
    const compiled = compilePattern(pattern);
    if ("problem" in compiled) invalid(`Column "${key}" has a pattern that ${compiled.problem}.`);
    rules.pattern = pattern;
  }

  if (column.unique === true) rules.unique = true;
  return rules;
}

/** Orders two normalised bounds of a column type. */
function compareBounds(type: ColumnType, a: string, b: string): number {
  return type === "INTEGER" || type === "DECIMAL" ? Number(a) - Number(b) : Date.parse(a) - Date.parse(b);
}

/** Reads a template's stored `columns` json back; columns saved before aliases existed have none. */
export function parseColumns(json: unknown): StoredColumn[] {
  return (json as TemplateColumn[]).map((column) => ({ ...column, aliases: [...(column.aliases ?? [])] }));
}
