import { Gauge, Registry } from "prom-client";
import type pg from "pg";
import type { Database } from "../db/database.js";
import { JobStatus } from "../generated/prisma/enums.js";
import { JOB_KINDS, jobKinds } from "../jobs/jobKinds.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import type { ConnectionLimits } from "../server/connectionLimits.js";
import { processRegistry } from "./processMetrics.js";

/** The states of graphile-worker's jobs that `xls_importer_queue_jobs` tells apart. */
const QUEUE_STATES = ["ready", "scheduled", "running", "failed"] as const;

/** What one process shows at `/metrics`. */
export interface Metrics {
  /** The Prometheus text exposition of every metric, read now. */
  render(): Promise<string>;
  /** The media type of {@link render}'s text. */
  readonly contentType: string;
  /** Counts this process's connections, sockets, streams and subscriptions (API processes). */
  watchConnections(limits: ConnectionLimits): void;
}

interface Snapshot {
  jobs: Array<{ kind: string; status: string; jobs: number }>;
  queue: Array<{ task: string; ready: number; scheduled: number; running: number; failed: number }>;
  oldestReadySeconds: number;
}

/**
 * The metrics of one app, read when scraped:
 * - from PostgreSQL, so they are the same whichever process is asked (aggregate them with `max`,
 *   not `sum`): jobs by kind and status, graphile-worker's queue by task and state, and how long
 *   the oldest job ready to run has waited;
 * - from this process: its database pools, and (API processes) its open connections, WebSockets,
 *   SSE streams and subscriptions; with the job run histograms and Node's own metrics (see
 *   processMetrics.ts). Sum these over processes.
 *
 * Nothing here names a user: every label is a kind, status, task, state or pool.
 */
export function createMetrics(db: Database, logger: Logger): Metrics {
  const registry = new Registry();
  const readSnapshot = snapshots(db.pool);
  let limits: ConnectionLimits | undefined;
  let warned = false;
  /** The reading of the scrape being rendered, which all of its metrics share. */
  let current: Promise<Snapshot | undefined> = Promise.resolve(undefined);

  /** The counts from PostgreSQL, or undefined when they could not be read (logged once per outage). */
  const takeSnapshot = async (): Promise<Snapshot | undefined> => {
    try {
      const read = await readSnapshot();
      warned = false;
      return read;
    } catch (err) {
      if (!warned) logger.warn({ err: coerceError(err) }, "/metrics: could not read job and queue counts");
      warned = true;
      return undefined;
    }
  };
  const snapshot = () => current;

  new Gauge({
    name: "xls_importer_database_up",
    help: "1 when this scrape read the job and queue counts from PostgreSQL; 0 when it could not (those metrics are then absent).",
    registers: [registry],
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  new Gauge({
    name: "xls_importer_jobs",
    help: "Jobs (imports, exports) in the database by kind and status, counted at scrape time: the same in every process.",
    labelNames: ["kind", "status"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const read = await snapshot();
      if (!read) return;
      for (const kind of jobKinds()) for (const status of Object.values(JobStatus)) this.set({ kind, status }, 0);
      for (const { kind, status, jobs } of read.jobs) this.set({ kind, status }, jobs);
    },
  });
  new Gauge({
    name: "xls_importer_queue_jobs",
    help: "graphile-worker's jobs by task and state: ready (may run now), scheduled (waiting for its time, e.g. a retry's backoff), running (locked by a worker), failed (out of attempts). The same in every process.",
    labelNames: ["task", "state"] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const read = await snapshot();
      if (!read) return;
      for (const kind of jobKinds())
        for (const state of QUEUE_STATES) this.set({ task: JOB_KINDS[kind].task, state }, 0);
      for (const row of read.queue) for (const state of QUEUE_STATES) this.set({ task: row.task, state }, row[state]);
    },
  });
  new Gauge({
    name: "xls_importer_queue_oldest_ready_age_seconds",
    help: "How long the oldest job that may run now has been waiting for a worker (0 when none waits). The same in every process.",
    registers: [registry],
    async collect() {
      this.reset();
      const read = await snapshot();
      if (read) this.set(read.oldestReadySeconds);
    },
  });

  const pools: Record<string, pg.Pool> = { api: db.pool, uploads: db.uploadPool, worker: db.worker.pool };
  /** The pools as they were when the scrape began, before its own queries took connections. */
  let poolStats = readPools(pools);
  new Gauge({
    name: "xls_importer_db_pool_connections",
    help: "Connections of this process's database pools: busy (lent out) or idle.",
    labelNames: ["pool", "state"] as const,
    registers: [registry],
    collect() {
      for (const [pool, { totalCount, idleCount }] of Object.entries(poolStats)) {
        this.set({ pool, state: "busy" }, totalCount - idleCount);
        this.set({ pool, state: "idle" }, idleCount);
      }
    },
  });
  new Gauge({
    name: "xls_importer_db_pool_max_connections",
    help: "The most connections each of this process's database pools may open.",
    labelNames: ["pool"] as const,
    registers: [registry],
    collect() {
      for (const [pool, { max }] of Object.entries(poolStats)) this.set({ pool }, max);
    },
  });
  new Gauge({
    name: "xls_importer_db_pool_waiting",
    help: "Requests of this process waiting for a connection of a pool (the api pool answers DATABASE_BUSY past DATABASE_POOL_WAIT_SECONDS).",
    labelNames: ["pool"] as const,
    registers: [registry],
    collect() {
      for (const [pool, { waitingCount }] of Object.entries(poolStats)) this.set({ pool }, waitingCount);
    },
  });

  // API processes only: a worker has no connections to count, and shows none of these
  const connectionGauge = (name: string, help: string, read: (limits: ConnectionLimits) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        if (limits) this.set(read(limits));
      },
    });
  connectionGauge(
    "xls_importer_open_connections",
    "TCP connections open to this API process (HTTP, SSE and WebSockets).",
    (l) => l.connections.open,
  );
  new Gauge({
    name: "xls_importer_websockets",
    help: "graphql-ws sockets open on this API process, by whether a user signed in on them.",
    labelNames: ["signed_in"] as const,
    registers: [registry],
    collect() {
      this.reset();
      if (!limits) return;
      this.set({ signed_in: "true" }, limits.userSockets.open);
      this.set({ signed_in: "false" }, limits.anonymousSockets.open);
    },
  });
  connectionGauge(
    "xls_importer_sse_streams",
    "SSE streams (subscriptions over HTTP) open on this API process.",
    (l) => l.sseStreams.open,
  );
  connectionGauge(
    "xls_importer_subscriptions",
    "Subscriptions open on this API process, over graphql-ws and SSE.",
    (l) => l.subscriptions.open,
  );

  const merged = Registry.merge([processRegistry, registry]);
  return {
    render() {
      poolStats = readPools(pools);
      current = takeSnapshot();
      return merged.metrics();
    },
    contentType: merged.contentType,
    watchConnections(watched) {
      limits = watched;
    },
  };
}

