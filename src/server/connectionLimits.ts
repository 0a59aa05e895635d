import type { Config } from "../config.js";

/** Gives a slot back; calling it again does nothing. */
export type Release = () => void;

/** At most `max` slots per key (a user, an IP address) at once. */
class Slots {
  private readonly taken = new Map<string, number>();
  private total = 0;

  constructor(private readonly max: number) {}

  /** Slots taken now, over every key (for /metrics). */
  get open(): number {
    return this.total;
  }

  /** A slot for `key`, or undefined when all of its `max` are taken. */
  take(key: string): Release | undefined {
    const count = this.taken.get(key) ?? 0;
    if (count >= this.max) return undefined;
    this.taken.set(key, count + 1);
    this.total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total -= 1;
      const left = (this.taken.get(key) ?? 1) - 1;
      if (left > 0) this.taken.set(key, left);
      else this.taken.delete(key);
    };
  }
}

/**
 * What one API process lets each user and each IP address hold open at once: connections, sockets,
 * SSE streams and subscriptions over both. Counted in memory, per process: a load balancer spreading clients
 * over N processes multiplies them by N.
 */
export class ConnectionLimits {
  /** TCP connections per IP address (an IPv6 one by its /64), whatever they carry. */
  readonly connections: Slots;
  /** WebSockets without a signed-in user, per IP address (an IPv6 one by its /64), from the upgrade on. */
  readonly anonymousSockets: Slots;
  /** WebSockets per signed-in user. */
  readonly userSockets: Slots;
  /** SSE streams per user. */
  readonly sseStreams: Slots;
  /** Subscriptions per user, over all their sockets and SSE streams. */
  readonly subscriptions: Slots;

  constructor(
    readonly config: Pick<
      Config,
      | "maxConnectionsPerIp"
      | "maxAnonymousSocketsPerIp"
      | "maxSocketsPerUser"
      | "maxSseStreamsPerUser"
      | "maxSubscriptionsPerUser"
      | "anonymousSocketIdleSeconds"
      | "sseMaxLifetimeSeconds"
    >,
  ) {
    this.connections = new Slots(config.maxConnectionsPerIp);
    this.anonymousSockets = new Slots(config.maxAnonymousSocketsPerIp);
    this.userSockets = new Slots(config.maxSocketsPerUser);
    this.sseStreams = new Slots(config.maxSseStreamsPerUser);
    this.subscriptions = new Slots(config.maxSubscriptionsPerUser);
  }
}
