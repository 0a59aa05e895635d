import { formatBytes, formatCount, type ReadLimits, tooLarge } from "./limits.js";
import { xmlEvents } from "./xmlEvents.js";

/**
 * Reads xl/sharedStrings.xml: the texts that `t="s"` cells point at, in order. A rich text's runs
 * are joined; phonetic guides (`<rPh>`, the readings Excel keeps for Japanese) are left out.
 *
 * The table is held in memory while the sheet is read, so it is capped: at most
 * `limits.maxSharedStrings` entries and `limits.maxSharedStringsBytes` of text (UTF-8), counted as
 * they are read, so a table of 300 million empty entries fails after the first few million.
 *
 * @throws {PermanentImportError} `TOO_LARGE` past either cap.
 */
export async function parseSharedStrings(
  part: AsyncIterable<string>,
  limits: Pick<ReadLimits, "maxSharedStrings" | "maxSharedStringsBytes">,
): Promise<string[]> {
  const { maxSharedStrings, maxSharedStringsBytes } = limits;
  const strings: string[] = [];
  let text: RichText | null = null;
  let bytes = 0;
  for await (const events of xmlEvents(part)) {
    for (const event of events) {
      if (event.type === "open") {
        if (event.name === "si") text = new RichText();
        else text?.open(event.name);
      } else if (event.type === "text") {
        if (!text?.text(event.text)) continue;
        bytes += Buffer.byteLength(event.text, "utf8");
        if (bytes > maxSharedStringsBytes) {
          throw tooLarge(
            `The file's shared strings hold more than ${formatBytes(maxSharedStringsBytes)} of text ` +
              "(the shared strings size limit).",
          );
        }
      } else if (event.name === "si") {
        if (strings.length === maxSharedStrings) {
          throw tooLarge(
            `The file's shared strings table has more than ${formatCount(maxSharedStrings)} entries ` +
              "(the shared strings count limit).",
          );
        }
        strings.push(text?.value ?? "");
        text = null;
      } else {
        text?.close(event.name);
      }
    }
  }
  return strings;
}

/**
 * Collects the text of a string item (`<si>`) or an inline string (`<is>`): its `<t>` elements,
 * plain or in rich text runs, but not those of phonetic guides.
 */
export class RichText {
  private parts = "";
  private inText = false;
  private phonetic = 0;

  open(name: string): void {
    if (name === "rPh") this.phonetic++;
    else if (name === "t") this.inText = this.phonetic === 0;
  }

  /** Adds text read inside the item; true if it is part of the value. */
  text(text: string): boolean {
    if (this.inText) this.parts += text;
    return this.inText;
  }

  close(name: string): void {
    if (name === "rPh") this.phonetic--;
    else if (name === "t") this.inText = false;
  }

  /** The text, with Excel's `_xHHHH_` escapes (for characters XML cannot hold) decoded. */
  get value(): string {
    return this.parts.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}
