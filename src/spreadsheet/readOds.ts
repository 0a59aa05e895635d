import { createReadStream } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable, type Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { SaxesParser, type SaxesTagPlain } from "saxes";
import type { ByteSource } from "./byteSource.js";
import { type Cell, CellError, isBlankCell, isBlankRow, type RawRow, ROW_BATCH_SIZE } from "./cell.js";
import { excelSerialToDate } from "./excelDate.js";
import { formatCount, type ReadLimits, tooLarge } from "./limits.js";
import { PermanentImportError } from "./permanentImportError.js";
import { emptySheetError, pickSheet } from "./pickSheet.js";
import type { SheetInfo } from "./readRows.js";
import { type ZipEntry, ZipMeter } from "./zipMeter.js";
import { coerceError } from "../lib.js";

/** The zip library exceljs uses for xlsx, so both formats unzip alike. */
const unzipper = createRequire(createRequire(import.meta.url).resolve("exceljs"))("unzipper") as {
  Parse(options: { forceStream: true }): Transform;
};

const DAMAGED =
  "This file is not a valid OpenDocument spreadsheet: it is damaged or incomplete. " +
  "Open it in LibreOffice, save it as .ods, and upload it again.";

const MS_PER_DAY = 86_400_000;

/** A sheet of content.xml, in document order. */
interface Table {
  name: string;
  hidden: boolean;
}

/**
 * Reads an OpenDocument spreadsheet (.ods): see {@link readRows} for what is yielded. The sheet
 * read is the one named `sheet` among the visible ones (see {@link pickSheet}), by default the
 * first visible one with a filled-in cell; `info.sheets` lists the visible sheets.
 *
 * The sheets are only all known at the end of `content.xml`, so that part is streamed twice: once
 * out of the zip, parked in a temporary file while its sheet names and hidden-table styles are
 * noted, then from that file for the chosen sheet's rows. Memory stays flat either way: repeated
 * blank rows and cells (`table:number-rows-repeated="1048000"`) are counted, never expanded, and
 * repeated rows with content are handed out a batch at a time. A value repeated past
 * `limits.maxColumns` (LibreOffice pads rows to 1,024 columns or more) is dropped.
 *
 * What the zip unpacks to is capped by `limits` (see {@link ZipMeter}), and so are the number of
 * cell elements in a row and the row a row with content is repeated to: past one, `TOO_LARGE` is
 * thrown.
 */
