/**
 * Upload of a large file: `startImport` sent → its answer (the file is stored in PostgreSQL and
 * the job queued), against the baseline of a bare pg client writing the same bytes as 1 MiB bytea
 * rows in one transaction (storage alone), in a process of its own. Targets: ≥ 50 MB/s into
 * storage, and the API process's RSS growing by ≤ 64 MB (its peak while the upload ran, less its
 * RSS before). The template wants a column the file lacks, so the import that follows stops at
 * the header and the next scenario finds the server idle.
 */
import fs from "node:fs";
import pg from "pg";
import { COLUMNS, csvOfSize } from "./fixtures.js";
import { createTemplate, jobEnded, signUp, startImport, wsClient } from "./graphqlClient.js";
import { formatPeaks, inOwnProcess, mib, table, withPeaks, type Scenario } from "./harness.js";

const CHUNK_BYTES = 1024 * 1024;

/** The baseline: `file` into a bytea table, 1 MiB a row, one transaction. Returns the bytes written. */
export async function storeInChunks(databaseUrl: string, file: string): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query("drop table if exists bench_chunks");
    await db.query("create table bench_chunks (seq integer primary key, data bytea not null)");
    await db.query("begin");
    let seq = 0;
    let bytes = 0;
    for await (const chunk of fs.createReadStream(file, { highWaterMark: CHUNK_BYTES })) {
      await db.query("insert into bench_chunks (seq, data) values ($1, $2)", [seq++, chunk]);
      bytes += (chunk as Buffer).length;
    }
    await db.query("commit");
    return bytes;
  } finally {
    await db.query("drop table if exists bench_chunks");
    await db.end();
  }
}

const mbPerSecond = (bytes: number, seconds: number) => bytes / 1e6 / seconds;

export const upload: Scenario = {
  name: "upload",
  async run({ server, databaseUrl, sizes }) {
    const file = await csvOfSize(sizes.uploadBytes);
    const bytes = fs.statSync(file).size;
    console.log(`### Upload of ${mib(bytes)} (csv), into storage\n`);
    const base = await inOwnProcess<number>("upload.ts", "storeInChunks", [databaseUrl, file]);
    if (base.result !== bytes) throw new Error(`the baseline stored ${base.result} bytes`);

    const token = await signUp(server.url);
    const missing = { key: "zone", header: "Warehouse Zone Identifier", type: "STRING", required: true };
    const templateId = await createTemplate(server.url, token, [...COLUMNS, missing]);
    const { result, peaks } = await withPeaks(server, async () => {
      const started = performance.now();
      const id = await startImport(server.url, token, templateId, file);
      return { id, seconds: (performance.now() - started) / 1000 };
    });
    const client = wsClient(server.url, token);
    const ended = await jobEnded(client, result.id);
    await client.dispose();
    if (ended.status !== "FAILED")
      throw new Error(`the upload's import ended ${ended.status}, not FAILED at its header`);

    const growth = peaks.server - peaks.serverBefore;
    const ours = mbPerSecond(bytes, result.seconds);
    const baseline = mbPerSecond(bytes, base.seconds);
    table(
      ["", "time", "rate", "peak RSS"],
      [
        [
          "baseline: pg client, 1 MiB bytea rows",
          `${base.seconds.toFixed(2)} s`,
          `${baseline.toFixed(0)} MB/s`,
          mib(base.peakRss),
        ],
        [
          "ours: startImport sent → answered",
          `${result.seconds.toFixed(2)} s`,
          `${ours.toFixed(0)} MB/s`,
          formatPeaks(peaks),
        ],
        ["ratio (ours / baseline rate)", "", (ours / baseline).toFixed(2), `API RSS growth ${mib(growth)}`],
      ],
    );
    return {
      bytes,
      baseline: { seconds: base.seconds, mbPerSecond: baseline, peakRss: base.peakRss },
      upload: { seconds: result.seconds, mbPerSecond: ours },
      ratio: ours / baseline,
      serverRssGrowth: growth,
      peaks,
    };
  },
};
