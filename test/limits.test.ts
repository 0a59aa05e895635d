import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isFinal, orderColumns, uploadFile, waitForImport, xlsxFile } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { CreateTemplate, SignUp } from "./operations.js";
import { emptySharedStringsXlsx, whitespaceSheetFirstXlsx } from "./spreadsheet/bombs.js";

/**
 * Files that unpack to far more than they weigh, imported end to end through a running service
 * (API and worker in this process, as `npm start` runs them): each fails with a message naming the
 * cap it exceeded, while `/healthz` keeps answering.
 */
let app: TestApp;
let token: string;
let templateId: string;

const headers = orderColumns.map((column) => column.header);

beforeAll(async () => {
  app = await startTestApp();
  const signUp = await app.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  token = signUp.data!.signUp.token;
  const template = await app.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, token);
  templateId = template.data!.createImportTemplate.id;
});

afterAll(async () => {
  await app?.stop();
});

/** Asks `/healthz` again and again, a little apart, until stopped; what each ask got. */
function probeHealth() {
  const answers: Array<number | string> = [];
  let stopped = false;
  const probing = (async () => {
    while (!stopped) {
      answers.push(
        await fetch(new URL("/healthz", app.url)).then(
          (response) => response.status,
          (error: Error) => error.message,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 50)); // a pace, not a wait for anything
    }
  })();
  return {
    async stop() {
      stopped = true;
      await probing;
      return answers;
    },
  };
}

/** Uploads `file`, waits for its import to end while probing `/healthz`; the import's end and the answers. */
async function importWhileProbing(file: Buffer, fileName: string) {
  const health = probeHealth();
  try {
    const started = await uploadFile(app, token, templateId, file, fileName);
    expect(started.errors).toBeUndefined();
    const end = await waitForImport(app.database.url, started.data!.startImport.id, isFinal, 90_000);
    return { end, answers: await health.stop() };
  } finally {
    await health.stop();
  }
}

// generous for a loaded machine: each takes a few seconds alone
describe("files that unpack to too much", { timeout: 120_000 }, () => {
  it("fails an .xlsx of 300 million empty shared strings (2 MB, 1.5 GB unpacked) while /healthz answers", async () => {
    const file = emptySharedStringsXlsx(300_000_000, headers);
    const { end, answers } = await importWhileProbing(file, "strings.xlsx");
    expect(end.status).toBe("FAILED");
    // the count cap trips first when the stored file comes in chunks of 1 MiB, the ratio with smaller ones
    expect(end.error_message).toMatch(
      /^The file's (shared strings table has more than 5,000,000 entries|part xl\/sharedStrings.xml unpacks to more than 100 times)/,
    );
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((answer) => answer !== 200)).toEqual([]);
  });

  it("fails an .xlsx whose worksheet of 2 GiB of spaces comes before its sheet list, while /healthz answers", async () => {
    const file = whitespaceSheetFirstXlsx(2 * 1024 ** 3, headers);
    const { end, answers } = await importWhileProbing(file, "spaces.xlsx");
    expect(end.status).toBe("FAILED");
    expect(end.error_message).toBe(
      "The file's part xl/worksheets/sheet1.xml unpacks to more than 100 times its packed size (the compression " +
        "ratio limit), which no real spreadsheet does: it is a zip bomb or damaged.",
    );
    expect(answers.filter((answer) => answer !== 200)).toEqual([]);
  });

  it("fails a 24 MB csv of empty columns on one line while /healthz answers", async () => {
    const file = Buffer.concat([Buffer.from(`${headers.join(",")}\n`), Buffer.alloc(24 * 1024 * 1024, ",")]);
    const { end, answers } = await importWhileProbing(file, "commas.csv");
    expect(end.status).toBe("FAILED");
    expect(end.error_message).toBe("Line 2 of the file is longer than 2,000,000 characters (the line length limit).");
    expect(answers.filter((answer) => answer !== 200)).toEqual([]);
  });
});

describe("MAX_UNCOMPRESSED_BYTES", () => {
  it("is the setting the worker reads files with", async () => {
    const small = await startTestApp({ env: { MAX_UNCOMPRESSED_BYTES: String(256 * 1024) } });
    try {
      const signUp = await small.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
      const owner = signUp.data!.signUp.token;
      const template = await small.request(CreateTemplate, { input: { name: "Orders", columns: orderColumns } }, owner);
      // an ordinary workbook (compressed about 10:1) that unpacks to more than 256 KiB
      const rows = Array.from({ length: 5_000 }, (_, i) => [
        `Widget ${i}`,
        i,
        2.5,
        true,
        new Date(Date.UTC(2024, 0, 1)),
        `w${i}@example.com`,
      ]);
      const started = await uploadFile(
        small,
        owner,
        template.data!.createImportTemplate.id,
        await xlsxFile(rows),
        "big.xlsx",
      );
      const end = await waitForImport(small.database.url, started.data!.startImport.id, isFinal);
      expect(end.status).toBe("FAILED");
      expect(end.error_message).toMatch(/MAX_UNCOMPRESSED_BYTES/);
    } finally {
      await small.stop();
    }
  });
});
