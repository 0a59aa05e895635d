import type { IncomingMessage } from "node:http";
import { isIPv6 } from "node:net";
import { GraphQLError } from "graphql";
import type pg from "pg";
import type { ErrorCode } from "../errors.js";

const CODE: ErrorCode = "RATE_LIMITED";

/** Every limit counts per minute. */
export const WINDOW_SECONDS = 60;

/**
 * Counts one hit against each of `keys` in `rate_limits`, and answers in how many seconds the
 * busiest of them is back under `limit`, or 0 when none is past it.
 *
 * A fixed window per key, started by its first hit: one row and one upsert, shared by every API
 * process, with an exact `retryAfter` (the window's end). Its flaw, up to twice `limit` across a
 * window's edge, still bounds a client to `limit` a minute over any longer stretch; a sliding
 * window would cost a second counter and give a fuzzier `retryAfter` to avoid it.
 *
 * One statement and no transaction: PostgreSQL runs it atomically, so concurrent hits, from any
 * process, each count once, and a refused hit counts too (a flood keeps its window full). Keys
 * must be distinct: an upsert cannot touch one row twice.
 */
export async function countHit(pool: pg.Pool, keys: readonly string[], limit: number): Promise<number> {
  const { rows } = await pool.query<{ hits: number; retry_after: number }>(
    `insert into rate_limits as r (key, window_start, hits)
     select key, now(), 1 from unnest($1::text[]) as key
     on conflict (key) do update set
       window_start = case when r.window_start > now() - make_interval(secs => $2) then r.window_start else now() end,
       hits = case when r.window_start > now() - make_interval(secs => $2) then r.hits + 1 else 1 end
     returning r.hits, ceil(extract(epoch from r.window_start + make_interval(secs => $2) - now()))::int as retry_after`,
    [keys, WINDOW_SECONDS],
  );
  const over = rows.filter((row) => row.hits > limit);
  return over.length ? Math.max(1, ...over.map((row) => row.retry_after)) : 0;
}

/**
 * RATE_LIMITED, saying when to try again in words and in `extensions.retryAfter` (seconds). When
 * the operation came over HTTP, Yoga answers it 429 with a `Retry-After` header; over graphql-ws
 * the `http` extension would reach the client as is, so it is left out there.
 */
export function rateLimited(what: "attempts" | "requests", retryAfter: number, context: object): GraphQLError {
  const seconds = retryAfter === 1 ? "1 second" : `${retryAfter} seconds`;
  // Yoga puts the Fetch `request` into the context of every HTTP (and SSE) operation, graphql-ws does not
  const http = "request" in context ? { status: 429, headers: { "Retry-After": String(retryAfter) } } : undefined;
  return new GraphQLError(`Too many ${what}; try again in ${seconds}.`, {
    extensions: { code: CODE, retryAfter, ...(http && { http }) },
  });
}

/**
 * The rate limit key of the client that sent an operation: its TCP peer address, as no proxy
 * header is trusted (anyone can send one). An IPv6 client is keyed by its /64, the block one
 * subscriber usually gets whole; an IPv4 address mapped into IPv6 by its IPv4 form. Operations
 * answered in-process (tests' `app.fetch`) have no peer and share one key.
 */
export function clientKey(context: object): string {
  // the HTTP adapter's `req`, or the upgrade request graphql-ws hands Yoga's context (see yoga.ts)
  return addressKey((context as { req?: IncomingMessage }).req?.socket.remoteAddress);
}

/** The key of a TCP peer address, as {@link clientKey} explains. */
export function addressKey(address: string | undefined): string {
  if (address === undefined) return "ip:in-process";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return `ip:${mapped}`;
  if (!isIPv6(address)) return `ip:${address}`;
  return `ip:${ipv6Groups(address).slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address, `::` expanded, without leading zeros or a zone. */
function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.split("%")[0]!.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((group) => group.replace(/^0+(?=.)/, ""));
}
