import { Repeater } from "graphql-yoga";
import pg from "pg";
import type { PrismaClient } from "../db/database.js";
import { findChangedJobs, loadJob } from "../jobs/findJob.js";
import { jobKind, type Job, type JobKind } from "../jobs/jobKinds.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import type { LiveSessions } from "./liveSessions.js";

/** The channel `tg__notify_job_status` announces job changes on. */
const CHANNEL = "job_status";
/** The channel `tg_sessions__notify_revoked` announces deleted sessions on (the payload is the id). */
const SESSIONS_CHANNEL = "session_revoked";
/** How the LISTEN connection shows in pg_stat_activity (and how a test finds it to kill it). */
export const LISTENER_APPLICATION_NAME = "xls-importer job events";
const MAX_BACKOFF_MS = 5_000;
/**
 * After a reconnect, jobs of `myJobs` watchers changed since this long before the connection
 * dropped are re-read too: an update made just before the drop may have committed after it.
 */
const CATCH_UP_SLACK_MS = 5_000;

interface Notification {
  kind: JobKind;
  id: string;
  userId: string;
}

/** One subscription: gets each new state of the jobs it watches, once. */
interface Subscriber {
  /** `print` identifies the state, computed once per read however many subscribers share it. */
  deliver(job: Job, print: string): void;
}

/** NEEDS_REVIEW is not among them: the job waits for its user, and goes on once they confirm it. */
const FINAL_STATUSES = new Set(["COMPLETED", "FAILED", "CANCELLED"]);

/** True once a job has reached a status it leaves only if someone retries it (CANCELLED: never). */
export function isFinal(job: Job): boolean {
  return FINAL_STATUSES.has(job.status);
}

