import type { ExecutionResult } from "graphql";
import { isAsyncIterable } from "graphql-yoga";

/**
 * What a subscription's stream is, which decides what a late joiner of a shared one is given:
 * - `state`: the current state first, then each change (`jobStatus`): a joiner starts with the
 *   latest result the others got;
 * - `changes`: only what happens from now on (`myJobs`): a joiner starts with the next one.
 *
 * A root subscription field declares it in its `extensions` under {@link STREAM_KIND}; a field
 * that does not is never shared.
 */
export type StreamKind = "state" | "changes";
export const STREAM_KIND = "streamKind";

type Results = AsyncIterableIterator<ExecutionResult>;

/**
 * Runs one subscription's execution for every operation with the same key, so a change is read,
 * executed and serialised once however many sockets watch it. The key must hold everything the
 * results depend on: the document, the operation name, the variables and the viewer (two users'
 * operations never share; a user's two sockets do).
 *
 * Each operation still starts on its own (`start`: Yoga's subscribe, with its checks, its request
 * budget and its errors); when one with the same key is already running, the new one's own stream
 * is closed at once and it follows the running one instead, beginning as its own would have (see
 * {@link StreamKind}). Each operation ends on its own too: a member's `return()` (the client's
 * `complete`, its socket closing) leaves the others running; the shared stream stops once its last
 * member leaves, and when it ends or fails, every member ends or fails the same way.
 */
export class SharedSubscriptions {
  private readonly running = new Map<string, SharedStream>();

  async subscribe(
    key: string,
    kind: StreamKind,
    start: () => Promise<ExecutionResult | Results>,
  ): Promise<ExecutionResult | Results> {
    const own = await start();
    if (!isAsyncIterable(own)) return own;
    const shared = this.running.get(key);
    if (shared) {
      void own.return?.().catch(() => undefined);
      return shared.join(kind === "state");
    }
    const stream = new SharedStream(own, () => {
      if (this.running.get(key) === stream) this.running.delete(key);
    });
    this.running.set(key, stream);
    return stream.join(false);
  }
}

/** One execution's results, handed to each member as they come. */
class SharedStream {
  private readonly members = new Set<Member>();
  private latest: ExecutionResult | undefined;

  constructor(
    private readonly source: Results,
    /** Called once, when no new member may join any more. */
    private readonly close: () => void,
  ) {
    void this.pump();
  }

  join(replayLatest: boolean): Member {
    const member = new Member(() => this.leave(member));
    this.members.add(member);
    if (replayLatest && this.latest) member.push(this.latest);
    return member;
  }

  private leave(member: Member) {
    this.members.delete(member);
    if (this.members.size > 0) return;
    this.close();
    // a pending next() of the source then settles as done
    void this.source.return?.().catch(() => undefined);
  }

  private async pump() {
    let failure: { error: unknown } | undefined;
    try {
      for (let next = await this.source.next(); !next.done; next = await this.source.next()) {
        this.latest = next.value;
        for (const member of this.members) member.push(next.value);
      }
    } catch (error) {
      failure = { error };
    }
    this.close();
    for (const member of this.members) member.end(failure);
    this.members.clear();
  }
}

/** One operation's view of a shared stream: its own queue, so a slow socket holds back no other. */
class Member implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: ExecutionResult[] = [];
  private waiting: { resolve(result: IteratorResult<ExecutionResult>): void; reject(error: unknown): void } | undefined;
  private ended: { failure?: { error: unknown } } | undefined;

  constructor(private readonly leave: () => void) {}

  push(result: ExecutionResult) {
    if (this.ended) return;
    if (this.waiting) {
      this.waiting.resolve({ value: result, done: false });
      this.waiting = undefined;
    } else this.queue.push(result);
  }

  /** The shared stream is over: the queued results go out first, then the end or the error. */
  end(failure?: { error: unknown }) {
    if (this.ended) return;
    this.ended = { failure };
    if (!this.waiting) return;
    if (failure) this.waiting.reject(failure.error);
    else this.waiting.resolve({ value: undefined, done: true });
    this.waiting = undefined;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve({ value: queued, done: false });
    if (this.ended) {
      const failure = this.ended.failure;
      this.ended = {}; // the error is thrown once, then the iterator is done
      return failure ? Promise.reject(failure.error) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.ended) {
      this.ended = {};
      this.leave();
    }
    this.queue.length = 0;
    this.waiting?.resolve({ value: undefined, done: true });
    this.waiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}
