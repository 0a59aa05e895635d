import type { Task } from "graphile-worker";
import { deliverWebhook as deliver, deliveryIdFromPayload } from "../src/webhooks/deliverWebhook.js";
import type { TaskDeps } from "./index.js";

/**
 * One attempt at delivering a webhook event (`{ deliveryId }`), queued by the job tables' triggers
 * and by the attempt before it; see src/webhooks/deliverWebhook.ts.
 */
export function deliverWebhook({ pool, config, logger }: TaskDeps): Task {
  return (payload) => deliver({ pool, config, logger }, deliveryIdFromPayload(payload));
}
