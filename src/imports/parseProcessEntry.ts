/**
 * The child process that reads files for imports, one at a time (started by parseProcess.ts, which
 * says why): it opens a file as `openSpreadsheet` does, its bytes asked from the parent a chunk at
 * a time, and sends back the header, then the validated rows in batches, waiting for a credit
 * whenever {@link BATCHES_IN_FLIGHT} are unread; or it reads a sample file's top and sends back
 * the template it proposes. Every message names the file's session, so nothing late from one file
 * is taken for the next.
 */
import { rmSync } from "node:fs";
import { Readable } from "node:stream";
import { createRepeatCheck, type InvalidRow, openSpreadsheet, type ReadLimits } from "../spreadsheet/index.js";
import { type InferOptions, readSample } from "./inferTemplate.js";
import {
  BATCHES_IN_FLIGHT,
  type ChildMessage,
  type ParentMessage,
  type ReadRequest,
  ROWS_PER_BATCH,
  toFailureData,
} from "./parseProcess.js";

// temporary files (parked worksheets) go to a directory of this process's own: the parent removes
// it when this process ends, this process when the parent went first
const directory = process.env.IMPORT_READ_TMPDIR!;
process.env.TMPDIR = directory;

// Ctrl+C signals the whole process group: the parent decides when reading stops, and a parent
// that is gone (even killed) closes the channel
process.on("SIGINT", () => undefined);
process.on("SIGTERM", () => undefined);
process.on("disconnect", () => {
  rmSync(directory, { recursive: true, force: true });
  process.exit(0);
});

/** The file being read. */
let session = 0;
let chunkWaiter: ((data: Buffer | null) => void) | null = null;
let creditWaiter: (() => void) | null = null;
let credits = BATCHES_IN_FLIGHT;

process.on("message", (message: ParentMessage) => {
  if (message.type === "open" || message.type === "sample") {
    session = message.session;
    chunkWaiter = creditWaiter = null;
    credits = BATCHES_IN_FLIGHT;
    void (message.type === "open"
      ? read(message.session, message.request)
      : sample(message.session, message.options, message.limits));
    return;
  }
  if (message.session !== session) return;
  if (message.type === "chunk") {
    const { data } = message;
    chunkWaiter?.(data && Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  } else {
    credits++;
    creditWaiter?.();
  }
});

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) =>
    process.send!(message, (err: Error | null) => (err ? reject(err) : resolve())),
  );
}

/** The file's bytes, a chunk per request to the parent. */
async function* fileChunks(id: number): AsyncGenerator<Buffer, void, undefined> {
  for (;;) {
    const chunk = await new Promise<Buffer | null>((resolve) => {
      chunkWaiter = resolve;
      void send({ session: id, type: "read" });
    });
    chunkWaiter = null;
    if (!chunk) return;
    yield chunk;
  }
}

/** A batch being gathered: the valid rows as the insert's JSON, the rejected ones, the repeats skipped. */
interface Batch {
  records: string[];
  rejected: InvalidRow[];
  duplicate: number;
}

const emptyBatch = (): Batch => ({ records: [], rejected: [], duplicate: 0 });

/** Sends a batch of rows (see `RowBatch`): the valid ones as the insert takes them. */
async function sendRows(id: number, { records, rejected, duplicate }: Batch) {
  while (credits === 0) await new Promise<void>((resolve) => (creditWaiter = resolve));
  creditWaiter = null;
  credits--;
  await send({
    session: id,
    type: "rows",
    records: `[${records.join(",")}]`,
    valid: records.length,
    rejected: JSON.stringify(rejected),
    duplicate,
  });
}

/** Reads a file's header and rows, as an import does. */
async function read(id: number, { kind, columns, options, repeats }: ReadRequest) {
  try {
    const sheet = await openSpreadsheet({ stream: Readable.from(fileChunks(id)), kind }, columns, options);
    await send({ session: id, type: "header", header: sheet.header });
    const check = createRepeatCheck(columns, repeats);
    let batch = emptyBatch();
    for await (const row of sheet.rows()) {
      const valuesJson = row.ok ? JSON.stringify(row.values) : null;
      const verdict = check(row, valuesJson);
      if (verdict === "duplicate") batch.duplicate++;
      else if (verdict.ok) batch.records.push(`[${verdict.rowNumber},${valuesJson}]`);
      else batch.rejected.push(verdict);
      if (batch.records.length + batch.rejected.length + batch.duplicate < ROWS_PER_BATCH) continue;
      await sendRows(id, batch);
      batch = emptyBatch();
    }
    if (batch.records.length + batch.rejected.length + batch.duplicate > 0) await sendRows(id, batch);
    await send({ session: id, type: "end", encoding: sheet.header.encoding });
  } catch (err) {
    await send({ session: id, type: "failed", failure: toFailureData(err) });
  }
}

/** Reads the top of a sample file, as inferImportTemplate does. */
async function sample(id: number, options: InferOptions, limits: Partial<ReadLimits>) {
  try {
    const found = await readSample(Readable.from(fileChunks(id)), options, limits);
    await send({ session: id, type: "sample", sample: found });
  } catch (err) {
    await send({ session: id, type: "failed", failure: toFailureData(err) });
  }
}