export async function* readOds(
  source: ByteSource,
  info: SheetInfo,
  sheet: string | undefined,
  limits: ReadLimits,
): AsyncGenerator<RawRow[], void, undefined> {
  const directory = await mkdtemp(path.join(tmpdir(), "ods-import-"));
  const parked = path.join(directory, "content.xml");
  try {
    const tables = await parkContent(source, parked, limits);
    const visible = tables.filter((table) => !table.hidden);
    info.sheets = visible.map((table) => table.name);
    // as for xlsx: by default an empty first sheet falls through to the next visible one
    const wanted = sheet === undefined ? visible : [pickSheet(visible, sheet)!];
    const rows = new RowCollector(new Set(wanted.map((table) => tables.indexOf(table))), limits);
    const feed = new ContentFeed(rows);
    // pass one read the whole document, so the end of the last wanted sheet is always reached
    for await (const chunk of createReadStream(parked)) {
      feed.write(chunk as Buffer);
      for (const batch of rows.drain()) {
        info.sheetName = tables[rows.table]!.name;
        yield batch;
      }
      if (rows.done) break;
    }
    if (sheet !== undefined && info.sheetName === null) throw emptySheetError(wanted[0]!.name, info.sheets);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Copies `content.xml` out of the zip into `file`, noting its sheets on the way. Stops reading the
 * zip there: nothing else in it is needed.
 */
async function parkContent(source: ByteSource, file: string, limits: ReadLimits): Promise<Table[]> {
  let failure: Error | null = null;
  const chunks = async function* () {
    try {
      yield* source.chunks();
    } catch (error) {
      failure = coerceError(error);
      throw error;
    }
  };
  const zip = unzipper.Parse({ forceStream: true });
  const meter = new ZipMeter(limits);
  meter.attach(zip);
  // a truncated archive fails the zip stream but leaves the entry being read hanging forever
  let current: ZipEntry | null = null;
  zip.on("error", (error: Error) => current?.destroy(error));
  pipeline(Readable.from(chunks()), zip).catch(() => undefined); // the loop below sees the error
  try {
    for await (const entry of zip as AsyncIterable<ZipEntry>) {
      const part = meter.entry(entry);
      if (entry.path !== "content.xml") {
        part.resume();
        continue;
      }
      current = entry;
      const scan = new TableScanner();
      const feed = new ContentFeed(scan);
      const handle = await open(file, "w");
      try {
        for await (const chunk of part) {
          await handle.write(chunk as Buffer);
          feed.write(chunk as Buffer);
        }
      } finally {
        await handle.close();
      }
      feed.end();
      return scan.tables();
    }
  } catch (error) {
    if (failure) throw failure;
    throw toPermanentError(error);
  } finally {
    zip.destroy();
  }
  if (failure) throw failure;
  throw new PermanentImportError("CORRUPT_FILE", DAMAGED);
}

function toPermanentError(error: unknown): Error {
  if (error instanceof PermanentImportError) return error;
  // the machine failing (disk full for the parked file…) is no fault of the file
  if (error instanceof Error && "syscall" in error) return error;
  return new PermanentImportError("CORRUPT_FILE", DAMAGED, { cause: error });
}

/** What listens to the XML of content.xml. */
interface ContentHandler {
  open(tag: SaxesTagPlain): void;
  close(tag: SaxesTagPlain): void;
  text(text: string): void;
}

/** Parses content.xml's bytes, chunk by chunk, into a handler. */
class ContentFeed {
  private readonly parser = new SaxesParser();
  private readonly decoder = new TextDecoder("utf-8");

  constructor(handler: ContentHandler) {
    this.parser.on("opentag", (tag) => handler.open(tag));
    this.parser.on("closetag", (tag) => handler.close(tag));
    this.parser.on("text", (text) => handler.text(text));
  }

  write(chunk: Buffer): void {
    this.parsing(() => this.parser.write(this.decoder.decode(chunk, { stream: true })));
  }

  /** Checks that the document ended well-formed. */
  end(): void {
    this.parsing(() => this.parser.write(this.decoder.decode()).close());
  }

  private parsing(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof PermanentImportError) throw error;
      // saxes throws for XML that is not well-formed
      throw new PermanentImportError("CORRUPT_FILE", DAMAGED, { cause: error });
    }
  }
}

/** Notes the sheets and which table styles hide them (`table:display="false"`). */
class TableScanner implements ContentHandler {
  private readonly found: Array<{ name: string; style: string | undefined }> = [];
  private readonly hiddenStyles = new Set<string>();
  private tableStyle: string | null = null;
  private tableDepth = 0;

  open({ name, attributes }: SaxesTagPlain): void {
    if (name === "style:style") {
      this.tableStyle = attributes["style:family"] === "table" ? (attributes["style:name"] ?? null) : null;
    } else if (name === "style:table-properties") {
      if (this.tableStyle !== null && attributes["table:display"] === "false") this.hiddenStyles.add(this.tableStyle);
    } else if (name === "table:table") {
      // a table inside a cell is no sheet
      if (this.tableDepth === 0) {
        this.found.push({
          name: attributes["table:name"] ?? `Sheet${this.found.length + 1}`,
          style: attributes["table:style-name"],
        });
      }
      this.tableDepth++;
    }
  }

  close({ name }: SaxesTagPlain): void {
    if (name === "style:style") this.tableStyle = null;
    else if (name === "table:table") this.tableDepth--;
  }

  text(): void {}

