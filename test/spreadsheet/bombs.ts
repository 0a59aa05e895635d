import { constants, crc32, deflateRawSync } from "node:zlib";
import { MAIN_NS, REL_NS, zipParts } from "./fixtures.js";

/**
 * Files that unpack to far more than they weigh, written without ever holding what they unpack to:
 * a part that repeats one unit is deflated one block at a time, each block flushed on its own
 * (Z_FULL_FLUSH resets the compressor), so the compressed block is computed once and repeated.
 */

/** A zip entry's data, deflated, with what the zip's headers need to say about it. */
export interface DeflatedPart {
  deflated: Buffer;
  crc: number;
  /** Bytes it inflates to. */
  size: number;
}

/** How much of the repeated unit goes in one deflate block. */
const BLOCK_BYTES = 1024 * 1024;

/** Deflates `head`, then `unit` repeated `count` times, then `tail`, holding at most a block inflated. */
export function repeatedPart(head: string, unit: string, count: number, tail: string): DeflatedPart {
  const unitBytes = Buffer.from(unit, "utf8");
  const perBlock = Math.max(1, Math.floor(BLOCK_BYTES / unitBytes.length));
  const block = Buffer.alloc(perBlock * unitBytes.length).fill(unitBytes);
  const pieces: Buffer[] = [];
  let crc = 0;
  let size = 0;
  const add = (bytes: Buffer, deflated: Buffer) => {
    pieces.push(deflated);
    crc = crc32(bytes, crc);
    size += bytes.length;
  };
  const deflate = (bytes: Buffer, last = false) =>
    deflateRawSync(bytes, { finishFlush: last ? constants.Z_FINISH : constants.Z_FULL_FLUSH });
  const headBytes = Buffer.from(head, "utf8");
  add(headBytes, deflate(headBytes));
  const deflatedBlock = deflate(block);
  for (let i = 0; i < Math.floor(count / perBlock); i++) add(block, deflatedBlock);
  const rest = block.subarray(0, (count % perBlock) * unitBytes.length);
  add(rest, deflate(rest));
  const tailBytes = Buffer.from(tail, "utf8");
  add(tailBytes, deflate(tailBytes, true));
  return { deflated: Buffer.concat(pieces), crc, size };
}

/** A part deflated whole, for the small ones. */
export function deflatedPart(content: string | Buffer): DeflatedPart {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return { deflated: deflateRawSync(bytes, { level: 9 }), crc: crc32(bytes), size: bytes.length };
}

/**
 * A zip archive of deflated entries, in the given order. With `dataDescriptor`, the local headers
 * leave the sizes out and a descriptor follows each entry's data, as streaming writers do.
 */
export function deflatedZip(
  entries: Array<[name: string, content: string | Buffer | DeflatedPart]>,
  { dataDescriptor = false } = {},
): Buffer {
  return zipParts(
    entries.map(([name, content]) => {
      const part = typeof content === "string" || Buffer.isBuffer(content) ? deflatedPart(content) : content;
      return [name, { method: 8, data: part.deflated, crc: part.crc, size: part.size }];
    }),
    { dataDescriptor },
  );
}

/** The least styles.xml exceljs reads: one cell style, General. */
const STYLES =
  `<styleSheet xmlns="${MAIN_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>` +
  `<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>` +
  `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
  `<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`;

/** The parts of a one-sheet workbook ("Orders") other than its worksheet and shared strings. */
export function workbookParts(): Array<[string, string]> {
  return [
    ["xl/styles.xml", STYLES],
    [
      "[Content_Types].xml",
      `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        `<Default Extension="xml" ContentType="application/xml"/></Types>`,
    ],
    [
      "xl/workbook.xml",
      `<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets><sheet name="Orders" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      "xl/_rels/workbook.xml.rels",
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${REL_NS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ],
  ];
}

/** A worksheet part around `sheetData`'s rows. */
export function worksheetXml(sheetData: string): string {
  return `<worksheet xmlns="${MAIN_NS}"><sheetData>${sheetData}</sheetData></worksheet>`;
}

/** A header row of inline strings, for the worksheets here. */
export function headerRowXml(headers: readonly string[]): string {
  const cells = headers.map(
    (header, i) => `<c r="${String.fromCharCode(65 + i)}1" t="inlineStr"><is><t>${header}</t></is></c>`,
  );
  return `<row r="1">${cells.join("")}</row>`;
}

/**
 * An .xlsx whose shared strings table holds `count` empty entries (`<si/>`), and whose sheet has a
 * header row and one data row: 300 million entries unpack to 1.5 GB from about 1.5 MB.
 */
export function emptySharedStringsXlsx(count: number, headers: readonly string[]): Buffer {
  const strings = repeatedPart(
    `<sst xmlns="${MAIN_NS}" count="${count}" uniqueCount="${count}">`,
    "<si/>",
    count,
    "</sst>",
  );
  return deflatedZip([
    ...workbookParts(),
    ["xl/sharedStrings.xml", strings],
    ["xl/worksheets/sheet1.xml", worksheetXml(headerRowXml(headers))],
  ]);
}

/**
 * An .xlsx whose worksheet comes before xl/workbook.xml, so that it has to be parked on disk, and
 * holds `whitespace` bytes of spaces between its rows.
 */
export function whitespaceSheetFirstXlsx(whitespace: number, headers: readonly string[]): Buffer {
  const sheet = repeatedPart(
    `<worksheet xmlns="${MAIN_NS}"><sheetData>${headerRowXml(headers)}`,
    " ",
    whitespace,
    "</sheetData></worksheet>",
  );
  const [styles, ...rest] = workbookParts();
  return deflatedZip([styles!, ["xl/worksheets/sheet1.xml", sheet], ...rest]);
}
