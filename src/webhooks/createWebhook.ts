import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { WebhookEvent } from "../generated/prisma/enums.js";
import { checkWebhookUrl } from "./checkWebhookUrl.js";
import { newWebhookSecret } from "./webhookSignature.js";
import { findOwnWebhook, type WebhookRow } from "./findOwnWebhook.js";

/** Webhooks one user may have. */
export const MAX_WEBHOOKS_PER_USER = 10;

/** A new webhook and its signing secret, which is shown this once. */
export interface CreatedWebhook {
  webhook: WebhookRow;
  secret: string;
}

/**
 * Adds a webhook for `userId`: `url` checked by checkWebhookUrl, `events` at least one (repeats
 * dropped), and a new signing secret. QUOTA_EXCEEDED past {@link MAX_WEBHOOKS_PER_USER}; one user's
 * creations take turns, so two at once cannot both take the last place.
 */
export async function createWebhook(
  { db, config }: { db: Database; config: Pick<Config, "webhookAllowPrivate"> },
  userId: string,
  url: string,
  events: readonly WebhookEvent[],
): Promise<CreatedWebhook> {
  const chosen = [...new Set(events)];
  if (chosen.length === 0) throw new UserError("BAD_USER_INPUT", "Choose at least one event for the webhook.");
  const checkedUrl = await checkWebhookUrl(url, config);
  const { key, secret } = newWebhookSecret();

  const id = await withTransaction(db.pool, async (tx) => {
    await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`create-webhook:${userId}`]);
    const {
      rows: [counted],
    } = await tx.query<{ count: number }>("select count(*)::int as count from webhooks where user_id = $1", [userId]);
    if (counted!.count >= MAX_WEBHOOKS_PER_USER) {
      throw new UserError(
        "QUOTA_EXCEEDED",
        `You have ${MAX_WEBHOOKS_PER_USER} webhooks, the most one account may have; delete one to add another.`,
      );
    }
    const {
      rows: [created],
    } = await tx.query<{ id: string }>(
      "insert into webhooks (user_id, url, events, secret) values ($1, $2, $3::webhook_event[], $4) returning id",
      [userId, checkedUrl, chosen, key],
    );
    return created!.id;
  });
  return { webhook: (await findOwnWebhook(db.prisma, userId, id))!, secret };
}
