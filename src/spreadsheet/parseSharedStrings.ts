import { xmlEvents } from "./xmlEvents.js";

/**
 * Reads xl/sharedStrings.xml: the texts that `t="s"` cells point at, in order. A rich text's runs
 * are joined; phonetic guides (`<rPh>`, the readings Excel keeps for Japanese) are left out.
 */
export async function parseSharedStrings(part: AsyncIterable<string>): Promise<string[]> {
  const strings: string[] = [];
  let text: RichText | null = null;
  for await (const events of xmlEvents(part)) {
    for (const event of events) {
      if (event.type === "open") {
        if (event.name === "si") text = new RichText();
        else text?.open(event.name);
      } else if (event.type === "text") {
        text?.text(event.text);
      } else if (event.name === "si") {
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

  text(text: string): void {
    if (this.inText) this.parts += text;
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