/** Each pool's counts now (pg's default size is 10). */
function readPools(pools: Record<string, pg.Pool>) {
  return Object.fromEntries(
    Object.entries(pools).map(([name, pool]) => [
      name,
      {
        totalCount: pool.totalCount,
        idleCount: pool.idleCount,
        waitingCount: pool.waitingCount,
        max: pool.options.max ?? 10,
      },
    ]),
  );
}

/**
 * Reads the job and queue counts on `pool` (statement timeout included). Scrapes that come while a
 * reading is under way share it, so however many scrapers there are, a process runs one at a time.
 */
function snapshots(pool: pg.Pool): () => Promise<Snapshot> {
  const jobsSql = jobKinds()
    .map(
      (kind) =>
        `select '${kind}' as kind, status::text as status, count(*)::float8 as jobs from ${JOB_KINDS[kind].table} group by status`,
    )
    .join(" union all ");
  // graphile-worker's public view; a job whose attempts ran out stays there until removed
  const queueSql = `
    select task_identifier as task,
      count(*) filter (where locked_at is null and attempts < max_attempts and run_at <= now())::float8 as ready,
      count(*) filter (where locked_at is null and attempts < max_attempts and run_at > now())::float8 as scheduled,
      count(*) filter (where locked_at is not null)::float8 as running,
      count(*) filter (where locked_at is null and attempts >= max_attempts)::float8 as failed,
      extract(epoch from now() - min(run_at) filter (
        where locked_at is null and attempts < max_attempts and run_at <= now()))::float8 as oldest
    from graphile_worker.jobs
    group by task_identifier`;
  let pending: Promise<Snapshot> | undefined;
  return () => {
    if (pending) return pending;
    const read = (async () => {
      const [jobs, queue] = await Promise.all([
        pool.query<Snapshot["jobs"][number]>(jobsSql),
        pool.query<Snapshot["queue"][number] & { oldest: number | null }>(queueSql),
      ]);
      const oldest = Math.max(0, ...queue.rows.map((row) => row.oldest ?? 0));
      return { jobs: jobs.rows, queue: queue.rows, oldestReadySeconds: oldest };
    })();
    pending = read;
    const done = () => {
      if (pending === read) pending = undefined;
    };
    read.then(done, done);
    return read;
  };
}
