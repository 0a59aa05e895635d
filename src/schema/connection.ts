import type { ObjectRef } from "@pothos/core";
import { UserError } from "../errors.js";
import { builder } from "./builder.js";

/** Largest page a client may ask for. */
const MAX_PAGE = 500;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: PageInfo;
}

const PageInfoRef = builder.objectRef<PageInfo>("PageInfo").implement({
  fields: (t) => ({
    hasNextPage: t.exposeBoolean("hasNextPage"),
    endCursor: t.exposeString("endCursor", { nullable: true }),
  }),
});

/** A relay-style `<Name>Connection` with `<Name>Edge`s over `node`. */
export function connectionType<T extends object>(name: string, node: ObjectRef<typeof builder.$inferSchemaTypes, T>) {
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

/**
 * The sort key in a cursor given out by `connection`, checked against `shape` (the type of each
 * part); BAD_USER_INPUT for anything else, such as a cursor of another connection.
 */
export function decodeCursor<K extends Key>(
  connection: string,
  cursor: string | null | undefined,
  shape: { [I in keyof K]: K[I] extends number ? "number" : "string" },
): K | null {
  if (cursor === null || cursor === undefined) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (
    Array.isArray(parsed) &&
    parsed[0] === connection &&
    parsed.length === shape.length + 1 &&
    shape.every((type, i) => typeof parsed[i + 1] === type)
  ) {
    return parsed.slice(1) as K;
  }
  throw new UserError("BAD_USER_INPUT", "The after cursor is not one this connection gave out.");
}

/**
 * Turns `first + 1` fetched rows into a page: the extra row only says whether there is a next page.
 */
export function toConnection<T>(connection: string, rows: T[], first: number, key: (row: T) => Key): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(connection, key(node)), node }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
