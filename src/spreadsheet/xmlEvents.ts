import { SaxesParser } from "saxes";

/** One SAX event; element names lose their namespace prefix (`x:c` is `c`). */
export type XmlEvent =
  | { type: "open"; name: string; attributes: Record<string, string> }
  | { type: "text"; text: string }
  | { type: "close"; name: string };

/**
 * Parses XML text as it streams in, yielding its events a chunk's worth at a time. The chunks must
 * be decoded text (a stream with `setEncoding("utf8")`), so no character is split between two.
 *
 * @throws the parser's error for XML that is not well-formed, including a document cut short.
 */
export async function* xmlEvents(chunks: AsyncIterable<string>): AsyncGenerator<XmlEvent[], void, undefined> {
  const parser = new SaxesParser();
  let events: XmlEvent[] = [];
  let failure: Error | null = null;
  parser.on("opentag", (tag) => events.push({ type: "open", name: localName(tag.name), attributes: tag.attributes }));
  parser.on("text", (text) => events.push({ type: "text", text }));
  parser.on("closetag", (tag) => events.push({ type: "close", name: localName(tag.name) }));
  parser.on("error", (error) => {
    failure ??= error;
  });
  const flush = () => {
    if (failure) throw failure;
    const batch = events;
    events = [];
    return batch;
  };
  for await (const chunk of chunks) {
    parser.write(chunk);
    yield flush();
  }
  parser.close();
  yield flush();
}

function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}
