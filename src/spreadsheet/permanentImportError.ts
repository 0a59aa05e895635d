/** Why a whole file was rejected; lets callers react without parsing messages. */
export type PermanentImportErrorCode =
  | "UNSUPPORTED_FILE_TYPE"
  | "CORRUPT_FILE"
  | "EMPTY_FILE"
  | "FILE_MISSING"
  | "NO_HEADER_ROW"
  | "MISSING_COLUMNS"
  | "DUPLICATE_COLUMN"
  | "BAD_MAPPING"
  | "SHEET_NOT_FOUND"
  /** The template's key columns, or its dataset, changed in a way this import cannot follow. */
  | "TEMPLATE_CHANGED"
  /** A cap on what reading the file may unpack or hold was exceeded (see ReadLimits). */
  | "TOO_LARGE";

/**
 * The file itself cannot be imported, and retrying will not help: it is not a spreadsheet, it is
 * damaged, it has no header row, it lacks required columns (or its mapping is wrong), or it
 * would unpack to more than the reader allows. `message` is a complete sentence
 * meant for the person who uploaded the file.
 *
 * Any other error thrown while reading (for example the upload's storage failing mid-stream) is
 * passed through unchanged, so a job runner can tell transient failures from permanent ones.
 */
export class PermanentImportError extends Error {
  override readonly name = "PermanentImportError";
  readonly code: PermanentImportErrorCode;

  constructor(code: PermanentImportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