  tables(): Table[] {
    return this.found.map(({ name, style }) => ({ name, hidden: style !== undefined && this.hiddenStyles.has(style) }));
  }
}

/** A row as read, with how many times it repeats. */
interface PendingRow {
  rowNumber: number;
  cells: Cell[];
  repeat: number;
}

/** Collects the non-blank rows of the first of the `wanted` sheets (by document order) that has any. */
class RowCollector implements ContentHandler {
  /** True once the sheet has ended: nothing more of the document is needed. */
  done = false;
  /** The index, in document order, of the sheet being read. */
  table = -1;
  private readonly pending: PendingRow[] = [];
  private found = false;
  private tableDepth = 0;
  private rowNumber = 1;
  private row: PendingRow | null = null;
  private column = 0;
  private cellsInRow = 0;
  private cell: { attributes: Record<string, string>; repeat: number; paragraphs: string[] } | null = null;
  private paragraphDepth = 0;
  /** inside a cell's comment or drawing, whose text is no part of the value */
  private ignoredDepth = 0;

  constructor(
    private readonly wanted: Set<number>,
    private readonly limits: Pick<ReadLimits, "maxRows" | "maxColumns" | "maxCellsPerRow">,
  ) {
    if (wanted.size === 0) this.done = true;
  }

  private get reading(): boolean {
    return this.tableDepth === 1 && this.wanted.has(this.table);
  }

  open({ name, attributes }: SaxesTagPlain): void {
    // the rest of the chunk that held the sheet's end is still parsed
    if (this.done) return;
    if (name === "table:table") {
      if (this.tableDepth++ > 0) return;
      this.table++;
      this.rowNumber = 1;
      return;
    }
    if (!this.reading) return;
    const { cell } = this;
    if (cell) {
      if (isIgnored(name)) this.ignoredDepth++;
      if (this.ignoredDepth > 0) return;
      if (name === "text:p" || name === "text:h") {
        if (this.paragraphDepth++ === 0) cell.paragraphs.push("");
      } else if (this.paragraphDepth > 0) {
        if (name === "text:s") this.append(" ".repeat(count(attributes["text:c"], 1)));
        else if (name === "text:tab") this.append("\t");
        else if (name === "text:line-break") this.append("\n");
      }
    } else if (name === "table:table-row") {
      this.row = { rowNumber: this.rowNumber, cells: [], repeat: count(attributes["table:number-rows-repeated"], 1) };
      this.column = 0;
      this.cellsInRow = 0;
    } else if (this.row && (name === "table:table-cell" || name === "table:covered-table-cell")) {
      const { maxCellsPerRow } = this.limits;
      if (++this.cellsInRow > maxCellsPerRow) {
        throw tooLarge(
          `Row ${this.row.rowNumber} has more than ${formatCount(maxCellsPerRow)} cells (the cells per row limit).`,
        );
      }
      this.cell = { attributes, repeat: count(attributes["table:number-columns-repeated"], 1), paragraphs: [] };
    }
  }

  close({ name }: SaxesTagPlain): void {
    if (this.done) return;
    if (name === "table:table") {
      if (--this.tableDepth > 0) return;
      this.wanted.delete(this.table);
      if (this.found || this.wanted.size === 0) this.done = true;
      return;
    }
    if (!this.reading) return;
    const { cell, row } = this;
    if (cell) {
      if (isIgnored(name)) this.ignoredDepth--;
      else if (this.ignoredDepth > 0) return;
      else if (name === "text:p" || name === "text:h") this.paragraphDepth--;
      else if (name === "table:table-cell" || name === "table:covered-table-cell") {
        this.cell = null;
        const value = cellValue(cell.attributes, cell.paragraphs.join("\n"));
        if (isBlankCell(value)) {
          this.column += cell.repeat;
        } else {
          const end = Math.min(this.column + cell.repeat, this.limits.maxColumns);
          while (this.column < end) row!.cells[this.column++] = value;
        }
      }
    } else if (row && name === "table:table-row") {
      this.row = null;
      this.rowNumber += row.repeat;
      // a blank row is only counted: LibreOffice pads sheets with a million of them
      if (!isBlankRow(row.cells)) {
        const { maxRows } = this.limits;
        if (row.rowNumber + row.repeat - 1 > maxRows) {
          throw tooLarge(
            `Row ${formatCount(row.rowNumber)} is repeated past row ${formatCount(maxRows)}, the last a sheet may ` +
              "have (the row limit).",
          );
        }
        this.pending.push(row);
        this.found = true;
      }
    }
  }

