/**
 * Reading uploaded spreadsheets (.xlsx, .xls, .csv) into typed, validated rows for an import
 * template. Pure: no database. Start with {@link readSpreadsheet} or {@link openSpreadsheet}.
 */
export { type Cell, CellError, cellToText, isBlankCell, type RawRow } from "./cell.js";
export {
  type CoerceOptions,
  type Coercer,
  coerceCell,
  CoercionFailure,
  type CoercionResult,
  createCoercer,
} from "./coerceCell.js";
export { detectDelimiter, type CsvDelimiter } from "./readCsv.js";
export { detectEncoding, type TextEncoding } from "./detectEncoding.js";
export { detectFileType, SNIFF_LENGTH, UNSUPPORTED_FILE_MESSAGE } from "./detectFileType.js";
export { excelSerialToDate } from "./excelDate.js";
export {
  type ColumnMapping,
  type ColumnPick,
  columnLetter,
  type MatchKind,
  matchHeaders,
  normalizeHeader,
} from "./matchHeaders.js";
export { DEFAULT_READ_LIMITS, type ReadLimits, readLimits } from "./limits.js";
export { parseIsoDateTime } from "./parseIsoDateTime.js";
export { PermanentImportError, type PermanentImportErrorCode } from "./permanentImportError.js";
export { type SourceColumn } from "./profileColumns.js";
export {
  MappingError,
  type OpenedSpreadsheet,
  openSpreadsheet,
  type ReadOptions,
  readSpreadsheet,
  type ReadSpreadsheetOptions,
  type SpreadsheetHeader,
  type SpreadsheetInput,
} from "./readSpreadsheet.js";
export type {
  ColumnType,
  FileType,
  HeaderMatch,
  InvalidRow,
  JsonValue,
  MatchedColumn,
  ParsedRow,
  RowError,
  SpreadsheetKind,
  TemplateColumn,
  ValidRow,
} from "./types.js";
export { createRowValidator, type RowValidator } from "./validateRow.js";
export {
  createRepeatCheck,
  describeKey,
  keyCells,
  rejectRow,
  type DuplicateRows,
  type RepeatPolicy,
  type RepeatVerdict,
} from "./repeatedRows.js";
