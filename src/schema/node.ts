import { isUuid } from "../db/isUuid.js";
import { UserError } from "../errors.js";
import { findJob } from "../jobs/findJob.js";
import { jobKind } from "../jobs/jobKinds.js";
import { findOwnWebhook } from "../webhooks/findOwnWebhook.js";
import { builder } from "./builder.js";
import { requireViewer, type Context } from "./context.js";

/** Ids `nodes(ids)` takes at once. */
export const MAX_NODE_IDS = 100;

/** The type of each object `node`/`nodes` found, which is all the Node interface needs to know. */
const nodeTypes = new WeakMap<object, string>();

/**
 * The Node interface of the Relay convention, over the ids the API already has: a UUID is unique
 * across imports, exports, templates, webhooks and API keys, so `node(id)` looks it up in each. The ids stay what
 * download paths, the web page's URLs and `jobStatus(id)` take, rather than opaque global ids that
 * name their type.
 */
export const NodeRef = builder.interfaceRef<object>("Node").implement({
  description:
    "An object with an id unique across the API: a UUID for imports, exports, templates, webhooks and API keys, " +
    "`<import id>:<row number>` for an ImportRecord. `node(id)` finds it again.",
  fields: (t) => ({
    id: t.id({ resolve: (node) => (node as { id: string }).id }),
  }),
  resolveType: (node) => nodeTypes.get(node) ?? null,
});

const RECORD_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):(\d{1,9})$/i;

/** One of the viewer's objects by id, or null: a missing id and someone else's look the same. */
async function findNode(ctx: Context, id: string): Promise<object | null> {
  const userId = requireViewer(ctx).user.id;
  const tagged = (node: object | null, type: string) => {
    if (node) nodeTypes.set(node, type);
    return node;
  };
  const record = RECORD_ID.exec(id);
  if (record) {
    const found = await ctx.prisma.record.findFirst({
      where: { importId: record[1]!, rowNumber: Number(record[2]), import: { userId } },
    });
    return tagged(found, "ImportRecord");
  }
  if (!isUuid(id)) return null;
  const job = await findJob(ctx.prisma, userId, id);
  if (job) return tagged(job, jobKind(job));
  const [template, webhook, apiKey] = await Promise.all([
    ctx.prisma.importTemplate.findFirst({ where: { id, userId, deletedAt: null } }),
    findOwnWebhook(ctx.prisma, userId, id),
    ctx.prisma.apiKey.findFirst({ where: { id, userId }, omit: { keyHash: true } }),
  ]);
  if (template) return tagged(template, "ImportTemplate");
  if (webhook) return tagged(webhook, "Webhook");
  return tagged(apiKey, "ApiKey");
}

builder.queryFields((t) => ({
  node: t.field({
    type: NodeRef,
    nullable: true,
    description: "One of the viewer's objects by its id; null when there is none (or it is someone else's).",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => findNode(ctx, id),
  }),
  nodes: t.field({
    type: [NodeRef],
    nullable: { list: false, items: true },
    description: `The viewer's objects by id, in the order asked, null where there is none; at most ${MAX_NODE_IDS} ids.`,
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, { ids }, ctx) => {
      if (ids.length > MAX_NODE_IDS) throw new UserError("BAD_USER_INPUT", `nodes takes at most ${MAX_NODE_IDS} ids.`);
      return Promise.all(ids.map((id) => findNode(ctx, String(id))));
    },
  }),
}));
