import type { Readable } from "node:stream";

/**
 * A byte stream that can be peeked at (to sniff the file type) before being read through once,
 * and that counts what it has read (for progress reports).
 */
export class ByteSource {
  private readonly iterator: AsyncIterator<unknown>;
  private readonly buffered: Buffer[] = [];
  private bufferedLength = 0;
  private done = false;
  private consumed = false;
  /** Bytes taken from the underlying stream so far. */
  bytesRead = 0;

  constructor(private readonly stream: Readable) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** Reads ahead until `length` bytes (or the whole stream, if shorter) are buffered; returns them. */
  async peek(length: number): Promise<Buffer> {
    while (this.bufferedLength < length && !this.done) {
      const chunk = await this.next();
      if (chunk === null) break;
      this.buffered.push(chunk);
      this.bufferedLength += chunk.length;
    }
    const head = Buffer.concat(this.buffered);
    if (this.buffered.length > 1) this.buffered.splice(0, this.buffered.length, head);
    return head.length > length ? head.subarray(0, length) : head;
  }

  /** The whole stream, peeked bytes included, as Buffers. Can be taken only once. */
  async *chunks(): AsyncGenerator<Buffer, void, undefined> {
    if (this.consumed) throw new Error("ByteSource.chunks() can only be called once");
    this.consumed = true;
    try {
      while (this.buffered.length > 0) yield this.buffered.shift()!;
      this.bufferedLength = 0;
      for (;;) {
        const chunk = await this.next();
        if (chunk === null) return;
        yield chunk;
      }
    } finally {
      // stopping early (a `break`, an error) must not leave the upload's stream open
      this.close();
    }
  }

  /** Releases the underlying stream; safe to call more than once. */
  close(): void {
    this.done = true;
    if (!this.stream.destroyed) this.stream.destroy();
  }

  private async next(): Promise<Buffer | null> {
    if (this.done) return null;
    const result = await this.iterator.next();
    if (result.done) {
      this.done = true;
      return null;
    }
    const value = result.value;
    const chunk =
      typeof value === "string"
        ? Buffer.from(value, "utf8")
        : Buffer.isBuffer(value)
          ? value
          : Buffer.from(
              (value as Uint8Array).buffer,
              (value as Uint8Array).byteOffset,
              (value as Uint8Array).byteLength,
            );
    this.bytesRead += chunk.length;
    return chunk;
  }
}