function fingerprint(job: Job): string {
  return JSON.stringify(job, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

/**
 * Fans job changes out to subscribers in this process, from ONE dedicated LISTEN connection (not a
 * pool connection, so it never sits behind a transaction-mode pooler). Each notification costs one
 * read of the job's row, shared by everyone watching that job or its owner; reads of one job run
 * one at a time, so subscribers see its states in order.
 *
 * When the connection drops, it reconnects with backoff and re-reads every watched job (and, for
 * `myJobs` watchers, every job of theirs that changed meanwhile), so nobody waits forever on a job
 * that finished while the listener was away.
 *
 * The same connection hears of revoked sessions and tells {@link LiveSessions}, which closes their
 * sockets and streams; after an outage it has every live session re-read.
 */
export class JobEvents {
  private client: pg.Client | undefined;
  private readonly byJob = new Map<string, { kind: JobKind; subscribers: Set<Subscriber> }>();
  private readonly byUser = new Map<string, Set<Subscriber>>();
  /** Jobs being read now; `again` asks for one more read once the current one is done. */
  private readonly reading = new Map<string, { again: boolean }>();
  private disconnectedAt: number | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private disposed = false;

  private constructor(
    private readonly databaseUrl: string,
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
    private readonly sessions: LiveSessions,
  ) {}

  /** Connects and LISTENs before returning, so no subscriber can start before the listener. */
  static async start(
    databaseUrl: string,
    prisma: PrismaClient,
    logger: Logger,
    sessions: LiveSessions,
  ): Promise<JobEvents> {
    const events = new JobEvents(databaseUrl, prisma, logger, sessions);
    await events.connect();
    return events;
  }

  /** The job's current state, then each change; ends after COMPLETED, FAILED or CANCELLED. */
  watchJob(job: Job): AsyncIterableIterator<Job> {
    return new Repeater<Job>(async (push, stop) => {
      let last: string | undefined;
      const subscriber: Subscriber = {
        deliver: (state, print) => {
          if (print === last) return;
          last = print;
          void push(state);
          if (isFinal(state)) stop();
        },
      };
      const kind = jobKind(job);
      const entry = this.byJob.get(job.id) ?? { kind, subscribers: new Set() };
      entry.subscribers.add(subscriber);
      this.byJob.set(job.id, entry);
      // registered first, read second: a change committed in between is read too
      this.refresh(kind, job.id);
      await stop;
      entry.subscribers.delete(subscriber);
      if (entry.subscribers.size === 0 && this.byJob.get(job.id) === entry) this.byJob.delete(job.id);
    });
  }

  /** Every change to any of the user's jobs, of any kind. Never ends by itself. */
  watchUser(userId: string): AsyncIterableIterator<Job> {
    return new Repeater<Job>(async (push, stop) => {
      const last = new Map<string, string>();
      const subscriber: Subscriber = {
        deliver: (state, print) => {
          if (last.get(state.id) === print) return;
          last.set(state.id, print);
          void push(state);
        },
      };
      const subscribers = this.byUser.get(userId) ?? new Set();
      subscribers.add(subscriber);
      this.byUser.set(userId, subscribers);
      await stop;
      subscribers.delete(subscriber);
      if (subscribers.size === 0) this.byUser.delete(userId);
    });
  }

  /** Stops listening; open subscriptions stay open (the servers close them). */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: LISTENER_APPLICATION_NAME });
    client.on("notification", (message) => {
      if (message.channel === SESSIONS_CHANNEL) this.sessions.revoked(message.payload ?? "");
      else this.onNotification(message.payload);
    });
    client.on("error", (err) => this.onLost(client, err));
    client.on("end", () => this.onLost(client));
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}; listen ${SESSIONS_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners();
      client.on("error", () => undefined);
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
  }

  private onLost(client: pg.Client, err?: Error) {
    if (this.client !== client || this.disposed) return;
    this.client = undefined;
    this.disconnectedAt ??= Date.now();
    this.logger.warn({ err }, "job events: LISTEN connection lost; reconnecting");
    void client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    // exponential with jitter, so many API processes do not all knock at once after a restart
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.failures) * (0.5 + Math.random() / 2);
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          this.failures = 0;
          this.logger.info("job events: LISTEN connection back");
          void this.catchUp();
        },
        (err: unknown) => {
          this.failures++;
          if (this.disposed) return;
          this.logger.warn({ err: coerceError(err) }, "job events: reconnect failed");
          this.scheduleReconnect();
        },
      );
    }, delay);
  }

  /** After an outage: re-read what subscribers may have missed. */
  private async catchUp() {
    const since = new Date((this.disconnectedAt ?? Date.now()) - CATCH_UP_SLACK_MS);
    this.disconnectedAt = undefined;
    void this.sessions.recheckAll();
    for (const [id, { kind }] of this.byJob) this.refresh(kind, id);
    const userIds = [...this.byUser.keys()];
    if (userIds.length === 0) return;
    try {
      for (const { kind, id } of await findChangedJobs(this.prisma, userIds, since)) this.refresh(kind, id);
    } catch (err) {
      this.logger.error({ err: coerceError(err) }, "job events: catch-up read failed");
    }
  }

  private onNotification(payload: string | undefined) {
    let note: Notification;
    try {
      note = JSON.parse(payload ?? "") as Notification;
    } catch {
      this.logger.warn({ payload }, "job events: unreadable notification");
      return;
    }
    if (this.byJob.has(note.id) || this.byUser.has(note.userId)) this.refresh(note.kind, note.id);
  }

  /** Reads a job once for all its watchers; a request during a read queues exactly one more read. */
  private refresh(kind: JobKind, id: string) {
    const inFlight = this.reading.get(id);
    if (inFlight) {
      inFlight.again = true;
      return;
    }
    const state = { again: false };
    this.reading.set(id, state);
    void (async () => {
      do {
        state.again = false;
        try {
          const job = await loadJob(this.prisma, kind, id);
          if (job) this.fanOut(job);
        } catch (err) {
          // the LISTEN connection's catch-up re-reads after an outage; nothing else to do here
          this.logger.error({ err: coerceError(err), jobId: id }, "job events: could not read job");
        }
      } while (state.again);
      this.reading.delete(id);
    })();
  }

  private fanOut(job: Job) {
    const print = fingerprint(job);
    for (const subscriber of this.byJob.get(job.id)?.subscribers ?? []) subscriber.deliver(job, print);
    for (const subscriber of this.byUser.get(job.userId) ?? []) subscriber.deliver(job, print);
  }
}
