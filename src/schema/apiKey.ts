import {
  API_KEY_PREFIX,
  createApiKey,
  MAX_API_KEY_NAME,
  revokeApiKey,
  type ApiKeyRow,
  type CreatedApiKey,
} from "../auth/apiKeys.js";
import type { Viewer } from "../auth/sessions.js";
import { notFound, UserError } from "../errors.js";
import { builder } from "./builder.js";
import { NodeRef } from "./node.js";
import { connectionType, decodeCursor, pageSize, toConnection } from "./connection.js";
import { requireViewer, type Context } from "./context.js";

export const ApiKeyRef = builder.objectRef<ApiKeyRow>("ApiKey").implement({
  interfaces: [NodeRef],
  description:
    `A bearer token for machines (\`Authorization: Bearer ${API_KEY_PREFIX}…\`), acting with its user's rights ` +
    "over HTTP, SSE, graphql-ws and downloads. Its secret is shown once, by createApiKey.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    hint: t.exposeString("hint", {
      description: `\`${API_KEY_PREFIX}…\` and the secret's last four characters, to tell which key a secret is.`,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", {
      type: "DateTime",
      nullable: true,
      description: "When it stops working (its open sockets and SSE streams close then); null: until revoked.",
    }),
    lastUsedAt: t.expose("lastUsedAt", {
      type: "DateTime",
      nullable: true,
      description: "When it last authenticated a request or a connection, to the minute; null: never.",
    }),
  }),
});

const ApiKeyConnection = connectionType("ApiKey", ApiKeyRef, { totalCount: true });

const CreateApiKeyPayloadRef = builder.objectRef<CreatedApiKey>("CreateApiKeyPayload").implement({
  fields: (t) => ({
    apiKey: t.field({ type: ApiKeyRef, resolve: (p) => p.apiKey }),
    secret: t.exposeString("secret", {
      description:
        `The key, \`${API_KEY_PREFIX}\` and 43 base64url characters, shown this once (only its SHA-256 is ` +
        "stored): send it as `Authorization: Bearer <secret>`.",
    }),
  }),
});

/**
 * The viewer, when they came with a session's token. An API key cannot manage keys: a leaked key
 * could otherwise mint itself successors that outlive its revocation, or revoke the others.
 */
function requireSession(ctx: Context, action: string): Viewer {
  const viewer = requireViewer(ctx);
  if (viewer.credential.kind !== "session") {
    throw new UserError("FORBIDDEN", `An API key cannot ${action} API keys; log in to manage keys.`);
  }
  return viewer;
}

builder.queryField("apiKeys", (t) =>
  t.field({
    type: ApiKeyConnection,
    description: "The viewer's API keys, newest first, expired ones included; never their secrets.",
    args: {
      first: t.arg.int({ required: false, defaultValue: 20 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const first = pageSize(args.first, 20);
      const after = decodeCursor("ApiKey", args.after, ["timestamp", "uuid"]);
      const userId = requireViewer(ctx).user.id;
      const rows = await ctx.prisma.apiKey.findMany({
        where: {
          userId,
          ...(after && { OR: [{ createdAt: { lt: after[0] } }, { createdAt: after[0], id: { lt: after[1] } }] }),
        },
        omit: { keyHash: true },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: first + 1,
      });
      // one user's keys, on the (user_id, created_at, id) index
      const totalCount = () => ctx.prisma.apiKey.count({ where: { userId } });
      return toConnection("ApiKey", rows, { first, after, totalCount }, (k) => [k.createdAt.toISOString(), k.id]);
    },
  }),
);

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreateApiKeyPayloadRef,
    description:
      `Makes an API key with the viewer's rights and returns its secret, this once. \`name\` is 1 to ${MAX_API_KEY_NAME} ` +
      "characters; `expiresAt`, when given, is in the future (else BAD_USER_INPUT); without it the key works until " +
      "revoked. At most `MAX_API_KEYS_PER_USER` keys per account, expired ones included, else QUOTA_EXCEEDED. " +
      "FORBIDDEN with an API key: keys are managed from a session.",
    args: {
      name: t.arg.string({ required: true }),
      expiresAt: t.arg({ type: "DateTime", required: false }),
    },
    resolve: (_root, { name, expiresAt }, ctx) =>
      createApiKey(ctx, requireSession(ctx, "create").user.id, name, expiresAt),
  }),
  revokeApiKey: t.boolean({
    description:
      "Revokes one of the viewer's API keys: it stops working at once, and the sockets and SSE streams open on it " +
      "close, on every API process. NOT_FOUND for a missing id or someone else's; FORBIDDEN with an API key.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      if (!(await revokeApiKey(ctx.prisma, requireSession(ctx, "revoke").user.id, id))) throw notFound("API key");
      return true;
    },
  }),
}));
