import { readFileSync } from "node:fs";
import type { ColumnType, DateOrder, DecimalSeparator } from "../gql/graphql.js";

/** Where the files written by real programs are (see scripts/fixtures/make.sh). */
export const CORPUS_DIR = "test/fixtures/real";

/** What test/fixtures/real/manifest.json says a person should get from one file. */
export interface CorpusFile {
  name: string;
  program: string;
  format: string;
  /** The template locale the file's text numbers and dates are written in. */
  locale: { decimalSeparator: DecimalSeparator; dateOrder: DateOrder };
  encoding?: string;
  delimiter?: string;
  /** A workbook's sheets in workbook order, hidden ones too; null for text files. */
  sheets: Array<{ name: string; hidden: boolean }> | null;
  sheet: string | null;
  headerRow: number;
  rowsImported: number;
  rowsFailed: number;
  /** DECIMALs as exact strings. */
  firstRecord: Record<string, unknown>;
}

interface Manifest {
  /** The template every corpus file is made for. */
  template: Array<{ key: string; header: string; type: ColumnType; required: boolean }>;
  files: CorpusFile[];
}

export const manifest = JSON.parse(readFileSync(`${CORPUS_DIR}/manifest.json`, "utf8")) as Manifest;

/** A corpus file's bytes. */
export function corpusBytes(name: string): Buffer {
  return readFileSync(`${CORPUS_DIR}/${name}`);
}

/** A corpus file's manifest entry. */
export function corpusFile(name: string): CorpusFile {
  const found = manifest.files.find((file) => file.name === name);
  if (!found) throw new Error(`${name} is not in ${CORPUS_DIR}/manifest.json`);
  return found;
}
