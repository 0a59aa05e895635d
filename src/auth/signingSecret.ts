import { randomBytes } from "node:crypto";
import type pg from "pg";

/** Per pool (one per database), so a process asks the database at most once. */
const cache = new WeakMap<pg.Pool, Promise<Buffer>>();

/**
 * The key that signs download links: `configured` (SIGNING_SECRET) when set, else the one kept in
 * `signing_secrets`, which the first process to need it creates. Every API process, on any machine,
 * gets the same key either way, so a link signed by one is honoured by all.
 */
export function signingSecret(pool: pg.Pool, configured: string | undefined): Promise<Buffer> {
  if (configured !== undefined) return Promise.resolve(Buffer.from(configured, "utf8"));
  let secret = cache.get(pool);
  if (!secret) {
    secret = loadOrCreate(pool);
    // a failure (say, the database was briefly away) must not stick
    secret.catch(() => cache.delete(pool));
    cache.set(pool, secret);
  }
  return secret;
}

async function loadOrCreate(pool: pg.Pool): Promise<Buffer> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { rows } = await pool.query<{ secret: Buffer }>(
      `with created as (
         insert into signing_secrets (secret) values ($1) on conflict (id) do nothing returning secret
       )
       select secret from created union all select secret from signing_secrets limit 1`,
      [randomBytes(32)],
    );
    if (rows[0]) return rows[0].secret;
    // another process inserted at the same moment: its row committed after this statement's
    // snapshot was taken, so the next statement sees it
  }
  throw new Error("No signing secret could be created or read.");
}
