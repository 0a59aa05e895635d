import { createHash, randomBytes } from "node:crypto";
import type { PrismaClient } from "../db/database.js";
import type { User } from "../generated/prisma/client.js";

/** What a bearer token is: a login session's (`logIn`, `signUp`) or an API key (`createApiKey`). */
export type CredentialKind = "session" | "apiKey";

/** The session or API key a request's token belongs to. */
export interface Credential {
  kind: CredentialKind;
  /** The session's or the key's id: both are gen_random_uuid(), so revocations share one channel. */
  id: string;
}

/** Who is making a request: the user and the session or API key their token belongs to. */
export interface Viewer {
  user: User;
  credential: Credential;
  /**
   * When the token stops working; sockets and SSE streams on it are closed then. Null for an API
   * key made without an expiry.
   */
  expiresAt: Date | null;
}

function hashToken(token: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(token).digest());
}

/** Issues an opaque bearer token (32 random bytes); only its SHA-256 is stored. */
export async function createSession(prisma: PrismaClient, userId: string, ttlHours: number): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await prisma.session.create({
    data: { userId, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlHours * 3_600_000) },
  });
  return token;
}

/** The viewer a token belongs to, or null when it is unknown, revoked or expired. */
export async function findViewer(prisma: PrismaClient, token: string): Promise<Viewer | null> {
  const session = await prisma.session.findFirst({
    where: { tokenHash: hashToken(token), expiresAt: { gt: new Date() } },
    include: { user: true },
  });
  if (!session) return null;
  return { user: session.user, credential: { kind: "session", id: session.id }, expiresAt: session.expiresAt };
}

/** Whether a session still stands: neither revoked nor expired. One primary-key read. */
export async function sessionStands(prisma: PrismaClient, sessionId: string): Promise<boolean> {
  const session = await prisma.session.findFirst({
    where: { id: sessionId, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  return session !== null;
}

/** Revokes a session: its token stops working at once. */
export async function revokeSession(prisma: PrismaClient, sessionId: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id: sessionId } });
}
