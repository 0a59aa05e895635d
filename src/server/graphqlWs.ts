import type { Server } from "node:http";
import { GraphQLError, type ExecutionArgs } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { bearerToken, findViewer, type Viewer } from "../auth/sessions.js";
import type { Database } from "../db/database.js";
import type { Yoga } from "./yoga.js";

/** Largest WebSocket message we accept; GraphQL operations are small. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** A client must send `connection_init` this soon after connecting. */
const CONNECTION_INIT_WAIT_MS = 3_000;
/** Operations one socket may have open at once; each subscription holds server memory. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;

// set in onConnect: one token lookup per connection, not per operation
type Extra = { viewer?: Viewer | null };

type EnvelopedArgs = ExecutionArgs & {
  rootValue: { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
};

/**
 * graphql-ws on the HTTP server's `/graphql` path, executing through Yoga's envelop. Clients
 * authenticate with `connectionParams: { authorization: "Bearer <token>" }`; a rejected token
 * closes the socket with 4403 Forbidden.
 */
export function attachGraphqlWs(server: Server, yoga: Yoga, db: Database): { dispose(): Promise<void> | void } {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: MAX_PAYLOAD_BYTES });
  const graphqlWs = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args) as never,
      onConnect: async (ctx) => {
        const token = bearerToken(ctx.connectionParams?.authorization);
        if (token === undefined) {
          ctx.extra.viewer = null;
          return true;
        }
        ctx.extra.viewer = await findViewer(db.prisma, token);
        return ctx.extra.viewer !== null;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws has already counted this operation in ctx.subscriptions
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            new GraphQLError(`At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} operations may be open on one connection.`, {
              extensions: { code: "TOO_MANY_SUBSCRIPTIONS" },
            }),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          viewer: ctx.extra.viewer ?? null,
        });
        const args: EnvelopedArgs = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        return errors.length ? errors : args;
      },
    },
    wss,
  );
  // closes every socket with 1001 Going Away, then the server
  return graphqlWs;
}
