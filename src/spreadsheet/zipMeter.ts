import { type Readable, Transform, type TransformCallback } from "node:stream";
import { formatBytes, formatCount, type ReadLimits, tooLarge } from "./limits.js";
import type { PermanentImportError } from "./permanentImportError.js";

/** One file inside the zip, as unzipper hands it out. */
export interface ZipEntry extends Readable {
  path: string;
  autodrain(): unknown;
  /** The entry's local header, as unzipper parsed it. */
  vars?: { flags: number; compressedSize: number };
}

/** The parts of unzipper's parser (a PullStream) that tell how far into the archive it has read. */
interface ZipParser {
  /** Bytes received and not yet handed to an entry. */
  buffer: Buffer;
  _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
  push(entry: unknown): boolean;
}

/**
 * Counts what a zip unpacks to as it streams, and fails the read with `TOO_LARGE` when it is more
 * than {@link ReadLimits} allow: all entries together past `maxUncompressedBytes` (whether they are
 * parsed at once, parked in a temporary file, or skipped), or one entry past `maxCompressionRatio`
 * times its packed size once it unpacked `ratioCheckAfterBytes`.
 *
 * An entry's packed size is taken as the archive's bytes the parser received since the entry's
 * data began (at most its header's size, when the header gives one): never less than the packed
 * bytes inflated so far, so a real file is not taken for a bomb, even one written with a data
 * descriptor (no sizes up front), and a bomb is caught within a chunk or two of the upload read
 * ahead. unzipper (0.10, as exceljs pins it) tells neither, hence the two hooks in {@link attach}.
 *
 * Use: {@link attach} it to unzipper's parser before piping into it, then read every entry through
 * {@link entry}, skipped ones too (`resume()` the result instead of `autodrain()`). A cap exceeded
 * fails both the entry's stream and the parser.
 */
export class ZipMeter {
  /** Bytes inflated from all entries so far. */
  inflated = 0;
  /** Bytes of the archive the parser received. */
  private received = 0;
  private readonly dataStarts = new WeakMap<object, number>();
  private parser: Transform | null = null;

  constructor(
    private readonly limits: Pick<ReadLimits, "maxUncompressedBytes" | "maxCompressionRatio" | "ratioCheckAfterBytes">,
  ) {}

  /**
   * Counts the bytes unzipper's parser receives, and notes where each entry's data starts: the
   * parser hands an entry out once it has read its header, before any of its data.
   */
  attach(parser: Transform): void {
    this.parser = parser;
    const zip = parser as unknown as ZipParser;
    const write = zip._write.bind(zip);
    zip._write = (chunk, encoding, callback) => {
      this.received += chunk.length;
      write(chunk, encoding, callback);
    };
    const push = zip.push.bind(zip);
    zip.push = (entry) => {
      if (entry !== null && typeof entry === "object") this.dataStarts.set(entry, this.received - zip.buffer.length);
      return push(entry);
    };
  }

  /** The entry's inflated bytes, counted; the stream fails with `TOO_LARGE` past a cap. */
  entry(entry: ZipEntry): Readable {
    const dataStart = this.dataStarts.get(entry) ?? 0;
    const header = entry.vars;
    // bit 3: the sizes come after the data
    const packedSize =
      header && (!(header.flags & 0x08) || header.compressedSize > 0) ? header.compressedSize : Infinity;
    let inflated = 0;
    const counted = new Transform({
      transform: (chunk: Buffer, _encoding, callback: TransformCallback) => {
        inflated += chunk.length;
        this.inflated += chunk.length;
        const packed = Math.max(1, Math.min(packedSize, this.received - dataStart));
        callback(this.check(entry.path, inflated, packed), chunk);
      },
    });
    entry.on("error", (error) => counted.destroy(error));
    // the parser waits for the entry to be read, and the entry for the failed count: failing the
    // parser ends the loop over the entries too, and gives a skipped entry's failure a listener
    counted.on("error", (error) => this.parser?.destroy(error));
    return entry.pipe(counted);
  }

  /** The cap an entry `inflated` bytes into, of at most `packed` bytes, has exceeded, if any. */
  private check(part: string, inflated: number, packed: number): PermanentImportError | null {
    const { maxUncompressedBytes, maxCompressionRatio, ratioCheckAfterBytes } = this.limits;
    if (this.inflated > maxUncompressedBytes) {
      return tooLarge(
        `The file unpacks to more than ${formatBytes(maxUncompressedBytes)} (MAX_UNCOMPRESSED_BYTES), ` +
          "more than this server reads from one file.",
      );
    }
    if (inflated > ratioCheckAfterBytes && inflated > maxCompressionRatio * packed) {
      return tooLarge(
        `The file's part ${part} unpacks to more than ${formatCount(maxCompressionRatio)} times its packed size ` +
          "(the compression ratio limit), which no real spreadsheet does: it is a zip bomb or damaged.",
      );
    }
    return null;
  }
}
