import type { PrismaClient } from "../db/database.js";
import { findApiKeyViewer, isApiKeySecret } from "./apiKeys.js";
import { findViewer, type CredentialKind, type Viewer } from "./sessions.js";

/**
 * Where a request's credentials are: the value of an `Authorization` header, or a bag of headers
 * whose `authorization` key may have any letter case (graphql-ws `connectionParams`, the
 * `extensions.headers` GraphiQL puts in a subscribe message, Node's `req.headers`).
 */
export type Credentials = string | null | undefined | Readonly<Record<string, unknown>>;

/** Who a request comes from, as its credentials say. */
export interface Authentication {
  /** The signed-in user, or null when anonymous or the token was rejected. */
  viewer: Viewer | null;
  /**
   * A token came with the request but is unknown, revoked or expired: what it was taken for (an
   * API key by its `xik_` prefix, else a session's token), so the client is told which. False when
   * there was no token, or it was accepted.
   */
  tokenRejected: false | CredentialKind;
}

/** No credentials at all: an anonymous request, which is not an error. */
export const ANONYMOUS: Authentication = Object.freeze({ viewer: null, tokenRejected: false });

/**
 * The one place a bearer token is read, for every way in: HTTP and SSE (Yoga's context),
 * graphql-ws (at `connection_init` and per operation) and the download routes. A token is a
 * session's (`logIn`, `signUp`) or an API key (`xik_…`, `createApiKey`), with the same rights.
 * Looks it up only when one came; a header that is not `Bearer <token>` is a rejected token.
 */
export async function authenticate(prisma: PrismaClient, credentials: Credentials): Promise<Authentication> {
  const token = bearerToken(authorizationOf(credentials));
  if (token === undefined) return ANONYMOUS;
  const kind: CredentialKind = isApiKeySecret(token) ? "apiKey" : "session";
  const viewer = token === "" ? null : await findTokenViewer(prisma, token, kind);
  return viewer ? { viewer, tokenRejected: false } : { viewer: null, tokenRejected: kind };
}

async function findTokenViewer(prisma: PrismaClient, token: string, kind: CredentialKind): Promise<Viewer | null> {
  if (kind === "session") return findViewer(prisma, token);
  // a session's token is 43 random base64url characters: about one in 17 million starts with the
  // prefix too, and must still work
  return (await findApiKeyViewer(prisma, token)) ?? findViewer(prisma, token);
}

/** What a client is told when an operation needs a viewer it does not have. */
export function unauthenticatedMessage(auth: Pick<Authentication, "tokenRejected">): string {
  if (auth.tokenRejected === "apiKey") return "This API key has expired or was revoked.";
  if (auth.tokenRejected) return "Your session has expired or was revoked. Log in again.";
  return "You must be logged in.";
}

function authorizationOf(credentials: Credentials): unknown {
  if (credentials === null || typeof credentials !== "object") return credentials;
  // header names are case-insensitive, and clients spell this one every way
  const key = Object.keys(credentials).find((name) => name.toLowerCase() === "authorization");
  return key === undefined ? undefined : credentials[key];
}

/**
 * The token in an `Authorization: Bearer <token>` value. `undefined` when there is no header;
 * an empty string when there is one that is not a bearer token, which no session matches.
 */
function bearerToken(authorization: unknown): string | undefined {
  if (authorization === undefined || authorization === null || authorization === "") return undefined;
  const match = typeof authorization === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1] ?? "";
}
