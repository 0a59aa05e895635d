/**
 * The xlsx import again, with every string in a shared-strings table: one unique string per row
 * (Name), so the table holds as many entries as the file has rows. What matters here is memory:
 * target, the import's peak RSS ≤ 300 MB; the baseline, exceljs's streaming reader, keeps the whole
 * table in memory.
 */
import { xlsxFixture } from "./fixtures.js";
import { inOwnProcess, type Scenario } from "./harness.js";
import { compareImport } from "./importXlsx.js";

export const importSharedStrings: Scenario = {
  name: "import-xlsx-shared-strings",
  async run(context) {
    const file = await xlsxFixture(context.sizes.rows, true);
    console.log(
      `### Import, ${context.sizes.rows.toLocaleString("en")} rows × 10 columns, xlsx with ` +
        `${context.sizes.rows.toLocaleString("en")} unique shared strings\n`,
    );
    return compareImport(context, file, await xlsxFixture(100, true), {
      name: "exceljs streaming parse only",
      async run() {
        const run = await inOwnProcess<number>("importXlsx.ts", "parseOnly", [file]);
        if (run.result !== context.sizes.rows) throw new Error(`the baseline read ${run.result} rows`);
        return run;
      },
    });
  },
};
