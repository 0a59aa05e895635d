import { notFound } from "../errors.js";
import type { WebhookDelivery } from "../generated/prisma/client.js";
import { MAX_URL_LENGTH } from "../webhooks/checkWebhookUrl.js";
import { createWebhook, MAX_WEBHOOKS_PER_USER } from "../webhooks/createWebhook.js";
import { DELIVERIES_KEPT, RETRY_DELAYS_SECONDS, type DeliveryAttempt } from "../webhooks/deliverWebhook.js";
import { findOwnWebhook, type WebhookRow } from "../webhooks/findOwnWebhook.js";
import { builder } from "./builder.js";
import { NodeRef } from "./node.js";
import { connectionType, decodeCursor, pageSize, toConnection } from "./connection.js";
import { requireViewer, type Context } from "./context.js";

const WebhookEventEnum = builder.enumType("WebhookEvent", {
  description: "A job event a webhook can ask for; the payload's `type` is given with each.",
  values: {
    JOB_COMPLETED: { description: "An import or export ended COMPLETED (`job.completed`)." },
    JOB_FAILED: { description: "An import or export ended FAILED (`job.failed`)." },
    JOB_NEEDS_REVIEW: { description: "A dry run is ready for review (`job.needs_review`)." },
    JOB_CANCELLED: { description: "An import or export was cancelled (`job.cancelled`)." },
  } as const,
});

const WebhookDeliveryStatusEnum = builder.enumType("WebhookDeliveryStatus", {
  values: {
    PENDING: { description: "Not delivered yet: queued, or waiting for its next attempt (nextAttemptAt)." },
    SUCCEEDED: { description: "The receiver answered 2xx." },
    FAILED: {
      description: `Every attempt failed (${RETRY_DELAYS_SECONDS.length + 1} over about three days), or the receiver answered 410 Gone.`,
    },
  } as const,
});

const WebhookDeliveryAttemptRef = builder.objectRef<DeliveryAttempt>("WebhookDeliveryAttempt").implement({
  fields: (t) => ({
    at: t.field({ type: "DateTime", resolve: (a) => new Date(a.at) }),
    statusCode: t.exposeInt("statusCode", { nullable: true, description: "Null when no answer came." }),
    error: t.exposeString("error", { nullable: true, description: "Why it failed; null on a 2xx." }),
    durationMs: t.exposeInt("durationMs"),
  }),
});

const WebhookDeliveryRef = builder.objectRef<WebhookDelivery>("WebhookDelivery").implement({
  description: "One event sent (or to be sent) to one webhook.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Sent as the `webhook-id` header, the same on every attempt." }),
    event: t.field({ type: WebhookEventEnum, resolve: (d) => d.event }),
    jobId: t.exposeID("jobId"),
    jobKind: t.exposeString("jobKind", { description: "Import or Export." }),
    status: t.field({ type: WebhookDeliveryStatusEnum, resolve: (d) => d.status }),
    attemptCount: t.exposeInt("attemptCount"),
    attempts: t.field({
      type: [WebhookDeliveryAttemptRef],
      description: "Every attempt, oldest first.",
      resolve: (d) => d.attempts as unknown as DeliveryAttempt[],
    }),
    lastStatusCode: t.exposeInt("lastStatusCode", { nullable: true }),
    lastError: t.exposeString("lastError", { nullable: true }),
    payload: t.field({
      type: "JSONObject",
      description: "The body sent, `{ type, timestamp, data }`.",
      resolve: (d) => d.payload as Record<string, unknown>,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When the event happened." }),
    deliveredAt: t.expose("deliveredAt", { type: "DateTime", nullable: true }),
    nextAttemptAt: t.expose("nextAttemptAt", {
      type: "DateTime",
      nullable: true,
      description: "When the next attempt is due, while PENDING.",
    }),
  }),
});

const WebhookDeliveryConnection = connectionType("WebhookDelivery", WebhookDeliveryRef);

