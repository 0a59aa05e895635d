import { UserError } from "../errors.js";
import type { ColumnPick, TemplateColumn } from "../spreadsheet/index.js";
import type { ChangeKind, ImportMode } from "./datasetChanges.js";

/** What the uploader may say about how to read a file; stored with the import. */
export interface ImportOptions {
  /** The sheet to read, by name; by default the first visible sheet in workbook order. */
  sheet?: string;
  /** The header row as Excel numbers rows (1-based); by default the best match near the top. */
  headerRow?: number;
  /** The file column chosen for some template columns; the others are matched by header. */
  mapping?: ColumnPick[];
  /** Read and validate everything, save nothing, and wait in NEEDS_REVIEW. */
  dryRun?: boolean;
  /** On a template with key columns: create and update (the default), only create, or only update. */
  mode?: ImportMode;
  /**
   * Set by confirmImport: the counts the dry run showed, which the saving run must reproduce, so
   * the rows saved are exactly the rows previewed.
   */
  preview?: { rowsTotal: number; rowsImported: number; changes?: Record<ChangeKind, number> };
}

/** ImportOptions as a client sends them. */
export interface ImportOptionsInput {
  sheet?: string | null;
  headerRow?: number | null;
  mapping?: ReadonlyArray<{ templateKey: string; sourceIndex?: number | null }> | null;
  dryRun?: boolean | null;
  mode?: ImportMode | null;
}

/** Excel's own limits: a sheet name has at most 31 characters, a sheet at most 1,048,576 rows and 16,384 columns. */
const MAX_SHEET_NAME = 31;
const MAX_ROW = 1_048_576;
const MAX_COLUMN_INDEX = 16_383;

function invalid(message: string): never {
  throw new UserError("BAD_USER_INPUT", message);
}

/** A key as a message quotes it: what a client sent can be long. */
const shown = (key: string) => `“${key.length > 64 ? `${key.slice(0, 64)}…` : key}”`;

/**
 * Checks ImportOptions as a client sent them, against the columns of the template they are for;
 * BAD_USER_INPUT says what is wrong. Options not given are left out of the result, so it can be
 * laid over options stored earlier.
 */
export function validateImportOptions(
  input: ImportOptionsInput | null | undefined,
  columns: readonly TemplateColumn[],
  keyColumns: readonly string[],
): ImportOptions {
  const options: ImportOptions = {};
  if (input?.sheet != null) {
    if (input.sheet.length === 0 || input.sheet.length > MAX_SHEET_NAME) {
      invalid(`options.sheet must be a sheet name of 1 to ${MAX_SHEET_NAME} characters.`);
    }
    options.sheet = input.sheet;
  }
  if (input?.headerRow != null) {
    if (!Number.isInteger(input.headerRow) || input.headerRow < 1 || input.headerRow > MAX_ROW) {
      invalid(`options.headerRow must be a row number from 1 to ${MAX_ROW}.`);
    }
    options.headerRow = input.headerRow;
  }
  if (input?.mapping != null) options.mapping = validateMapping(input.mapping, columns, "options.mapping");
  if (input?.dryRun != null) options.dryRun = input.dryRun;
  if (input?.mode != null) {
    if (input.mode !== "CREATE_OR_UPDATE" && keyColumns.length === 0) {
      invalid(`options.mode ${input.mode} needs a template with key columns; this one has none.`);
    }
    options.mode = input.mode;
  }
  return options;
}

/**
 * Checks a mapping a person chose: every key is one of the template's, named once, and no file
 * column fills two template columns. Whether a column exists in the file is known only once it is
 * read (see matchHeaders), unless `sourceIndexes` (the columns it has) is given.
 */
export function validateMapping(
  mapping: ReadonlyArray<{ templateKey: string; sourceIndex?: number | null }>,
  columns: readonly TemplateColumn[],
  name = "mapping",
  sourceIndexes?: ReadonlySet<number>,
): ColumnPick[] {
  const keys = new Set(columns.map((column) => column.key));
  const seenKeys = new Set<string>();
  const seenSources = new Map<number, string>();
  return mapping.map(({ templateKey, sourceIndex = null }) => {
    if (!keys.has(templateKey)) {
      invalid(
        `${name} names ${shown(templateKey)}, which is not a column of the template. Its keys are: ${[...keys].join(", ")}.`,
      );
    }
    if (seenKeys.has(templateKey)) invalid(`${name} names ${shown(templateKey)} twice.`);
    seenKeys.add(templateKey);
    if (sourceIndex !== null) {
      if (!Number.isInteger(sourceIndex) || sourceIndex < 0 || sourceIndex > MAX_COLUMN_INDEX) {
        invalid(
          `${name}: sourceIndex for ${shown(templateKey)} must be a 0-based column index from 0 to ${MAX_COLUMN_INDEX}.`,
        );
      }
      if (sourceIndexes && !sourceIndexes.has(sourceIndex)) {
        invalid(
          `${name}: the file has no column with a header at sourceIndex ${sourceIndex} (for ${shown(templateKey)}).`,
        );
      }
      const other = seenSources.get(sourceIndex);
      if (other !== undefined) {
        invalid(`${name} puts the file's column ${sourceIndex} into both ${shown(other)} and ${shown(templateKey)}.`);
      }
      seenSources.set(sourceIndex, templateKey);
    }
    return { templateKey, sourceIndex };
  });
}
