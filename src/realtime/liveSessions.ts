import type { ExecutionResult } from "graphql";
import { Repeater } from "graphql-yoga";
import { unauthenticatedMessage } from "../auth/authenticate.js";
import { apiKeyStands } from "../auth/apiKeys.js";
import { sessionStands, type Credential, type CredentialKind, type Viewer } from "../auth/sessions.js";
import type { PrismaClient } from "../db/database.js";
import { UserError } from "../errors.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";

/** How long a read of "does this session (or key) still stand" is trusted; a NOTIFY on revoke ends it sooner. */
const RECHECK_AFTER_MS = 1_000;
/** setTimeout's longest delay (~24.8 days); a later expiry re-arms its timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Watched {
  kind: CredentialKind;
  expiresAt: Date | null;
  /** Fires at `expiresAt`; none for a key that never expires. */
  timer?: NodeJS.Timeout;
  ends: Set<() => void>;
  /** The last read of the session's row, shared by every operation of its connections for a second. */
  check?: { at: number; stands: Promise<boolean> };
}

/**
 * The sessions and API keys this API process's sockets and SSE streams run on (both "sessions"
 * here: a key is watched as a session is, by its id), and when each ends: its row is deleted
 * (`logOut`, `revokeApiKey`, revocation: announced by the `session_revoked` NOTIFY of the
 * `sessions` and `api_keys` triggers, fed in through {@link JobEvents}'s LISTEN connection), or its
 * `expiresAt` passes (a timer). Either way every connection of the session is told at once, on
 * every process.
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
    const { id, kind } = viewer.credential;
    let entry = this.watched.get(id);
    if (!entry) {
      entry = {
        kind,
        expiresAt: viewer.expiresAt,
        timer: viewer.expiresAt ? this.expiryTimer(id, viewer.expiresAt) : undefined,
        ends: new Set(),
      };
      this.watched.set(id, entry);
    }
    // one function object per watch, so the same `end` watched twice is two watches
    const once = () => end();
    entry.ends.add(once);
    return () => {
      const current = this.watched.get(id);
      if (!current?.ends.delete(once) || current.ends.size > 0) return;
      clearTimeout(current.timer);
      this.watched.delete(id);
    };
  }

  /**
   * Whether the viewer's session still stands, for each operation on a long-lived connection: its
   * row is read at most once a second per session (the NOTIFY usually says sooner).
   */
  async stands(viewer: Viewer): Promise<boolean> {
    if (viewer.expiresAt && viewer.expiresAt.getTime() <= Date.now()) return false;
    const entry = this.watched.get(viewer.credential.id);
    if (!entry) return this.read(viewer.credential);
    if (!entry.check || Date.now() - entry.check.at > RECHECK_AFTER_MS) {
      entry.check = { at: Date.now(), stands: this.read(viewer.credential) };
      entry.check.stands.then(
        (stands) => stands || this.end(viewer.credential.id, "revoked"),
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
        const message = unauthenticatedMessage({ tokenRejected: viewer.credential.kind });
        void push({ errors: [new UserError("UNAUTHENTICATED", message)] });
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

  /** The session's (or API key's) row is gone: ends its connections. */
  revoked(id: string): void {
    this.end(id, "revoked");
  }

  /**
   * After the LISTEN connection was lost, revocations may have been missed: reads every watched
   * session once and ends those that no longer stand.
   */
  async recheckAll(): Promise<void> {
    const ids = [...this.watched.keys()];
    if (ids.length === 0) return;
    const now = new Date();
    const ofKind = (kind: CredentialKind) => ids.filter((id) => this.watched.get(id)?.kind === kind);
    try {
      const standing = await Promise.all([
        this.prisma.session.findMany({
          where: { id: { in: ofKind("session") }, expiresAt: { gt: now } },
          select: { id: true },
        }),
        this.prisma.apiKey.findMany({
          where: { id: { in: ofKind("apiKey") }, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
          select: { id: true },
        }),
      ]);
      const stands = new Set(standing.flat().map((row) => row.id));
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

  /** One read of whether a session or key stands, in its own table. */
  private read({ kind, id }: Credential): Promise<boolean> {
    return kind === "apiKey" ? apiKeyStands(this.prisma, id) : sessionStands(this.prisma, id);
  }

  private expiryTimer(id: string, expiresAt: Date): NodeJS.Timeout {
    const wait = Math.min(Math.max(expiresAt.getTime() - Date.now(), 0), MAX_TIMER_MS);
    return setTimeout(() => {
      const entry = this.watched.get(id);
      if (!entry?.expiresAt) return;
      if (entry.expiresAt.getTime() > Date.now()) entry.timer = this.expiryTimer(id, entry.expiresAt);
      else this.end(id, "expired");
    }, wait);
  }

  private end(id: string, why: "revoked" | "expired") {
    const entry = this.watched.get(id);
    if (!entry) return;
    this.watched.delete(id);
    clearTimeout(entry.timer);
    const [field, what] = entry.kind === "apiKey" ? ["apiKeyId", "API key"] : ["sessionId", "session"];
    this.logger.info({ [field]: id, connections: entry.ends.size }, `${what} ${why}: closing its connections`);
    for (const end of entry.ends) end();
  }
}
