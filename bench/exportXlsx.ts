/**
 * Export of an import's rows as xlsx: `requestExport` sent → jobStatus COMPLETED (the file is
 * written and stored), against the baseline of exceljs's `WorkbookWriter` writing the same rows
 * (typed the same way, inline strings, date formats) to a file, in a process of its own. The rows
 * are imported first from the csv fixture, untimed. Targets: ≥ 80k rows/s (≥ 1.9× the baseline),
 * RSS ≤ 200 MB. The download of the file is timed too, for information.
 */
import path from "node:path";
import ExcelJS from "exceljs";
import { COLUMNS, csvFixture, rows } from "./fixtures.js";
import { createTemplate, jobEnded, requestExport, signUp, timedImport, wsClient } from "./graphqlClient.js";
import { formatPeaks, inOwnProcess, mib, perSecond, table, withPeaks, type Scenario } from "./harness.js";

/** The baseline: `count` rows through exceljs's streaming writer into `file`. */
export async function writeWithExceljs(count: number, file: string): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet("Bench");
  sheet.addRow(COLUMNS.map((column) => column.header)).commit();
  let written = 0;
  for (const values of rows(count)) {
    const row = sheet.addRow(values);
    values.forEach((value, i) => {
      if (value instanceof Date) row.getCell(i + 1).numFmt = "yyyy-mm-dd";
    });
    row.commit();
    written++;
  }
  sheet.commit();
  await workbook.commit();
  return written;
}

export const exportXlsx: Scenario = {
  name: "export-xlsx",
  async run({ server, sizes, tmpDir }) {
    console.log(`### Export, ${sizes.rows.toLocaleString("en")} rows × 10 columns, xlsx\n`);
    const token = await signUp(server.url);
    const templateId = await createTemplate(server.url, token, COLUMNS);
    const imported = await timedImport(server.url, token, templateId, await csvFixture(sizes.rows));
    const base = await inOwnProcess<number>("exportXlsx.ts", "writeWithExceljs", [
      sizes.rows,
      path.join(tmpDir, "baseline.xlsx"),
    ]);

    const client = wsClient(server.url, token);
    const { result, peaks } = await withPeaks(server, async () => {
      const started = performance.now();
      const id = await requestExport(server.url, token, templateId, imported.id);
      const job = await jobEnded(client, id);
      return { job, seconds: (performance.now() - started) / 1000 };
    });
    await client.dispose();
    const { job, seconds } = result;
    if (job.status !== "COMPLETED" || job.rowCount !== sizes.rows) {
      throw new Error(`the export ended ${job.status} with ${job.rowCount} rows: ${job.errorMessage}`);
    }
    const started = performance.now();
    const response = await fetch(new URL(job.downloadUrl!, server.url));
    let bytes = 0;
    const reader = response.body!.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.length;
    const downloadSeconds = (performance.now() - started) / 1000;
    if (bytes !== job.fileSize) throw new Error(`the download had ${bytes} bytes of ${job.fileSize}`);

    const ratio = base.seconds / seconds;
    table(
      ["", "time", "rate", "peak RSS"],
      [
        [
          "baseline: exceljs WorkbookWriter to a file",
          `${base.seconds.toFixed(2)} s`,
          perSecond(sizes.rows, base.seconds),
          mib(base.peakRss),
        ],
        [
          "ours: requestExport → COMPLETED",
          `${seconds.toFixed(2)} s`,
          perSecond(sizes.rows, seconds),
          formatPeaks(peaks),
        ],
        ["ratio (ours / baseline rate)", "", ratio.toFixed(2), ""],
        [
          "download (information)",
          `${downloadSeconds.toFixed(2)} s`,
          `${(bytes / 1e6 / downloadSeconds).toFixed(0)} MB/s`,
          mib(bytes),
        ],
      ],
    );
    return {
      rows: sizes.rows,
      baseline: { seconds: base.seconds, rowsPerSecond: sizes.rows / base.seconds, peakRss: base.peakRss },
      export: { seconds, rowsPerSecond: sizes.rows / seconds, fileBytes: bytes },
      ratio,
      download: { seconds: downloadSeconds, mbPerSecond: bytes / 1e6 / downloadSeconds },
      peaks,
    };
  },
};
