import type { Server } from "node:http";
import type { ExecutionArgs } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { ANONYMOUS, authenticate, type Authentication } from "../auth/authenticate.js";
import type { Database } from "../db/database.js";
import { UserError } from "../errors.js";
import type { Yoga } from "./yoga.js";

/** Largest WebSocket message we accept; GraphQL operations are small. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** A client must send `connection_init` this soon after connecting. */
const CONNECTION_INIT_WAIT_MS = 3_000;
/** Operations one socket may have open at once; each subscription holds server memory. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;

// set in onConnect: one token lookup per connection, not per operation
type Extra = { auth?: Authentication };

type EnvelopedArgs = ExecutionArgs & {
  rootValue: { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
};

/**
 * graphql-ws on the HTTP server's `/graphql` path, executing through Yoga's envelop. Clients
 * authenticate with `connectionParams: { authorization: "Bearer <token>" }`; a rejected token
 * closes the socket with 4403 Forbidden. An operation may also carry its own headers in
 * `extensions.headers`, as GraphiQL sends its Headers tab: a token there decides who runs that
 * operation, like a request's header over HTTP (a rejected one makes it UNAUTHENTICATED).
 */
export function attachGraphqlWs(server: Server, yoga: Yoga, db: Database): { dispose(): Promise<void> | void } {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: MAX_PAYLOAD_BYTES });
  const graphqlWs = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args) as never,
      onConnect: async (ctx) => {
        ctx.extra.auth = await authenticate(db.prisma, ctx.connectionParams);
        return !ctx.extra.auth.tokenRejected;
      },
      onSubscribe: async (ctx, _id, payload) => {
        // graphql-ws has already counted this operation in ctx.subscriptions
        if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
          return [
            new UserError(
              "TOO_MANY_SUBSCRIPTIONS",
              `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} operations may be open on one connection.`,
            ),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          auth: await operationAuth(db, payload.extensions?.headers, ctx.extra.auth),
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

/** Who runs one operation: the token in its own headers when they have one, else the connection's. */
async function operationAuth(
  db: Database,
  headers: unknown,
  connection: Authentication = ANONYMOUS,
): Promise<Authentication> {
  if (typeof headers !== "object" || headers === null) return connection;
  const own = await authenticate(db.prisma, headers as Record<string, unknown>);
  return own.viewer || own.tokenRejected ? own : connection;
}