export const WebhookRef = builder.objectRef<WebhookRow>("Webhook").implement({
  interfaces: [NodeRef],
  description: "An https endpoint told when the viewer's imports and exports reach the events it asks for.",
  fields: (t) => ({
    id: t.exposeID("id"),
    url: t.exposeString("url"),
    events: t.field({ type: [WebhookEventEnum], resolve: (w) => w.events }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    disabledAt: t.expose("disabledAt", {
      type: "DateTime",
      nullable: true,
      description: "When its receiver answered 410 Gone; nothing is sent to it since. Delete it and create another.",
    }),
    deliveries: t.field({
      type: WebhookDeliveryConnection,
      description: `Its deliveries, newest first: the ${DELIVERIES_KEPT} newest finished ones, and any still pending.`,
      args: {
        first: t.arg.int({ required: false, defaultValue: 20 }),
        after: t.arg.string({ required: false }),
        status: t.arg({ type: WebhookDeliveryStatusEnum, required: false }),
      },
      resolve: async (webhook, args, ctx) => {
        const first = pageSize(args.first, 20);
        const after = decodeCursor("WebhookDelivery", args.after, ["timestamp", "uuid"]);
        const rows = await ctx.prisma.webhookDelivery.findMany({
          where: {
            webhookId: webhook.id,
            ...(args.status && { status: args.status }),
            ...(after && { OR: [{ createdAt: { lt: after[0] } }, { createdAt: after[0], id: { lt: after[1] } }] }),
          },
          orderBy: [{ createdAt: "desc" }, { id: "desc" }],
          take: first + 1,
        });
        return toConnection("WebhookDelivery", rows, { first, after }, (d) => [d.createdAt.toISOString(), d.id]);
      },
    }),
  }),
});

const WebhookConnection = connectionType("Webhook", WebhookRef, { totalCount: true });

const CreateWebhookPayloadRef = builder
  .objectRef<{ webhook: WebhookRow; secret: string }>("CreateWebhookPayload")
  .implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, resolve: (p) => p.webhook }),
      secret: t.exposeString("secret", {
        description:
          "The signing secret, `whsec_` and base64, shown this once: verify each delivery's `webhook-signature` " +
          "with it (Standard Webhooks).",
      }),
    }),
  });

/** The viewer's webhook, or NOT_FOUND whether it is missing or someone else's. */
async function ownWebhook(ctx: Context, id: string): Promise<WebhookRow> {
  const found = await findOwnWebhook(ctx.prisma, requireViewer(ctx).user.id, id);
  if (!found) throw notFound("Webhook");
  return found;
}

builder.queryFields((t) => ({
  webhooks: t.field({
    type: WebhookConnection,
    description: "The viewer's webhooks, newest first.",
    args: {
      first: t.arg.int({ required: false, defaultValue: 20 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const first = pageSize(args.first, 20);
      const after = decodeCursor("Webhook", args.after, ["timestamp", "uuid"]);
      const userId = requireViewer(ctx).user.id;
      const rows = await ctx.prisma.webhook.findMany({
        where: {
          userId,
          ...(after && { OR: [{ createdAt: { lt: after[0] } }, { createdAt: after[0], id: { lt: after[1] } }] }),
        },
        omit: { secret: true },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: first + 1,
      });
      const totalCount = () => ctx.prisma.webhook.count({ where: { userId } });
      return toConnection("Webhook", rows, { first, after, totalCount }, (w) => [w.createdAt.toISOString(), w.id]);
    },
  }),
  webhook: t.field({
    type: WebhookRef,
    nullable: true,
    description: "One of the viewer's webhooks; NOT_FOUND for a missing id or someone else's.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => ownWebhook(ctx, id),
  }),
}));

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: CreateWebhookPayloadRef,
    description:
      "Adds a webhook: each of `events` on the viewer's imports and exports is POSTed to `url`, signed per " +
      "Standard Webhooks, and retried with backoff until it is answered 2xx. `url` must be https and public " +
      `(not private, loopback or link-local), at most ${MAX_URL_LENGTH} characters, else BAD_USER_INPUT; at ` +
      `most ${MAX_WEBHOOKS_PER_USER} webhooks per account, else QUOTA_EXCEEDED. Returns the signing secret once.`,
    args: {
      url: t.arg.string({ required: true }),
      events: t.arg({ type: [WebhookEventEnum], required: true }),
    },
    resolve: (_root, { url, events }, ctx) => createWebhook(ctx, requireViewer(ctx).user.id, url, events),
  }),
  deleteWebhook: t.boolean({
    description: "Removes a webhook with its delivery log; nothing more is sent to it, retries included.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const webhook = await ownWebhook(ctx, id);
      // its pending deliveries go with it; their queued jobs find nothing and end
      await ctx.prisma.webhook.deleteMany({ where: { id: webhook.id, userId: webhook.userId } });
      return true;
    },
  }),
}));
