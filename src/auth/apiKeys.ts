import { createHash, randomBytes } from "node:crypto";
import type { Config } from "../config.js";
import type { Database, PrismaClient } from "../db/database.js";
import { isUuid } from "../db/isUuid.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { ApiKey } from "../generated/prisma/client.js";
import type { Viewer } from "./sessions.js";

/**
 * What every API key's secret starts with: secret scanners and people tell a key from a session
 * token by it (and the server knows which table to look in first).
 */
export const API_KEY_PREFIX = "xik_";
/** Longest name of a key, in characters; the table's check says the same. */
export const MAX_API_KEY_NAME = 100;
/** `lastUsedAt` is written at most this often per key, so a busy key costs no write per request. */
const LAST_USED_PRECISION_MS = 60_000;
// names are shown in lists and logs, and PostgreSQL's text cannot hold NUL
const CONTROL_CHARACTER = /\p{Cc}/u;

/** An API key as it is listed: everything but its secret's hash. */
export type ApiKeyRow = Omit<ApiKey, "keyHash">;

/** A new key and its secret, which is shown this once. */
export interface CreatedApiKey {
  apiKey: ApiKeyRow;
  secret: string;
}

/** Whether a bearer token has an API key's form (`xik_…`). */
export function isApiKeySecret(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

function hashSecret(secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(createHash("sha256").update(secret).digest());
}

/**
 * Makes an API key for `userId`, named `name` (trimmed, 1 to {@link MAX_API_KEY_NAME} characters)
 * and working until `expiresAt` (in the future) or, without one, until it is revoked. Its secret is
 * `xik_` and 32 random bytes in base64url; only their SHA-256 is stored. QUOTA_EXCEEDED past
 * `MAX_API_KEYS_PER_USER`, counting expired keys until they are revoked; one user's creations take
 * turns, so two at once cannot both take the last place.
 *
 * @throws {UserError} BAD_USER_INPUT for a name or an expiry out of bounds, QUOTA_EXCEEDED.
 */
export async function createApiKey(
  { db, config }: { db: Database; config: Pick<Config, "maxApiKeysPerUser"> },
  userId: string,
  name: string,
  expiresAt: Date | null | undefined,
): Promise<CreatedApiKey> {
  const trimmed = name.trim();
  const length = [...trimmed].length;
  if (length === 0 || length > MAX_API_KEY_NAME) {
    throw new UserError("BAD_USER_INPUT", `A key's name must be 1 to ${MAX_API_KEY_NAME} characters long.`);
  }
  if (CONTROL_CHARACTER.test(trimmed)) {
    throw new UserError("BAD_USER_INPUT", "A key's name cannot contain control characters (line breaks, tabs).");
  }
  if (expiresAt && expiresAt.getTime() <= Date.now()) {
    throw new UserError(
      "BAD_USER_INPUT",
      "expiresAt must be in the future; leave it out for a key that never expires.",
    );
  }
  const secret = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  const hint = `${API_KEY_PREFIX}…${secret.slice(-4)}`;
  const max = config.maxApiKeysPerUser;
  const apiKey = await withTransaction(db.pool, async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`create-api-key:${userId}`]);
    const {
      rows: [counted],
    } = await tx.query<{ count: number }>("select count(*)::int as count from api_keys where user_id = $1", [userId]);
    if (counted!.count >= max) {
      throw new UserError(
        "QUOTA_EXCEEDED",
        `You have ${max} API keys, the most one account may have (expired ones count until revoked); revoke one to make another.`,
      );
    }
    const {
      rows: [created],
    } = await tx.query<ApiKeyRow>(
      `insert into api_keys (user_id, name, key_hash, hint, expires_at) values ($1, $2, $3, $4, $5)
       returning id, user_id as "userId", name, hint, created_at as "createdAt", expires_at as "expiresAt",
                 last_used_at as "lastUsedAt"`,
      [userId, trimmed, hashSecret(secret), hint, expiresAt ?? null],
    );
    return created!;
  });
  return { apiKey, secret };
}

/**
 * The viewer an API key's secret belongs to, or null when it is unknown, revoked or expired. Notes
 * the use in `lastUsedAt`, at most once a minute per key.
 */
export async function findApiKeyViewer(prisma: PrismaClient, secret: string): Promise<Viewer | null> {
  const now = new Date();
  const key = await prisma.apiKey.findFirst({
    where: { keyHash: hashSecret(secret), OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    include: { user: true },
    omit: { keyHash: true },
  });
  if (!key) return null;
  const stale = new Date(now.getTime() - LAST_USED_PRECISION_MS);
  if (!key.lastUsedAt || key.lastUsedAt < stale) {
    // conditional, so that a burst of requests on a key writes it once
    await prisma.apiKey.updateMany({
      where: { id: key.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: stale } }] },
      data: { lastUsedAt: now },
    });
  }
  return { user: key.user, credential: { kind: "apiKey", id: key.id }, expiresAt: key.expiresAt };
}

/** Whether an API key still stands: neither revoked nor expired. One primary-key read. */
export async function apiKeyStands(prisma: PrismaClient, id: string): Promise<boolean> {
  const key = await prisma.apiKey.findFirst({
    where: { id, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    select: { id: true },
  });
  return key !== null;
}

/**
 * Revokes one of `userId`'s API keys: its secret stops working at once, and the deletion's NOTIFY
 * closes the sockets and SSE streams open on it, on every API process. False when there is no such
 * key of theirs (a missing id and someone else's look the same).
 */
export async function revokeApiKey(prisma: PrismaClient, userId: string, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const { count } = await prisma.apiKey.deleteMany({ where: { id, userId } });
  return count > 0;
}
