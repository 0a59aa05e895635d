import type pg from "pg";
import type { Config } from "../config.js";
import { withTransaction } from "../db/withTransaction.js";
import type { Logger } from "../logger.js";
import { sendWebhook, type SendOutcome } from "./sendWebhook.js";
import { signatureHeaders } from "./webhookSignature.js";

/**
 * Seconds to wait before each retry: the Standard Webhooks spec's example schedule, so a delivery
 * is tried 10 times over about three days. Each wait varies by up to 10% either way, so receivers
 * coming back from an outage are not hit by every retry at once.
 */
export const RETRY_DELAYS_SECONDS = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400] as const;

/** Longest wait a receiver's `Retry-After` can ask for (it can only lengthen the schedule's). */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/** Finished deliveries each webhook keeps in its log; older ones are deleted as new ones finish. */
export const DELIVERIES_KEPT = 1_000;

/**
 * graphile-worker's own tries of one attempt's job, for errors of ours (the database gone while a
 * run records its attempt); a receiver's failure is not one: it is recorded and retried on the
 * schedule, as a new job.
 */
const JOB_MAX_ATTEMPTS = 3;

/** One row per attempt in `webhook_deliveries.attempts`. */
export interface DeliveryAttempt {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** The deliverWebhook task's payload, written by enqueue_webhook_deliveries() (the migration) and below. */
export interface DeliverWebhookPayload {
  deliveryId: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typing is a global namespace
  namespace GraphileWorker {
    interface Tasks {
      deliverWebhook: DeliverWebhookPayload;
    }
  }
}

/** The payload a job carries, checked: the jobs table can hold payloads TypeScript never saw. */
export function deliveryIdFromPayload(payload: unknown): string {
  const id =
    typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>).deliveryId : undefined;
  if (typeof id !== "string") {
    throw new Error(`deliverWebhook needs a payload like {"deliveryId": "<uuid>"}, got ${JSON.stringify(payload)}`);
  }
  return id;
}

interface PendingDelivery {
  id: string;
  body: string;
  attempt_count: number;
  webhook_id: string;
  user_id: string;
  url: string;
  secret: Buffer;
  disabled_at: Date | null;
}

/** What a delivery attempt needs from the running service. */
export interface DeliverDeps {
  pool: pg.Pool;
  config: Pick<Config, "webhookAllowPrivate" | "webhookTimeoutSeconds">;
  logger: Logger;
}

/**
 * One attempt at delivering one event to one webhook: signs the stored body (the same bytes every
 * attempt, under the same `webhook-id`), POSTs it, and records the attempt. A 2xx is SUCCEEDED. A
 * 410 Gone is FAILED and disables the webhook, as the spec advises. Anything else queues the next
 * attempt after the schedule's wait (or the receiver's longer `Retry-After`), in the transaction
 * that records this one, until the schedule runs out: FAILED. A delivery that is gone (its webhook
 * deleted) or no longer PENDING is left alone.
 */
export async function deliverWebhook({ pool, config, logger }: DeliverDeps, deliveryId: string): Promise<void> {
  const {
    rows: [delivery],
  } = await pool.query<PendingDelivery>(
    `select d.id, d.payload::text as body, d.attempt_count, w.id as webhook_id, w.user_id, w.url, w.secret, w.disabled_at
     from webhook_deliveries d join webhooks w on w.id = d.webhook_id
     where d.id = $1 and d.status = 'PENDING'`,
    [deliveryId],
  );
  if (!delivery) return;
  const log = logger.child({ webhookId: delivery.webhook_id, deliveryId });

  const outcome: SendOutcome = delivery.disabled_at
    ? {
        statusCode: null,
        error: "not sent: the webhook was disabled after its receiver answered 410 Gone",
        retryAfterSeconds: null,
        durationMs: 0,
      }
    : await sendWebhook(
        delivery.url,
        signatureHeaders(delivery.secret, delivery.id, Math.floor(Date.now() / 1000), delivery.body),
        delivery.body,
        { timeoutMs: config.webhookTimeoutSeconds * 1000, allowPrivate: config.webhookAllowPrivate },
      );

  const attempt = delivery.attempt_count + 1;
  const succeeded = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const gone = outcome.statusCode === 410;
  const retryIn =
    succeeded || gone || delivery.disabled_at ? null : nextDelaySeconds(attempt, outcome.retryAfterSeconds);
  const status = succeeded ? "SUCCEEDED" : retryIn === null ? "FAILED" : "PENDING";
  const entry: DeliveryAttempt = {
    at: new Date().toISOString(),
    statusCode: outcome.statusCode,
    error: outcome.error,
    durationMs: outcome.durationMs,
  };

  await withTransaction(pool, async (tx) => {
    // the attempt count guards against a second run of the same attempt (a retried job) recording twice
    const { rows } = await tx.query<{ next_attempt_at: Date | null }>(
      `update webhook_deliveries set status = $3::webhook_delivery_status, attempt_count = $2,
         attempts = attempts || jsonb_build_array($4::jsonb), last_status_code = $5, last_error = $6,
         delivered_at = case when $3::webhook_delivery_status = 'SUCCEEDED' then clock_timestamp() end,
         next_attempt_at = case when $7::float8 is null then null
           else clock_timestamp() + make_interval(secs => $7::float8) end
       where id = $1 and attempt_count = $2 - 1 and status = 'PENDING'
       returning next_attempt_at`,
      [deliveryId, attempt, status, JSON.stringify(entry), outcome.statusCode, outcome.error, retryIn],
    );
    const recorded = rows[0];
    if (!recorded) return;
    if (recorded.next_attempt_at) {
      await tx.query(
        `select from graphile_worker.add_job('deliverWebhook', $1::json, queue_name := $2, run_at := $3,
           max_attempts := $4)`,
        [
          JSON.stringify({ deliveryId } satisfies DeliverWebhookPayload),
          `webhooks:${delivery.user_id}`,
          recorded.next_attempt_at,
          JOB_MAX_ATTEMPTS,
        ],
      );
      return;
    }
    if (gone) {
      await tx.query("update webhooks set disabled_at = clock_timestamp() where id = $1", [delivery.webhook_id]);
    }
    await pruneDeliveries(tx, delivery.webhook_id);
  });

  if (succeeded) log.info({ attempt, statusCode: outcome.statusCode }, "webhook delivered");
  else log.info({ attempt, statusCode: outcome.statusCode, error: outcome.error, retryIn }, "webhook delivery failed");
}

/**
 * Seconds until the attempt after `attempt` (1-based), or null when the schedule has run out. A
 * `Retry-After` can lengthen the wait up to a day, never shorten it.
 */
export function nextDelaySeconds(attempt: number, retryAfterSeconds: number | null): number | null {
  const scheduled = RETRY_DELAYS_SECONDS[attempt - 1];
  if (scheduled === undefined) return null;
  const jittered = scheduled * (0.9 + Math.random() * 0.2);
  return Math.max(jittered, Math.min(retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS));
}

/** Deletes the webhook's finished deliveries past the newest {@link DELIVERIES_KEPT}. */
async function pruneDeliveries(tx: pg.PoolClient, webhookId: string): Promise<void> {
  await tx.query(
    `delete from webhook_deliveries d
     where d.webhook_id = $1 and d.status <> 'PENDING' and d.created_at < (
       select created_at from webhook_deliveries where webhook_id = $1
       order by created_at desc, id desc offset $2 limit 1
     )`,
    [webhookId, DELIVERIES_KEPT - 1],
  );
}
