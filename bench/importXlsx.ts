/**
 * Import of an xlsx (inline strings), `startImport` sent → jobStatus COMPLETED, against the
 * baseline of exceljs's streaming reader merely parsing the same file (every row, nothing done with
 * it) in a process of its own. Target: ≥ 50k rows/s and ≥ 1.0× the baseline's rate.
 */
import fs from "node:fs";
import ExcelJS from "exceljs";
import { COLUMNS, xlsxFixture } from "./fixtures.js";
import { createTemplate, signUp, timedImport } from "./graphqlClient.js";
import { formatPeaks, inOwnProcess, mib, perSecond, table, withPeaks, type Context, type Scenario } from "./harness.js";

/** The baseline: exceljs's streaming reader going through every row of every sheet. */
export async function parseOnly(file: string): Promise<number> {
  let rows = 0;
  for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {})) {
    for await (const row of sheet) rows += row ? 1 : 0;
  }
  return rows - 1; // the header
}

/**
 * Imports `file` and runs `baseline` (in its own process), after one small import of the same kind
 * so the server's file reader process is started, as on a server that has imported before.
 * Prints the table and returns the measurements.
 */
export async function compareImport(
  { server, sizes }: Context,
  file: string,
  warmUpFile: string,
  baseline: { name: string; run: () => Promise<{ seconds: number; peakRss?: number }> },
) {
  const token = await signUp(server.url);
  const templateId = await createTemplate(server.url, token, COLUMNS);
  await timedImport(server.url, token, templateId, warmUpFile);
  const base = await baseline.run();
  const { result: ours, peaks } = await withPeaks(server, () => timedImport(server.url, token, templateId, file));
  if (ours.job.rowsImported !== sizes.rows) throw new Error(`the import saved ${ours.job.rowsImported} rows`);
  const runSeconds = (Date.parse(ours.job.processingCompletedAt!) - Date.parse(ours.job.processingStartedAt!)) / 1000;
  const ratio = base.seconds / ours.seconds;
  const bytes = fs.statSync(file).size;
  console.log(`${mib(bytes)}; peak RSS of each process while the import ran\n`);
  table(
    ["", "time", "rate", "peak RSS"],
    [
      [
        `baseline: ${baseline.name}`,
        `${base.seconds.toFixed(2)} s`,
        perSecond(sizes.rows, base.seconds),
        base.peakRss ? mib(base.peakRss) : "—",
      ],
      [
        "ours: startImport → COMPLETED",
        `${ours.seconds.toFixed(2)} s (upload ${ours.uploadSeconds.toFixed(2)} s, run ${runSeconds.toFixed(2)} s)`,
        perSecond(sizes.rows, ours.seconds),
        formatPeaks(peaks),
      ],
      ["ratio (ours / baseline rate)", "", ratio.toFixed(2), ""],
    ],
  );
  return {
    rows: sizes.rows,
    fileBytes: bytes,
    baseline: {
      name: baseline.name,
      seconds: base.seconds,
      rowsPerSecond: sizes.rows / base.seconds,
      peakRss: base.peakRss,
    },
    import: {
      seconds: ours.seconds,
      uploadSeconds: ours.uploadSeconds,
      runSeconds,
      rowsPerSecond: sizes.rows / ours.seconds,
    },
    ratio,
    peaks,
  };
}

export const importXlsx: Scenario = {
  name: "import-xlsx",
  async run(context) {
    const file = await xlsxFixture(context.sizes.rows, false);
    console.log(`### Import, ${context.sizes.rows.toLocaleString("en")} rows × 10 columns, xlsx with inline strings\n`);
    return compareImport(context, file, await xlsxFixture(100, false), {
      name: "exceljs streaming parse only",
      async run() {
        const run = await inOwnProcess<number>("importXlsx.ts", "parseOnly", [file]);
        if (run.result !== context.sizes.rows) throw new Error(`the baseline read ${run.result} rows`);
        return run;
      },
    });
  },
};
