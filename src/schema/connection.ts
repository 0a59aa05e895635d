import type { ObjectRef } from "@pothos/core";
import { UserError } from "../errors.js";
import { builder } from "./builder.js";

/** Largest page a client may ask for. */
export const MAX_PAGE = 500;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
  /** Counts every item the connection's filters keep, on every page; asked only when selected. */
  totalCount?: () => PromiseLike<number>;
}

const PageInfoRef = builder.objectRef<PageInfo>("PageInfo").implement({
  description: "Where a page is in its list (Relay cursor connections). Lists are paged forward, with first and after.",
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage"),
    hasPreviousPage: t.exposeBoolean("hasPreviousPage", {
      description: "True when the page starts after a cursor, so items come before it.",
    }),
    startCursor: t.exposeString("startCursor", { nullable: true }),
    endCursor: t.exposeString("endCursor", { nullable: true }),
  }),
});

/**
 * A relay-style `<Name>Connection` with `<Name>Edge`s over `node`; with `totalCount`, a field that
 * counts every item, for lists where that is one indexed count.
 */
export function connectionType<T extends object>(
  name: string,
  node: ObjectRef<typeof builder.$inferSchemaTypes, T>,
  { totalCount = false }: { totalCount?: boolean } = {},
) {
  const edge = builder.objectRef<{ cursor: string; node: T }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString("cursor"),
      node: t.field({ type: node, resolve: (e) => e.node as never }),
    }),
  });
  return builder.objectRef<Connection<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [edge], resolve: (c) => c.edges }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (c) => c.pageInfo }),
      ...(totalCount && {
        totalCount: t.int({
          description: "How many items the list holds, on every page.",
          resolve: (c) => {
            if (!c.totalCount) throw new Error(`${name}Connection was built without its count.`);
            return Promise.resolve(c.totalCount());
          },
        }),
      }),
    }),
  });
}

/** Checks `first` from a connection's arguments. */
export function pageSize(first: number | null | undefined, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE) {
    throw new UserError("BAD_USER_INPUT", `first must be between 0 and ${MAX_PAGE}.`);
  }
  return first;
}

/** The sort key of a row: what a cursor carries. */
type Key = Array<string | number>;

/** Cursors are opaque to clients: the connection's name and the last row's sort key, as base64url json. */
function encodeCursor(connection: string, key: Key): string {
  return Buffer.from(JSON.stringify([connection, ...key])).toString("base64url");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// what toISOString writes, and only years PostgreSQL's timestamptz holds
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * The kinds of sort-key part a cursor may carry, each checked as strictly as the column it is
 * compared with in SQL: a cursor is client input, and a part the column cannot hold would fail
 * in the database as an unexpected error instead of BAD_USER_INPUT. Each returns the part as the
 * query wants it, or undefined.
 */
const KEY_PARTS = {
  /** an `integer` column, such as `row_number` */
  int: (part: unknown) => (Number.isInteger(part) && Math.abs(part as number) < 2 ** 31 ? (part as number) : undefined),
  /** a `bigint` id, as decimal text: a JSON number would lose its precision past 2^53 */
  bigint: (part: unknown) =>
    typeof part === "string" && /^\d{1,19}$/.test(part) && BigInt(part) < 2n ** 63n ? BigInt(part) : undefined,
  uuid: (part: unknown) => (typeof part === "string" && UUID.test(part) ? part : undefined),
  /** a `timestamptz`, as toISOString writes it */
  timestamp: (part: unknown) =>
    typeof part === "string" && ISO_TIMESTAMP.test(part) && new Date(part).toISOString() === part
      ? new Date(part)
      : undefined,
};

type KeyPart = keyof typeof KEY_PARTS;
type Decoded<S extends readonly KeyPart[]> = {
  -readonly [I in keyof S]: S[I] extends KeyPart ? Exclude<ReturnType<(typeof KEY_PARTS)[S[I]]>, undefined> : never;
};

/**
 * The sort key in a cursor given out by `connection`, each part checked to be of its kind in
 * `shape`; BAD_USER_INPUT for anything else: garbage, a cursor of another connection, or one of
 * the right shape whose parts the columns cannot hold.
 */
export function decodeCursor<const S extends readonly KeyPart[]>(
  connection: string,
  cursor: string | null | undefined,
  shape: S,
): Decoded<S> | null {
  if (cursor === null || cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (Array.isArray(parsed) && parsed[0] === connection && parsed.length === shape.length + 1) {
    const key = shape.map((kind, i) => KEY_PARTS[kind](parsed[i + 1]));
    if (key.every((part) => part !== undefined)) return key as Decoded<S>;
  }
  throw new UserError("BAD_USER_INPUT", "The after cursor is not one this connection gave out.");
}

/**
 * Turns `first + 1` fetched rows into a page: the extra row only says whether there is a next page.
 */
export function toConnection<T>(
  connection: string,
  rows: T[],
  { first, after, totalCount }: { first: number; after: unknown; totalCount?: () => PromiseLike<number> },
  key: (row: T) => Key,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(connection, key(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null && after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
