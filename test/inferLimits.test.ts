import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { SignUp } from "./operations.js";
import { CLOSING, fileHead, multipart, openMultipart } from "./helpers/rawMultipart.js";
import { until } from "./helpers/until.js";

/** inferImportTemplate, as a multipart request's operations name it. */
const INFER_COLUMNS = "mutation ($file: Upload!) { inferImportTemplate(file: $file) { columns { key type } } }";

let t: TestApp;

beforeAll(async () => {
  // the server runs in this process: its samples are received into tmpdir()/import-read-<our pid>-*
  t = await startTestApp({ env: { MAX_CONCURRENT_UPLOADS_PER_USER: "3" } });
});

afterAll(async () => {
  await t.stop();
});

async function newUser(): Promise<string> {
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  return signUp.data!.signUp.token;
}

type Inferred = { inferImportTemplate: { columns: Array<{ key: string; type: string }> } };

/**
 * An inferImportTemplate request on a socket of its own whose file part has begun with `first`;
 * `finish(rest)` sends the rest of the file and ends it. `answered` tells whether the server has
 * answered yet.
 */
function openInference(token: string, first: string) {
  const opened = openMultipart<Inferred>(t.url, token);
  const head = multipart([
    ["operations", JSON.stringify({ query: INFER_COLUMNS, variables: { file: null } })],
    ["map", JSON.stringify({ 0: ["variables.file"] })],
  ]);
  opened.req.write(head.subarray(0, head.length - CLOSING.length));
  opened.req.write(fileHead("0", "sample.csv") + first);
  return {
    ...opened,
    finish(rest: string) {
      opened.req.end(`${rest}\r\n${CLOSING}`);
      return opened.answer;
    },
  };
}

/** The samples this process's server is receiving: one temporary file each. */
async function samplesReceiving(): Promise<number> {
  const prefix = `import-read-${process.pid}-`;
  const names = (await readdir(tmpdir())).filter((name) => name.startsWith(prefix));
  return names.filter((name) => existsSync(path.join(tmpdir(), name, "sample"))).length;
}

const columns = [
  { key: "name", type: "STRING" },
  { key: "quantity", type: "INTEGER" },
];

describe("inferImportTemplate's limits", () => {
  it("slow samples hold no reader: another user's is answered while they arrive, and a 4th at once is refused", async () => {
    const attacker = await newUser();
    const other = await newUser();
    expect(await samplesReceiving()).toBe(0);

    // two slow uploads were enough to hold both of a process's sample readers for the upload deadline
    const slow = [openInference(attacker, "Name,Quantity\n"), openInference(attacker, "Name,Quantity\n")];
    try {
      await until("2 samples arriving", async () => (await samplesReceiving()) === 2);
      const answer = await openInference(other, "Name,Quantity\n").finish("Widget,3\n");
      expect(answer.body).toEqual({ data: { inferImportTemplate: { columns } } });
      expect(slow.map((upload) => upload.answered())).toEqual([false, false]);

      slow.push(openInference(attacker, "Name,Quantity\n"));
      await until("3 samples arriving", async () => (await samplesReceiving()) === 3);
      const again = await openInference(other, "Name,Quantity\n").finish("Widget,4\n");
      expect(again.body).toEqual({ data: { inferImportTemplate: { columns } } });

      // the 4th of one user's at once; answered while its own file has not ended either
      const fourth = await openInference(attacker, "Name,Quantity\n").answer;
      expect(fourth.body.errors?.map((e) => ({ code: e.extensions?.code, message: e.message }))).toEqual([
        {
          code: "TOO_MANY_UPLOADS",
          message: "At most 3 of your uploads may stream in at once; wait for one to finish.",
        },
      ]);
      expect(slow.map((upload) => upload.answered())).toEqual([false, false, false]);

      // the slow ones are read once they have arrived, and their temporary files go
      const finished = await Promise.all(slow.map((upload) => upload.finish("Widget,5\n")));
      expect(finished.map((answer) => answer.body)).toEqual(
        slow.map(() => ({ data: { inferImportTemplate: { columns } } })),
      );
      expect(await samplesReceiving()).toBe(0);
      // and the user may upload again
      const after = await openInference(attacker, "Name,Quantity\n").finish("Widget,6\n");
      expect(after.body).toEqual({ data: { inferImportTemplate: { columns } } });
    } finally {
      slow.forEach(({ req }) => req.destroy());
    }
  });

  it("a sample whose client goes away leaves no temporary file and no count behind", async () => {
    const user = await newUser();
    const gone = Array.from({ length: 3 }, () => openInference(user, "Name,Quantity\n"));
    await until("3 samples arriving", async () => (await samplesReceiving()) === 3);
    gone.forEach(({ req }) => req.destroy());
    await until("their temporary files removed", async () => (await samplesReceiving()) === 0);
    // all 3 of the user's uploads are free again
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => openInference(user, "Name,Quantity\n").finish("Widget,7\n")),
    );
    expect(answers.map((answer) => answer.body)).toEqual(
      answers.map(() => ({ data: { inferImportTemplate: { columns } } })),
    );
  });
});
