import { PermanentImportError } from "./permanentImportError.js";

/**
 * Caps checked while a file is read, so that a small upload cannot make the reader unpack, store or
 * hold far more than a real spreadsheet would. Each one exceeded fails the import for good with
 * `TOO_LARGE` and a sentence that names it (see {@link tooLarge}).
 */
export interface ReadLimits {
  /**
   * Bytes inflated from a zip's entries (.xlsx, .ods), all entries together, whether parsed at once,
   * parked in a temporary file first, or skipped. `MAX_UNCOMPRESSED_BYTES` in the configuration.
   * @default 1073741824 (1 GiB)
   */
  maxUncompressedBytes: number;
  /**
   * How many times its packed size one zip entry may unpack to, once past
   * {@link ratioCheckAfterBytes}. Real workbooks stay under 30:1 even for a sheet of identical rows
   * (cell references change from row to row); whitespace or empty elements repeated reach 1,000:1.
   * @default 100
   */
  maxCompressionRatio: number;
  /**
   * Inflated bytes of one entry below which its ratio is not checked: small parts (themes, styles)
   * legitimately compress 120:1.
   * @default 8388608 (8 MiB)
   */
  ratioCheckAfterBytes: number;
  /**
   * The last row an .ods row with content may be repeated to (`table:number-rows-repeated`), so a
   * few bytes cannot ask for a billion rows; blank rows are only counted, never expanded.
   * @default 1048576 (Excel's own)
   */
  maxRows: number;
  /** Columns a row may reach: a cell past it fails. @default 16384 (Excel's own, column XFD) */
  maxColumns: number;
  /**
   * Cells one row may hold, counting every cell element of an .xlsx or .ods row (an .xlsx row can
   * name the same cell many times).
   * @default 16384
   */
  maxCellsPerRow: number;
  /**
   * Entries of an .xlsx's shared strings table, which is held in memory while its sheet is read.
   * Fits 1 million distinct texts five times over.
   * @default 5000000
   */
  maxSharedStrings: number;
  /** Bytes of text (UTF-8) in the shared strings table, all entries together. @default 134217728 (128 MiB) */
  maxSharedStringsBytes: number;
  /**
   * The largest .xls read: SheetJS reads one whole into memory, and takes 20 to 30 times its size
   * (a 24 MB file took 725 MB), so 16 MiB fits in the 512 MB a file reader gets by default
   * (`PARSE_MEMORY_MB`). Past it, a clear message asks for an .xlsx, which is streamed.
   * @default 16777216 (16 MiB)
   */
  maxXlsBytes: number;
  /**
   * Characters on one line of a text file, so that a line of a million empty columns fails before
   * it is split. Twice the largest record the CSV reader accepts (1,000,000 characters of fields).
   * @default 2000000
   */
  maxCsvLineChars: number;
}

const MiB = 1024 * 1024;

/** The caps when nothing else is said. */
export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxUncompressedBytes: 1024 * MiB,
  maxCompressionRatio: 100,
  ratioCheckAfterBytes: 8 * MiB,
  maxRows: 1_048_576,
  maxColumns: 16_384,
  maxCellsPerRow: 16_384,
  maxSharedStrings: 5_000_000,
  maxSharedStringsBytes: 128 * MiB,
  maxXlsBytes: 16 * MiB,
  maxCsvLineChars: 2_000_000,
} satisfies ReadLimits);

/** The caps with `overrides` applied; an override left `undefined` keeps the default. */
export function readLimits(overrides: Partial<ReadLimits> = {}): ReadLimits {
  const limits: ReadLimits = { ...DEFAULT_READ_LIMITS };
  for (const key of Object.keys(overrides) as Array<keyof ReadLimits>) {
    const value = overrides[key];
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}

/** The error for a cap exceeded; `message` names the cap and its value. */
export function tooLarge(message: string): PermanentImportError {
  return new PermanentImportError("TOO_LARGE", message);
}

/** A byte count as people read it: `1 GiB`, `32 MiB`, `512 KiB`, `900 bytes`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ["GiB", 1024 * MiB],
    ["MiB", MiB],
    ["KiB", 1024],
  ] as const) {
    if (bytes >= size) {
      const value = bytes / size;
      return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
    }
  }
  return `${bytes} bytes`;
}

/** A count with thousands separators: `16,384`. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
