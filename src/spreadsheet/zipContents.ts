/** What an OpenDocument spreadsheet declares in its first zip entry, `mimetype`. */
const ODS_MIME_TYPE = "application/vnd.oasis.opendocument.spreadsheet";

/** ZIP local file header: where the name's length, the extra field's length and the name are. */
const NAME_LENGTH_AT = 26;
const EXTRA_LENGTH_AT = 28;
const NAME_AT = 30;

/** Entry names that tell what a zip holds, with what it is if it is no workbook this project reads. */
const ENTRY_NAMES: ReadonlyArray<{ name: Buffer; found: string | null }> = [
  { name: Buffer.from("xl/workbook.xml"), found: null },
  {
    name: Buffer.from("xl/workbook.bin"),
    found: "an Excel binary workbook (.xlsb), which cannot be read: save it as .xlsx",
  },
  { name: Buffer.from("word/document.xml"), found: "a Word document, not a spreadsheet" },
  { name: Buffer.from("ppt/presentation.xml"), found: "a PowerPoint presentation, not a spreadsheet" },
];
const LONGEST_NAME = Math.max(...ENTRY_NAMES.map(({ name }) => name.length));

/** The OpenDocument formats that are no spreadsheet, by the end of their mimetype. */
const OPENDOCUMENT_KINDS: Record<string, string> = {
  text: "an OpenDocument text document (.odt)",
  presentation: "an OpenDocument presentation (.odp)",
  graphics: "an OpenDocument drawing (.odg)",
};

const ZIP_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** True if the bytes start like a zip archive. */
export function isZip(head: Uint8Array): boolean {
  return Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 4)).equals(ZIP_SIGNATURE);
}

/**
 * The `mimetype` an OpenDocument file (or an EPUB) stores, uncompressed, as its zip's first
 * entry, so that its type is readable at a fixed place; `null` when the zip starts otherwise.
 */
function zipMimeType(head: Uint8Array): string | null {
  if (head.length < NAME_AT) return null;
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  const nameLength = bytes.readUInt16LE(NAME_LENGTH_AT);
  const dataAt = NAME_AT + nameLength + bytes.readUInt16LE(EXTRA_LENGTH_AT);
  if (bytes.toString("latin1", NAME_AT, NAME_AT + nameLength) !== "mimetype") return null;
  // stored entries only: the size is at offset 18, and the bytes follow the header
  if (bytes.readUInt16LE(8) !== 0) return null;
  const size = bytes.readUInt32LE(18);
  if (size > 200 || dataAt + size > bytes.length) return null;
  return bytes.toString("latin1", dataAt, dataAt + size).trim();
}

/**
 * A zip's type by its first bytes: `"ods"` for an OpenDocument spreadsheet, `"unsupported"` for a
 * zip that declares another type (an OpenDocument text, an EPUB), otherwise `"xlsx"`, which only
 * the entry names tell for sure (see {@link ZipInspector}).
 */
export function zipFileType(head: Uint8Array): "xlsx" | "ods" | "unsupported" {
  const mimeType = zipMimeType(head);
  if (mimeType === null) return "xlsx";
  return mimeType.startsWith(ODS_MIME_TYPE) ? "ods" : "unsupported";
}

/**
 * Watches a zip's bytes go by, chunk after chunk, for the entry names that tell what it holds, so
 * an upload is classified without being held: entry names are stored uncompressed, both before
 * each entry and in the directory at the end.
 */
export class ZipInspector {
  private readonly seen = new Set<string | null>();
  private tail = Buffer.alloc(0);

  push(chunk: Buffer): void {
    // a name can straddle two chunks, so search the end of the last one too
    const window = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    for (const { name, found } of ENTRY_NAMES) {
      if (!this.seen.has(found) && window.includes(name)) this.seen.add(found);
    }
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - LONGEST_NAME + 1)));
  }

  /**
   * What the zip is, once every byte went through {@link push}: a kind this project reads, or,
   * for anything else, a sentence naming what was found instead.
   */
  verdict(head: Uint8Array): { kind: "xlsx" | "ods" } | { message: string } {
    const type = zipFileType(head);
    if (type === "ods") return { kind: "ods" };
    if (type === "xlsx" && this.seen.has(null)) return { kind: "xlsx" };
    return { message: notASpreadsheet(this.describe(head)) };
  }

  /** What the zip is instead of a spreadsheet, as the start of a sentence. */
  private describe(head: Uint8Array): string {
    const mimeType = zipMimeType(head);
    const openDocument = mimeType?.match(/^application\/vnd\.oasis\.opendocument\.(\w+)/)?.[1];
    if (openDocument)
      return `${OPENDOCUMENT_KINDS[openDocument] ?? `an OpenDocument file (${mimeType})`}, not a spreadsheet`;
    if (mimeType === "application/epub+zip") return "an EPUB e-book, not a spreadsheet";
    for (const { found } of ENTRY_NAMES) if (found !== null && this.seen.has(found)) return found;
    return "a ZIP archive with no spreadsheet inside";
  }
}

/** The upload error's message for a zip that is `found` (“a Word document, not a spreadsheet”). */
function notASpreadsheet(found: string): string {
  return (
    `This is ${found}. Upload an Excel workbook (.xlsx or .xls), an OpenDocument spreadsheet (.ods) ` + "or a CSV file."
  );
}
