import type { PrismaClient } from "../db/database.js";
import { isUuid } from "../db/isUuid.js";
import type { Webhook } from "../generated/prisma/client.js";

/** A webhook as the API reads it: never its secret, which only the delivery task loads. */
export type WebhookRow = Omit<Webhook, "secret">;

/** `id` when it is one of `userId`'s webhooks, else null (missing and someone else's look the same). */
export async function findOwnWebhook(prisma: PrismaClient, userId: string, id: string): Promise<WebhookRow | null> {
  if (!isUuid(id)) return null;
  return prisma.webhook.findFirst({ where: { id, userId }, omit: { secret: true } });
}
