import { createWriteStream, createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import ExcelJS from "exceljs";
import { PermanentImportError } from "./permanentImportError.js";

/** The zip library exceljs itself uses, so entries behave exactly as exceljs expects. */
const requireFromExcelJs = createRequire(createRequire(import.meta.url).resolve("exceljs"));
const unzipper = requireFromExcelJs("unzipper") as {
  Parse(options: { forceStream: true }): Transform;
};

/** One file inside the zip, as unzipper hands it out. */
interface ZipEntry extends Readable {
  path: string;
  autodrain(): unknown;
}

/** The parts of exceljs's WorkbookReader used here that its typings do not declare. */
interface WorkbookReaderInternals {
  input: Readable;
  model?: unknown;
  properties?: { model?: { date1904?: boolean } };
  sharedStrings?: unknown[];
  workbookRels?: unknown;
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(chunks: AsyncIterable<unknown>, sheetNo: string): Generator<unknown>;
}

const WORKSHEET_PATH = /^xl\/worksheets\/sheet(\d+)\.xml$/;

export const NOT_A_WORKBOOK =
  "This file is not a valid Excel workbook: it is a zip archive without a workbook inside. " +
  "Upload an .xlsx, .xls or .csv file.";

/**
 * exceljs's streaming WorkbookReader with its zip-entry loop replaced; the XML parsing of each part
 * is still exceljs's own. The original loop (exceljs 4.4.0) has bugs that real files hit:
 *
 * - it iterates the zip with its own `iterateStream` helper, which loses the entries after a
 *   worksheet it had to park in a temporary file (exceljs issue 683). Excel stores worksheets
 *   before the shared strings, so text cells came out as `{ sharedString: 3 }`. Node's own
 *   stream iteration does not lose them (the fix proposed upstream in exceljs PR 2915);
 * - it streams a worksheet as soon as shared strings and relationships are known, even when
 *   xl/workbook.xml (exceljs issue 3064: a crash) or the styles (dates read as plain numbers)
 *   come later. Here a worksheet is parked until all of them were seen;
 * - it only takes `date1904="1"`, not the equally valid `"true"` that LibreOffice writes.
 *
 * Parked worksheets go to a private temporary directory, removed when reading ends or stops.
 */
export class XlsxWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  override async *parse(): AsyncGenerator<{ eventType: string; value: unknown }, void, undefined> {
    const self = this as unknown as WorkbookReaderInternals;
    const zip = unzipper.Parse({ forceStream: true });
    // a truncated archive fails the zip stream but leaves the entry being read hanging forever
    let current: ZipEntry | null = null;
    let zipError: Error | null = null;
    zip.on("error", (error: Error) => {
      zipError = error;
      current?.destroy(error);
    });
    self.input.pipe(zip);
    let stylesSeen = false;
    let parkingDirectory: string | null = null;
    const parked: Array<{ sheetNo: string; file: string }> = [];
    try {
      for await (const entry of zip as AsyncIterable<ZipEntry>) {
        // entries already queued when the zip failed are just as incomplete
        if (zipError) throw zipError;
        current = entry;
        // whoever reads the entry gets its error; this only keeps an unread entry's from crashing
        entry.on("error", ignore);
        switch (entry.path) {
          case "xl/_rels/workbook.xml.rels":
            await self._parseRels(entry);
            break;
          case "xl/workbook.xml":
            await self._parseWorkbook(await normalizeWorkbookXml(entry));
            break;
          case "xl/sharedStrings.xml":
            // with the default "cache" option this yields nothing; it fills self.sharedStrings
            yield* self._parseSharedStrings(entry) as AsyncGenerator<never>;
            break;
          case "xl/styles.xml":
            await self._parseStyles(entry);
            stylesSeen = true;
            break;
          default: {
            const sheetNo = WORKSHEET_PATH.exec(entry.path)?.[1];
            if (sheetNo === undefined) break;
            // once one sheet is parked, later ones are too: sheets must come out in their order
            if (parked.length === 0 && self.sharedStrings && self.workbookRels && self.model && stylesSeen) {
              yield* self._parseWorksheet(entry, sheetNo) as Generator<{ eventType: string; value: unknown }>;
            } else {
              parkingDirectory ??= await mkdtemp(path.join(tmpdir(), "xlsx-import-"));
              const file = path.join(parkingDirectory, `sheet${sheetNo}.xml`);
              await pipeline(entry, createWriteStream(file));
              parked.push({ sheetNo, file });
            }
          }
        }
        entry.autodrain();
        current = null;
      }
      if (self.model === undefined) throw new PermanentImportError("CORRUPT_FILE", NOT_A_WORKBOOK);
      for (const { sheetNo, file } of parked) {
        yield* self._parseWorksheet(createReadStream(file), sheetNo) as Generator<{
          eventType: string;
          value: unknown;
        }>;
      }
    } finally {
      if (parkingDirectory) await rm(parkingDirectory, { recursive: true, force: true });
    }
  }
}

/** Rewrites `date1904="true"` as the `"1"` exceljs understands; workbook.xml is a few KB. */
async function normalizeWorkbookXml(entry: Readable): Promise<Readable> {
  const parts: Buffer[] = [];
  for await (const chunk of entry) parts.push(chunk as Buffer);
  const xml = Buffer.concat(parts)
    .toString("utf8")
    .replace(/\bdate1904=(["'])true\1/, 'date1904="1"');
  return Readable.from([Buffer.from(xml, "utf8")]);
}

function ignore(): void {}
