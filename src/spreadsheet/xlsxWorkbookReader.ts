import { createWriteStream, createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import ExcelJS from "exceljs";
import type { ReadLimits } from "./limits.js";
import { PermanentImportError } from "./permanentImportError.js";
import { parseSharedStrings } from "./parseSharedStrings.js";
import { pickSheet } from "./pickSheet.js";
import { type ZipEntry, ZipMeter } from "./zipMeter.js";

/** The zip library exceljs itself uses. */
const requireFromExcelJs = createRequire(createRequire(import.meta.url).resolve("exceljs"));
const unzipper = requireFromExcelJs("unzipper") as {
  Parse(options: { forceStream: true }): Transform;
};

/** A `<sheet>` of xl/workbook.xml, as exceljs parses it. */
interface SheetEntry {
  name: string;
  state?: string;
  rId: string;
}

/** A `<Relationship>` of xl/_rels/workbook.xml.rels, as exceljs parses it. */
interface Relationship {
  Id: string;
  Type: string;
  Target: string;
}

/** The parts of exceljs's WorkbookReader used here that its typings do not declare. */
interface WorkbookReaderInternals {
  input: Readable;
  model?: { sheets?: SheetEntry[] };
  properties?: { model?: { date1904?: boolean } };
  styles: { getStyleModel(id: number): { numFmt?: string } | null };
  workbookRels?: Relationship[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
}

/** A worksheet handed out to be read: the name on its tab and its XML, as text. */
export interface XlsxWorksheet {
  name: string;
  part: AsyncIterable<string>;
}

/** A visible worksheet: the name on its tab and its part in the zip, in lower case. */
interface Worksheet {
  name: string;
  path: string;
}

/** Where worksheets are stored by every program seen; which one is which, only the rels say. */
const WORKSHEET_PATH = /^xl\/worksheets\/[^/]+\.xml$/i;

export const NOT_A_WORKBOOK =
  "This file is not a valid Excel workbook: it is a zip archive without a workbook inside. " +
  "Upload an .xlsx, .xls or .csv file.";

/**
 * Walks an .xlsx zip as it streams in, and hands out the worksheets to read as XML text: the one
 * named by `sheet`, or by default the visible worksheets in workbook order (the order of the tabs a
 * person sees) whatever the order of the parts in the zip, so the first one with data can be read.
 * Hidden sheets are skipped unread, and so is the rest once the caller stops.
 *
 * It extends exceljs's streaming WorkbookReader for exceljs's parsers of the workbook, its
 * relationships and its styles. Its zip-entry loop, shared strings and worksheets are done here
 * (see {@link parseSharedStrings}, {@link parseWorksheetRows}), since exceljs 4.4.0 has bugs that
 * real files hit:
 *
 * - it iterates the zip with its own `iterateStream` helper, which loses the entries after a
 *   worksheet it had to park in a temporary file (exceljs issue 683). Excel stores worksheets
 *   before the shared strings, so text cells came out as `{ sharedString: 3 }`. Node's own
 *   stream iteration does not lose them (the fix proposed upstream in exceljs PR 2915);
 * - it streams a worksheet as soon as shared strings and relationships are known, even when
 *   xl/workbook.xml (exceljs issue 3064: a crash) or the styles (dates read as plain numbers)
 *   come later. Here the worksheet is parked until all of them were seen;
 * - it only finds a sheet's name when the relationship's target is relative, not the absolute
 *   `/xl/worksheets/sheet1.xml` that openpyxl writes;
 * - it decodes each chunk of a part as UTF-8 on its own, so a character split between two chunks
 *   became U+FFFD; here the parts are decoded as one stream;
 * - its cells lose their type: a formula's boolean reads 1, its error NaN;
 * - it only takes `date1904="1"`, not the equally valid `"true"` that LibreOffice writes.
 *
 * A worksheet that arrives before the workbook's sheet list, or before a sheet that comes first in
 * workbook order, is parked in a private temporary directory until its turn; the directory is
 * removed when reading ends or stops.
 *
 * What the zip unpacks to is counted as it goes, parked parts included (see {@link ZipMeter}), and
 * the shared strings table is capped (see {@link parseSharedStrings}): a cap exceeded throws
 * `TOO_LARGE`.
 */
export class XlsxWorkbookReader extends ExcelJS.stream.xlsx.WorkbookReader {
  /** The visible worksheets' names in workbook order; known before the first worksheet is handed out. */
  sheetNames: string[] = [];

  constructor(
    input: Readable,
    options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>,
    /** The sheet to read, by name; by default the first visible one. */
    private readonly sheet: string | undefined,
    private readonly limits: ReadLimits,
  ) {
    super(input, options);
  }

  /** The shared strings table, once read (see {@link parseSharedStrings}). */
  sharedStringsTable: string[] | undefined;

  /** True if the workbook counts serial dates from 1904; known once a worksheet is handed out. */
  get date1904(): boolean {
    return (this as unknown as WorkbookReaderInternals).properties?.model?.date1904 === true;
  }

  /** The number format of a cell style; the styles are read before a worksheet is handed out. */
  numberFormat(style: number): string | undefined {
    return (this as unknown as WorkbookReaderInternals).styles.getStyleModel(style)?.numFmt;
  }

  /**
   * The worksheets to read, in turn: stop iterating once one had data. The workbook's sheet list,
   * shared strings and styles are read by the time each is handed out.
   */
  async *worksheetParts(): AsyncGenerator<XlsxWorksheet, void, undefined> {
    const self = this as unknown as WorkbookReaderInternals;
    const zip = unzipper.Parse({ forceStream: true });
    const meter = new ZipMeter(this.limits);
    meter.attach(zip);
    // a truncated archive fails the zip stream but leaves the entry being read hanging forever
    let current: ZipEntry | null = null;
    let zipError: Error | null = null;
    zip.on("error", (error: Error) => {
      zipError = error;
      current?.destroy(error);
    });
    self.input.pipe(zip);
    let stylesSeen = false;
    let ended = false;
    // the sheets to hand out, in workbook order; undefined until the sheet list and its
    // relationships were both read
    let queue: Worksheet[] | undefined;
    let parkingDirectory: string | null = null;
    let parkedCount = 0;
    const parked = new Map<string, string>();
    const park = async (entry: ZipEntry, part: Readable) => {
      parkingDirectory ??= await mkdtemp(path.join(tmpdir(), "xlsx-import-"));
      const file = path.join(parkingDirectory, `part${++parkedCount}.xml`);
      await pipeline(part, createWriteStream(file));
      parked.set(entry.path.toLowerCase(), file);
    };
    const plan = async () => {
      if (queue !== undefined || !self.model || !self.workbookRels) return;
      const sheets = visibleWorksheets(self.model.sheets ?? [], self.workbookRels);
      this.sheetNames = sheets.map((sheet) => sheet.name);
      // by default the first sheet with data: the reader asks for the next when one is empty
      queue = this.sheet === undefined ? sheets : [pickSheet(sheets, this.sheet) as Worksheet];
      for (const [part, file] of parked) {
        if (queue.some((sheet) => sheet.path === part)) continue;
        parked.delete(part);
        await rm(file, { force: true });
      }
    };
    // cells can be read once the shared strings and the styles are known (or known to be absent)
    const readable = () => ended || (this.sharedStringsTable !== undefined && stylesSeen);
    // hands out the parked sheets that are next in line
    const unpark = async function* () {
      for (let next = queue?.[0]; next && readable(); next = queue?.[0]) {
        const file = parked.get(next.path);
        if (file === undefined) return;
        queue?.shift();
        yield { name: next.name, part: createReadStream(file, { encoding: "utf8" }) };
        parked.delete(next.path);
        await rm(file, { force: true });
      }
    };
    try {
      for await (const entry of zip as AsyncIterable<ZipEntry>) {
        // entries already queued when the zip failed are just as incomplete
        if (zipError) throw zipError;
        current = entry;
        // whoever reads the entry gets its error; this only keeps an unread entry's from crashing
        entry.on("error", ignore);
        // every entry is read through the meter, even one only drained
        const part = meter.entry(entry);
        switch (entry.path) {
          case "xl/_rels/workbook.xml.rels":
            await self._parseRels(part.setEncoding("utf8"));
            await plan();
            break;
          case "xl/workbook.xml":
            await self._parseWorkbook(await normalizeWorkbookXml(part));
            await plan();
            break;
          case "xl/sharedStrings.xml":
            this.sharedStringsTable = await parseSharedStrings(part.setEncoding("utf8"), this.limits);
            break;
          case "xl/styles.xml":
            await self._parseStyles(part.setEncoding("utf8"));
            stylesSeen = true;
            break;
          default: {
            if (queue === undefined) {
              // which sheet this is, only the sheet list will tell
              if (WORKSHEET_PATH.test(entry.path)) await park(entry, part);
              break;
            }
            const at = queue.findIndex((sheet) => sheet.path === entry.path.toLowerCase());
            if (at === 0 && readable()) {
              yield { name: (queue.shift() as Worksheet).name, part: part.setEncoding("utf8") };
            } else if (at >= 0) {
              await park(entry, part);
            }
            // anything else (hidden sheets, other sheets than the one asked for) is drained unread
          }
        }
        part.resume();
        current = null;
        yield* unpark();
      }
      if (self.model === undefined) throw new PermanentImportError("CORRUPT_FILE", NOT_A_WORKBOOK);
      if (queue === undefined) throw new PermanentImportError("CORRUPT_FILE", NO_SHEET_LIST);
      ended = true;
      yield* unpark();
      if (queue.length > 0) throw new PermanentImportError("CORRUPT_FILE", missingSheet(queue[0]?.name ?? ""));
    } finally {
      if (parkingDirectory) await rm(parkingDirectory, { recursive: true, force: true });
    }
  }
}

const NO_SHEET_LIST =
  "This file is not a valid Excel workbook: it has no list of its sheets. " +
  "Open it in Excel, save it as .xlsx, and upload it again.";

function missingSheet(name: string): string {
  return (
    `This file is not a valid Excel workbook: its sheet “${name}” is missing. ` +
    "Open it in Excel, save it as .xlsx, and upload it again."
  );
}

/**
 * The visible worksheets in workbook order, with their parts; chart sheets hold no rows. The type
 * is matched by its end, which transitional and strict OOXML share.
 */
function visibleWorksheets(sheets: readonly SheetEntry[], rels: readonly Relationship[]): Worksheet[] {
  const worksheets: Worksheet[] = [];
  for (const sheet of sheets) {
    // sheets is sparse when exceljs skipped an element
    if (!sheet || sheet.state === "hidden" || sheet.state === "veryHidden") continue;
    const rel = rels.find((candidate) => candidate.Id === sheet.rId && candidate.Type.endsWith("/worksheet"));
    if (!rel) continue;
    // a target is relative to xl/, or absolute from the package root as openpyxl writes it
    const target = rel.Target.trim();
    const part = target.startsWith("/") ? target.slice(1) : path.posix.join("xl", target);
    // part names are case-insensitive (Open Packaging Conventions)
    worksheets.push({ name: sheet.name, path: path.posix.normalize(part).toLowerCase() });
  }
  return worksheets;
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
