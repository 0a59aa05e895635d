import { unauthenticatedMessage, type Authentication } from "../auth/authenticate.js";
import type { Viewer } from "../auth/sessions.js";
import type { Config } from "../config.js";
import type { Database, PrismaClient } from "../db/database.js";
import { UserError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { JobEvents } from "../realtime/jobEvents.js";

/** What every resolver gets. Built per request (HTTP) or per operation (WebSocket). */
export interface Context {
  db: Database;
  prisma: PrismaClient;
  config: Config;
  logger: Logger;
  /** This process's fan-out of job changes, for subscriptions. */
  jobEvents: JobEvents;
  /** The signed-in user, or null when anonymous or the token was rejected. */
  viewer: Viewer | null;
  /** A token came with the request but is unknown, revoked or expired: a session's or an API key. */
  tokenRejected: Authentication["tokenRejected"];
}

/** The viewer, or UNAUTHENTICATED for anonymous requests and rejected tokens. */
export function requireViewer(ctx: Context): Viewer {
  if (ctx.viewer) return ctx.viewer;
  throw rejection(ctx);
}

/** Why a request has no viewer, as a client-facing error. */
export function rejection(ctx: Context): UserError {
  return new UserError("UNAUTHENTICATED", unauthenticatedMessage(ctx));
}