  text(text: string): void {
    if (!this.done && this.cell && this.paragraphDepth > 0 && this.ignoredDepth === 0) this.append(text);
  }

  /** The rows read so far, repeats expanded, in batches of at most {@link ROW_BATCH_SIZE}. */
  *drain(): Generator<RawRow[]> {
    let batch: RawRow[] = [];
    for (const row of this.pending) {
      for (let i = 0; i < row.repeat; i++) {
        batch.push({ rowNumber: row.rowNumber + i, cells: row.cells });
        if (batch.length >= ROW_BATCH_SIZE) {
          yield batch;
          batch = [];
        }
      }
    }
    this.pending.length = 0;
    if (batch.length > 0) yield batch;
  }

  private append(text: string): void {
    const paragraphs = this.cell!.paragraphs;
    paragraphs[paragraphs.length - 1] += text;
  }
}

function isIgnored(name: string): boolean {
  return name === "office:annotation" || name.startsWith("draw:");
}

function count(value: string | undefined, fallback: number): number {
  const n = value === undefined ? NaN : Number.parseInt(value, 10);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

/** A cell's value from its `office:*` attributes, with its paragraphs' text for strings and errors. */
function cellValue(attributes: Record<string, string>, text: string): Cell {
  // LibreOffice marks an error result (=1/0) in its own namespace, the text being "#DIV/0!"
  if (attributes["calcext:value-type"] === "error") return new CellError(text || "#VALUE!");
  switch (attributes["office:value-type"]) {
    case "float":
    case "percentage":
    case "currency": {
      const value = Number(attributes["office:value"] ?? NaN);
      return Number.isFinite(value) ? value : new CellError(text, "The cell does not hold a readable number.");
    }
    case "date":
      return (
        parseDate(attributes["office:date-value"]) ?? new CellError(text, "The cell does not hold a readable date.")
      );
    case "time":
      return (
        parseTime(attributes["office:time-value"]) ?? new CellError(text, "The cell does not hold a readable time.")
      );
    case "boolean":
      return attributes["office:boolean-value"] === "true";
    case "string":
      return attributes["office:string-value"] ?? text;
    default:
      // no type: a cell without a value, or text from a writer that left the type out
      return text === "" ? null : text;
  }
}

const DATE_VALUE = /^(-?\d{4,})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?/;

/**
 * `office:date-value` (`2024-07-01`, `2024-07-01T09:30:00.5`) as a Date whose UTC fields are the
 * wall clock, as for every reader; a time zone, which spreadsheets do not have, is ignored.
 */
function parseDate(value: string | undefined): Date | null {
  const match = value === undefined ? null : DATE_VALUE.exec(value);
  if (!match) return null;
  const [, year, month, day, hours = "0", minutes = "0", seconds = "0", fraction = ""] = match;
  const date = new Date(0);
  date.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), Math.round(Number(`0${fraction}`) * 1000));
  // Date rolls 2024-02-30 over to March; such a value is no date
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) return null;
  return date;
}

const TIME_VALUE = /^P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/;

/** `office:time-value` (`PT09H30M00S`) as a time-only Date, on the day Excel's times fall on. */
function parseTime(value: string | undefined): Date | null {
  const match = value === undefined ? null : TIME_VALUE.exec(value);
  if (!match) return null;
  const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
  const ms = ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000;
  return excelSerialToDate(ms / MS_PER_DAY, false);
}
