import type { ExecutionResult } from "graphql";
import { Repeater } from "graphql-yoga";
import { unauthenticatedMessage } from "../auth/authenticate.js";
import { sessionStands, type Viewer } from "../auth/sessions.js";
import type { PrismaClient } from "../db/database.js";
import { UserError } from "../errors.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";

/** How long a read of "does this session still stand" is trusted; a NOTIFY on revoke ends it sooner. */
const RECHECK_AFTER_MS = 1_000;
/** setTimeout's longest delay (~24.8 days); a later expiry re-arms its timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Watched {
  expiresAt: Date;
  timer: NodeJS.Timeout;
  ends: Set<() => void>;
  /** The last read of the session's row, shared by every operation of its connections for a second. */
  check?: { at: number; stands: Promise<boolean> };
}

/**
 * The sessions this API process's sockets and SSE streams run on, and when each ends: its row is
 * deleted (`logOut`, revocation: announced by the `session_revoked` NOTIFY, fed in through
 * {@link JobEvents}'s LISTEN connection), or its `expiresAt` passes (a timer). Either way every
 * connection of the session is told at once, on every process.
 */
export class LiveSessions {
  private readonly watched = new Map<string, Watched>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Calls `end` once, when the viewer's session is revoked or expires. Returns the function that
   * stops watching (a connection that closes for another reason).
   */
  watch(viewer: Viewer, end: () => void): () => void {
    let entry = this.watched.get(viewer.sessionId);
    if (!entry) {
      entry = {
        expiresAt: viewer.expiresAt,
        timer: this.expiryTimer(viewer.sessionId, viewer.expiresAt),
        ends: new Set(),
      };
      this.watched.set(viewer.sessionId, entry);
    }
    // one function object per watch, so the same `end` watched twice is two watches
    const once = () => end();
    entry.ends.add(once);
    return () => {
      const current = this.watched.get(viewer.sessionId);
      if (!current?.ends.delete(once) || current.ends.size > 0) return;
      clearTimeout(current.timer);
      this.watched.delete(viewer.sessionId);
    };
  }

  /**
   * Whether the viewer's session still stands, for each operation on a long-lived connection: its
   * row is read at most once a second per session (the NOTIFY usually says sooner).
   */
  async stands(viewer: Viewer): Promise<boolean> {
    if (viewer.expiresAt.getTime() <= Date.now()) return false;
    const entry = this.watched.get(viewer.sessionId);
    if (!entry) return sessionStands(this.prisma, viewer.sessionId);
    if (!entry.check || Date.now() - entry.check.at > RECHECK_AFTER_MS) {
      entry.check = { at: Date.now(), stands: sessionStands(this.prisma, viewer.sessionId) };
      entry.check.stands.then(
        (stands) => stands || this.end(viewer.sessionId, "revoked"),
        () => undefined, // the operation that asked sees the error
      );
    }
    return entry.check.stands;
  }

  /**
   * `source`'s results until the viewer's session is revoked or expires: then one UNAUTHENTICATED
   * result and the end (`complete`), so the client learns which operation lost its session, with
   * the code HTTP would give. `onEnd` runs once it is over, whichever way. For a subscription whose
   * session is not its connection's own: an SSE stream's, or an operation on a WebSocket carrying
   * its own token.
   */
  untilEnded(
    source: AsyncIterable<ExecutionResult>,
    viewer: Viewer,
    onEnd: () => void = () => undefined,
  ): AsyncIterableIterator<ExecutionResult> {
    return new Repeater<ExecutionResult>(async (push, stop) => {
      const unwatch = this.watch(viewer, () => {
        void push({ errors: [new UserError("UNAUTHENTICATED", unauthenticatedMessage({ tokenRejected: true }))] });
        stop();
      });
      // a revocation announced between the token's lookup and the watch above went unheard: read
      // the session once more (a failed read leaves the subscription be, like any other outage)
      this.stands(viewer).catch(() => undefined);
      const iterator = source[Symbol.asyncIterator]();
      void (async () => {
        try {
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) await push(next.value);
          stop();
        } catch (err) {
          stop(err);
        }
      })();
      await stop;
      unwatch();
      onEnd();
      await iterator.return?.();
    });
  }

  /** The session's row is gone: ends its connections. */
  revoked(sessionId: string): void {
    this.end(sessionId, "revoked");
  }

  /**
   * After the LISTEN connection was lost, revocations may have been missed: reads every watched
   * session once and ends those that no longer stand.
   */
  async recheckAll(): Promise<void> {
    const ids = [...this.watched.keys()];
    if (ids.length === 0) return;
    try {
      const standing = await this.prisma.session.findMany({
        where: { id: { in: ids }, expiresAt: { gt: new Date() } },
        select: { id: true },
      });
      const stands = new Set(standing.map((session) => session.id));
      for (const id of ids) if (!stands.has(id)) this.end(id, "revoked");
    } catch (err) {
      this.logger.error({ err: coerceError(err) }, "live sessions: re-reading sessions failed");
    }
  }

  /** Stops the expiry timers; the servers close the connections themselves. */
  dispose(): void {
    for (const entry of this.watched.values()) clearTimeout(entry.timer);
    this.watched.clear();
  }

  private expiryTimer(sessionId: string, expiresAt: Date): NodeJS.Timeout {
    const wait = Math.min(Math.max(expiresAt.getTime() - Date.now(), 0), MAX_TIMER_MS);
    return setTimeout(() => {
      const entry = this.watched.get(sessionId);
      if (!entry) return;
      if (entry.expiresAt.getTime() > Date.now()) entry.timer = this.expiryTimer(sessionId, entry.expiresAt);
      else this.end(sessionId, "expired");
    }, wait);
  }

  private end(sessionId: string, why: "revoked" | "expired") {
    const entry = this.watched.get(sessionId);
    if (!entry) return;
    this.watched.delete(sessionId);
    clearTimeout(entry.timer);
    this.logger.info({ sessionId, connections: entry.ends.size }, `session ${why}: closing its connections`);
    for (const end of entry.ends) end();
  }
}
