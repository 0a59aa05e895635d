/**
 * Time from a committed status change to the graphql-ws client event, with 1,000 subscriptions
 * open (issue target: p99 ≤ 50 ms). The baseline, measured on the same updates in the same run, is
 * a bare pg client LISTENing on the same channel: the floor any NOTIFY-based design starts from.
 */
import { createClient, type Client } from "graphql-ws";
import pg from "pg";
import WebSocket from "ws";
import type { App } from "../src/app.js";
import { MAX_SUBSCRIPTIONS_PER_CONNECTION } from "../src/server/graphqlWs.js";
import { createTemplate, signUp } from "./graphqlClient.js";

const SUBSCRIPTIONS = 1_000;
const UPDATES = 300;

const QUERY = "subscription ($id: ID!) { jobStatus(id: $id) { id status ... on Import { rowsProcessed } } }";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  return `${f(percentile(sorted, 50))} | ${f(percentile(sorted, 99))} | ${f(sorted.at(-1)!)}`;
}

/** Opens `ids.length` jobStatus subscriptions over as few sockets as the per-socket cap allows. */
async function openSubscriptions(
  wsUrl: string,
  token: string,
  ids: string[],
  onEvent: (id: string, rowsProcessed: number) => void,
): Promise<Client[]> {
  const clients: Client[] = [];
  const ready: Array<Promise<void>> = [];
  ids.forEach((id, i) => {
    if (i % MAX_SUBSCRIPTIONS_PER_CONNECTION === 0) {
      clients.push(
        createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } }),
      );
    }
    ready.push(
      new Promise<void>((resolve, reject) => {
        let first = true;
        clients.at(-1)!.subscribe<{ jobStatus: { id: string; rowsProcessed: number } }>(
          { query: QUERY, variables: { id } },
          {
            next: ({ data }) => {
              if (first) {
                first = false;
                resolve();
              } else if (data) onEvent(data.jobStatus.id, data.jobStatus.rowsProcessed);
            },
            error: reject,
            complete: () => undefined,
          },
        );
      }),
    );
  });
  await Promise.all(ready);
  return clients;
}

/** Prints a markdown table of commit-to-event latencies for two shapes of 1,000 subscriptions. */
export async function subscriptionLatency(app: App, databaseUrl: string): Promise<void> {
  const url = app.url!;
  const wsUrl = url.replace(/^http/, "ws");
  const token = await signUp(url);
  const templateId = await createTemplate(url, token, [{ key: "name", header: "Name", type: "STRING" }]);
  const sql = new pg.Pool({ connectionString: databaseUrl });
  const baseline = new pg.Client({ connectionString: databaseUrl });
  await baseline.connect();
  await baseline.query("listen job_status");
  try {
    const { rows } = await sql.query<{ id: string }>(
      `insert into imports (user_id, template_id, file_name, file_size, file_type,
         template_columns, decimal_separator, date_order)
       select t.user_id, t.id, 'bench.csv', 0, 'csv', t.columns, t.decimal_separator, t.date_order
       from import_templates t, generate_series(1, $2)
       where t.id = $1 returning id`,
      [templateId, SUBSCRIPTIONS],
    );
    const ids = rows.map((r) => r.id);

    console.log(
      `### Subscription latency: commit → client event, ${SUBSCRIPTIONS.toLocaleString("en")} open subscriptions\n`,
    );
    console.log("| scenario | path | p50 | p99 | max |");
    console.log("| --- | --- | --- | --- | --- |");

    // one update at a time; each waits for every expected delivery before the next
    let started = 0;
    let expected = 0;
    let wake = () => {};
    const ours: number[] = [];
    const raw: number[] = [];
    let rawPending = false;
    baseline.on("notification", () => {
      if (!rawPending) return;
      rawPending = false;
      raw.push(performance.now() - started);
      wake();
    });
    const onEvent = () => {
      ours.push(performance.now() - started);
      expected--;
      wake();
    };
    const run = async (updates: number, pick: (i: number) => string, deliveries: number) => {
      ours.length = 0;
      raw.length = 0;
      for (let i = 0; i < updates; i++) {
        expected = deliveries;
        rawPending = true;
        started = performance.now();
        await sql.query("update imports set rows_processed = rows_processed + 1 where id = $1", [pick(i)]);
        while (expected > 0 || rawPending) await new Promise<void>((resolve) => (wake = resolve));
      }
    };

    // 1,000 jobs with one watcher each: the usual shape
    let clients = await openSubscriptions(wsUrl, token, ids, onEvent);
    await run(UPDATES, (i) => ids[(i * 7) % ids.length]!, 1);
    console.log(`| 1,000 jobs × 1 subscriber, ${UPDATES} updates | graphql-ws (ours) | ${summary(ours)} |`);
    console.log(`| | bare LISTEN (baseline) | ${summary(raw)} |`);
    await Promise.all(clients.map((client) => client.dispose()));

    // one job with 1,000 watchers: the fan-out shape (one read, 1,000 sends)
    const hot = ids[0]!;
    clients = await openSubscriptions(wsUrl, token, Array(SUBSCRIPTIONS).fill(hot), onEvent);
    await run(UPDATES / 10, () => hot, SUBSCRIPTIONS);
    console.log(
      `| 1 job × 1,000 subscribers, ${UPDATES / 10} updates | graphql-ws (ours), every delivery | ${summary(ours)} |`,
    );
    console.log(`| | bare LISTEN (baseline) | ${summary(raw)} |`);
    await Promise.all(clients.map((client) => client.dispose()));
    console.log();
  } finally {
    await baseline.end();
    await sql.end();
  }
}
