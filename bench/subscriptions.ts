/**
 * graphql-ws delivery latency, from a committed change of a job's row to the subscriber's event,
 * in two shapes: one job watched by N subscribers (target: the last delivery's p99 ≤ 50 ms), and
 * N jobs watched by one subscriber each (target: p99 ≤ 20 ms). The baseline, on the same commits
 * in the same run, is a bare pg client LISTENing on the channel the server listens on: the floor of
 * any NOTIFY-based design.
 *
 * The jobs are rows inserted directly (imports that never run) and each change is an update this
 * process commits, one at a time, waiting for every delivery before the next. Each latency runs
 * from just before the update is sent to the event's arrival here.
 */
import type { Client } from "graphql-ws";
import pg from "pg";
import { createTemplate, signUp, wsClient } from "./graphqlClient.js";
import { formatPeaks, percentile, table, withPeaks, type Context, type Scenario } from "./harness.js";

/** Operations the server lets one socket hold (MAX_SUBSCRIPTIONS_PER_CONNECTION in src/server/graphqlWs.ts). */
const PER_SOCKET = 100;
const QUERY = "subscription ($id: ID!) { jobStatus(id: $id) { id status ... on Import { rowsProcessed } } }";

/** Opens one jobStatus subscription per entry of `ids`; `onEvent` hears every event after the first (the current state). */
async function subscribe(url: string, token: string, ids: string[], onEvent: () => void): Promise<Client[]> {
  const clients: Client[] = [];
  const ready = ids.map((id, i) => {
    if (i % PER_SOCKET === 0) clients.push(wsClient(url, token));
    const client = clients.at(-1)!;
    return new Promise<void>((resolve, reject) => {
      let first = true;
      client.subscribe(
        { query: QUERY, variables: { id } },
        {
          next: ({ errors }) => {
            if (errors) reject(new Error(JSON.stringify(errors)));
            else if (first) {
              first = false;
              resolve();
            } else onEvent();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
  });
  await Promise.all(ready);
  return clients;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const summary = (samples: number[]) => ({
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  max: Math.max(...samples),
});
const row = (name: string, samples: number[]) => {
  const { p50, p99, max } = summary(samples);
  return [name, ms(p50), ms(p99), ms(max)];
};

/**
 * `jobs` jobs, `perJob` subscribers each, `updates` commits; returns each commit's latencies: of
 * every delivery, of its last delivery, and the baseline's.
 */
async function measure({ server, databaseUrl }: Context, jobs: number, perJob: number, updates: number) {
  const token = await signUp(server.url);
  const templateId = await createTemplate(server.url, token, [{ key: "name", header: "Name", type: "STRING" }]);
  const sql = new pg.Client({ connectionString: databaseUrl });
  const listener = new pg.Client({ connectionString: databaseUrl });
  await Promise.all([sql.connect(), listener.connect()]);
  try {
    const { rows } = await sql.query<{ id: string }>(
      `insert into imports (user_id, template_id, file_name, file_size, file_type,
         template_columns, decimal_separator, date_order)
       select t.user_id, t.id, 'bench.csv', 0, 'csv', t.columns, t.decimal_separator, t.date_order
       from import_templates t, generate_series(1, $2) where t.id = $1 returning id`,
      [templateId, jobs],
    );
    const ids = rows.map((r) => r.id);
    await listener.query("listen job_status");

    let sent = 0;
    let pending = 0;
    let listened = false;
    let wake = () => {};
    const every: number[] = [];
    const last: number[] = [];
    const baseline: number[] = [];
    listener.on("notification", () => {
      if (listened) return;
      listened = true;
      baseline.push(performance.now() - sent);
      wake();
    });
    const onEvent = () => {
      const latency = performance.now() - sent;
      every.push(latency);
      if (--pending === 0) last.push(latency);
      wake();
    };
    const clients = await subscribe(
      server.url,
      token,
      ids.flatMap((id) => Array<string>(perJob).fill(id)),
      onEvent,
    );
    const { peaks } = await withPeaks(server, async () => {
      for (let i = 0; i < updates; i++) {
        pending = perJob;
        listened = false;
        sent = performance.now();
        await sql.query("update imports set rows_processed = rows_processed + 1 where id = $1", [ids[(i * 7) % jobs]]);
        while (pending > 0 || !listened) await new Promise<void>((resolve) => (wake = resolve));
      }
    });
    await Promise.all(clients.map((client) => client.dispose()));
    return { every, last, baseline, peaks };
  } finally {
    await Promise.all([sql.end(), listener.end()]);
  }
}

export const subscriptionsFanOut: Scenario = {
  name: "subscriptions-fan-out",
  async run(context) {
    const subscribers = context.sizes.subscribers;
    const updates = 100;
    console.log(
      `### 1 job × ${subscribers.toLocaleString("en")} graphql-ws subscribers: commit → event, ${updates} commits\n`,
    );
    const { every, last, baseline, peaks } = await measure(context, 1, subscribers, updates);
    table(
      ["", "p50", "p99", "max"],
      [
        row("baseline: bare LISTEN", baseline),
        row("ours: last delivery of each commit", last),
        row("ours: every delivery", every),
      ],
    );
    const ratio = summary(last).p99 / summary(baseline).p99;
    console.log(`ratio (p99, last delivery / baseline): ${ratio.toFixed(1)}; peak RSS ${formatPeaks(peaks)}\n`);
    return {
      subscribers,
      updates,
      baselineMs: summary(baseline),
      lastDeliveryMs: summary(last),
      everyDeliveryMs: summary(every),
      ratio,
      peaks,
    };
  },
};

export const subscriptionsManyJobs: Scenario = {
  name: "subscriptions-many-jobs",
  async run(context) {
    const jobs = context.sizes.subscribers;
    const updates = 300;
    console.log(
      `### ${jobs.toLocaleString("en")} jobs × 1 graphql-ws subscriber: commit → event, ${updates} commits\n`,
    );
    const { every, baseline, peaks } = await measure(context, jobs, 1, updates);
    table(["", "p50", "p99", "max"], [row("baseline: bare LISTEN", baseline), row("ours", every)]);
    const ratio = summary(every).p99 / summary(baseline).p99;
    console.log(`ratio (p99, ours / baseline): ${ratio.toFixed(1)}; peak RSS ${formatPeaks(peaks)}\n`);
    return { jobs, updates, baselineMs: summary(baseline), deliveryMs: summary(every), ratio, peaks };
  },
};
