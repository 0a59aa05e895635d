/**
 * How soon a small import starts: from `startImport` of a 10 KB csv being sent to the moment the
 * worker takes the job (the row's processing_started_at, which runJob.ts sets as it marks the job
 * PROCESSING, read back as processingStartedAt), one import at a time, each after the last ended.
 * Target: p50 ≤ 15 ms. Both ends are on this machine's one clock (the client's Date.now() and
 * PostgreSQL's now()), to the millisecond the column keeps. The baseline is the floor of any
 * request: `{ me { id } }` round trips, in the same run.
 */
import { COLUMNS, csvOfSize } from "./fixtures.js";
import { createTemplate, graphql, jobEnded, signUp, startImport, wsClient } from "./graphqlClient.js";
import { formatPeaks, percentile, table, withPeaks, type Scenario } from "./harness.js";

const IMPORTS = 50;

export const taskStart: Scenario = {
  name: "task-start",
  async run({ server }) {
    const file = await csvOfSize(10 * 1024);
    console.log(`### startImport of a 10 KB csv → task start, ${IMPORTS} imports one after another\n`);
    const token = await signUp(server.url);
    const templateId = await createTemplate(server.url, token, COLUMNS);
    const client = wsClient(server.url, token);
    const requests: number[] = [];
    for (let i = 0; i < IMPORTS; i++) {
      const started = performance.now();
      await graphql(server.url, "{ me { id } }", {}, token);
      requests.push(performance.now() - started);
    }
    // one first, so the server's file reader process is already running, as on a server in use
    await jobEnded(client, await startImport(server.url, token, templateId, file));
    const { result, peaks } = await withPeaks(server, async () => {
      const starts: number[] = [];
      const answers: number[] = [];
      for (let i = 0; i < IMPORTS; i++) {
        const sent = Date.now();
        const id = await startImport(server.url, token, templateId, file);
        answers.push(Date.now() - sent);
        const job = await jobEnded(client, id);
        if (job.status !== "COMPLETED") throw new Error(`import ${id} ended ${job.status}: ${job.errorMessage}`);
        starts.push(Date.parse(job.processingStartedAt!) - sent);
      }
      return { starts, answers };
    });
    await client.dispose();
    const p = (samples: number[]) => ({
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: Math.max(...samples),
    });
    const cells = (name: string, samples: number[]) => {
      const { p50, p99, max } = p(samples);
      return [name, `${p50.toFixed(1)} ms`, `${p99.toFixed(1)} ms`, `${max.toFixed(1)} ms`];
    };
    table(
      ["", "p50", "p99", "max"],
      [
        cells("baseline: { me { id } } round trip", requests),
        cells("ours: startImport sent → its answer", result.answers),
        cells("ours: startImport sent → task start", result.starts),
      ],
    );
    const ratio = p(result.starts).p50 / p(requests).p50;
    console.log(`ratio (p50, task start / baseline): ${ratio.toFixed(1)}; peak RSS ${formatPeaks(peaks)}\n`);
    return {
      imports: IMPORTS,
      baselineMs: p(requests),
      answerMs: p(result.answers),
      taskStartMs: p(result.starts),
      ratio,
      peaks,
    };
  },
};
