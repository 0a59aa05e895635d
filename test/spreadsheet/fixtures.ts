import { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import * as XLSX from "@e965/xlsx";
import ExcelJS from "exceljs";
import {
  type FileType,
  type InvalidRow,
  openSpreadsheet,
  type ParsedRow,
  type SpreadsheetHeader,
  type TemplateColumn,
  type ValidRow,
} from "../../src/spreadsheet/index.js";

/** A template using every column type. */
export const productColumns: TemplateColumn[] = [
  { key: "name", header: "Name", type: "STRING", required: true },
  { key: "quantity", header: "Quantity", type: "INTEGER", required: true },
  { key: "unitPrice", header: "Unit Price", type: "DECIMAL", required: false },
  { key: "active", header: "Active", type: "BOOLEAN", required: false },
  { key: "shipDate", header: "Ship Date", type: "DATE", required: false },
  { key: "orderedAt", header: "Ordered At", type: "DATETIME", required: false },
  { key: "email", header: "Contact Email", type: "EMAIL", required: false },
];

export interface ReadResult {
  header: SpreadsheetHeader;
  rows: ParsedRow[];
  valid: ValidRow[];
  invalid: InvalidRow[];
}

/** Reads a whole file through the public API. */
export async function readFile(
  bytes: Buffer | string,
  columns: readonly TemplateColumn[] = productColumns,
  kind?: FileType,
): Promise<ReadResult> {
  const spreadsheet = await openSpreadsheet({ open: () => streamOf(bytes), kind }, columns);
  const rows: ParsedRow[] = [];
  for await (const row of spreadsheet) rows.push(row);
  return {
    header: spreadsheet.header,
    rows,
    valid: rows.filter((row): row is ValidRow => row.ok),
    invalid: rows.filter((row): row is InvalidRow => !row.ok),
  };
}

/** A byte stream delivering the data in small chunks, as an upload would. */
export function streamOf(bytes: Buffer | string, chunkSize = 1000): Readable {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += chunkSize) chunks.push(buffer.subarray(i, i + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

/** Builds an .xlsx in memory with exceljs. */
export async function xlsxOf(build: (workbook: ExcelJS.Workbook) => void): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Builds a BIFF8 .xls in memory with SheetJS. */
export function xlsOf(sheets: Array<{ name: string; sheet: XLSX.WorkSheet }>, date1904 = false): Buffer {
  const workbook = XLSX.utils.book_new();
  for (const { name, sheet } of sheets) XLSX.utils.book_append_sheet(workbook, sheet, name);
  workbook.Workbook = { ...workbook.Workbook, WBProps: { date1904 } };
  return XLSX.write(workbook, { bookType: "biff8", type: "buffer" }) as Buffer;
}

/** A zip archive (stored, uncompressed) with the entries in the given order. */
export function zipOf(entries: Array<[name: string, content: string | Buffer]>): Buffer {
  return zipParts(
    entries.map(([name, content]) => {
      const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
      return [name, { method: 0, data, crc: crc32(data), size: data.length }];
    }),
  );
}

/** One zip entry as written: its bytes as stored (deflated or not), and what they unpack to. */
export interface ZipPart {
  /** 0 stored, 8 deflated. */
  method: 0 | 8;
  data: Buffer;
  crc: number;
  size: number;
}

/**
 * A zip archive of `parts`, in the given order. With `dataDescriptor`, the local headers leave the
 * sizes out and a descriptor follows each entry's data, as streaming writers do.
 */
export function zipParts(parts: Array<[name: string, part: ZipPart]>, { dataDescriptor = false } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, part] of parts) {
    const fileName = Buffer.from(name, "utf8");
    const flags = dataDescriptor ? 0x08 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(part.method, 8);
    if (!dataDescriptor) {
      local.writeUInt32LE(part.crc, 14);
      local.writeUInt32LE(part.data.length, 18);
      local.writeUInt32LE(part.size, 22);
    }
    local.writeUInt16LE(fileName.length, 26);
    const descriptor = Buffer.alloc(dataDescriptor ? 16 : 0);
    if (dataDescriptor) {
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(part.crc, 4);
      descriptor.writeUInt32LE(part.data.length, 8);
      descriptor.writeUInt32LE(part.size, 12);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(part.method, 10);
    central.writeUInt32LE(part.crc, 16);
    central.writeUInt32LE(part.data.length, 20);
    central.writeUInt32LE(part.size, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, part.data, descriptor);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + part.data.length + descriptor.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

export const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
export const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/**
 * Style indexes of {@link handWrittenXlsx}'s styles.xml: 0 General, 1 built-in date format 14,
 * 2 a custom date-time format, 3 a plain number format.
 */
export const STYLE = { general: 0, date: 1, dateTime: 2, number: 3 } as const;

/**
 * An .xlsx written by hand, for what exceljs cannot write: the 1904 flag as Excel spells it,
 * error cells, formulas with typed cached results, inline strings, and any order of zip entries.
 */
export function handWrittenXlsx(options: {
  sheetData: string;
  sharedStrings?: string[];
  /** `true` writes `date1904="1"` as Excel does, `"true"` the spelling LibreOffice uses. */
  date1904?: boolean | "true";
  /**
   * How many worksheets the zip holds before the shared strings: all of them by default, as Excel
   * writes it (they get parked), 0 to have them streamed directly.
   */
  sheetsBeforeStrings?: number;
  extraSheets?: Array<{ name: string; sheetData: string }>;
}): Buffer {
  const sheets = [{ name: "Data", sheetData: options.sheetData }, ...(options.extraSheets ?? [])];
  const workbook =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    (options.date1904 ? `<workbookPr date1904="${options.date1904 === "true" ? "true" : "1"}"/>` : `<workbookPr/>`) +
    `<sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("")}</sheets></workbook>`;
  const rels =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    sheets
      .map(
        (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join("") +
    `</Relationships>`;
  const styles =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="${MAIN_NS}">` +
    `<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm"/></numFmts>` +
    `<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
    `<fills count="1"><fill><patternFill patternType="none"/></fill></fills>` +
    `<borders count="1"><border/></borders>` +
    `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
    `<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
    `<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
    `<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
    `</styleSheet>`;
  const strings = options.sharedStrings ?? [];
  const sharedStrings =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="${MAIN_NS}" count="${strings.length}" uniqueCount="${strings.length}">` +
    strings.map((s) => (s.startsWith("<") ? `<si>${s}</si>` : `<si><t xml:space="preserve">${s}</t></si>`)).join("") +
    `</sst>`;
  const sheetParts = sheets.map((s, i): [string, string] => [
    `xl/worksheets/sheet${i + 1}.xml`,
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheetData>${s.sheetData}</sheetData></worksheet>`,
  ]);
  const head: Array<[string, string]> = [
    ["xl/workbook.xml", workbook],
    ["xl/_rels/workbook.xml.rels", rels],
    ["xl/styles.xml", styles],
  ];
  const stringsPart: [string, string] = ["xl/sharedStrings.xml", sharedStrings];
  const split = options.sheetsBeforeStrings ?? sheetParts.length;
  return zipOf([...head, ...sheetParts.slice(0, split), stringsPart, ...sheetParts.slice(split)]);
}
