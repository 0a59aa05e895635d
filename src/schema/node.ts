import { isUuid } from "../db/isUuid.js";
import { UserError } from "../errors.js";
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

/**
 * The viewer's objects by id, in the order asked, null where there is none: a missing id and
 * someone else's look the same. One query per kind of object, however many ids.
 */
async function findNodes(ctx: Context, ids: readonly string[]): Promise<Array<object | null>> {
  const userId = requireViewer(ctx).user.id;
  const uuids = [...new Set(ids.filter(isUuid))];
  const recordIds = ids.flatMap((id) => {
    const match = RECORD_ID.exec(id);
    return match ? [{ importId: match[1]!.toLowerCase(), rowNumber: Number(match[2]) }] : [];
  });
  const own = { id: { in: uuids }, userId };
  const none = Promise.resolve([]);
  const [records, ...byId] = await Promise.all([
    recordIds.length ? ctx.prisma.record.findMany({ where: { OR: recordIds, import: { userId } } }) : none,
    uuids.length ? ctx.prisma.import.findMany({ where: own }) : none,
    uuids.length ? ctx.prisma.export.findMany({ where: own }) : none,
    uuids.length ? ctx.prisma.importTemplate.findMany({ where: { ...own, deletedAt: null } }) : none,
    uuids.length ? ctx.prisma.webhook.findMany({ where: own, omit: { secret: true } }) : none,
    uuids.length ? ctx.prisma.apiKey.findMany({ where: own, omit: { keyHash: true } }) : none,
  ]);
  const found = new Map<string, object>();
  const add = (type: string, key: string, node: object) => {
    nodeTypes.set(node, type);
    found.set(key, node);
  };
  for (const record of records) add("ImportRecord", `${record.importId}:${record.rowNumber}`, record);
  const types = ["Import", "Export", "ImportTemplate", "Webhook", "ApiKey"];
  byId.forEach((rows, i) => rows.forEach((node) => add(types[i]!, node.id, node)));
  return ids.map((id) => found.get(id.toLowerCase()) ?? null);
}

builder.queryFields((t) => ({
  node: t.field({
    type: NodeRef,
    nullable: true,
    description: "One of the viewer's objects by its id; null when there is none (or it is someone else's).",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => (await findNodes(ctx, [id]))[0] ?? null,
  }),
  nodes: t.field({
    type: [NodeRef],
    nullable: { list: false, items: true },
    description: `The viewer's objects by id, in the order asked, null where there is none; at most ${MAX_NODE_IDS} ids.`,
    args: { ids: t.arg.idList({ required: true }) },
    resolve: (_root, { ids }, ctx) => {
      if (ids.length > MAX_NODE_IDS) throw new UserError("BAD_USER_INPUT", `nodes takes at most ${MAX_NODE_IDS} ids.`);
      return findNodes(ctx, ids.map(String));
    },
  }),
}));
