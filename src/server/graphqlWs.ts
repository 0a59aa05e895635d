import type { Server } from "node:http";
import { getOperationAST, GraphQLError, parse, type DocumentNode, type ExecutionArgs } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer } from "ws";
import { ANONYMOUS, authenticate, type Authentication } from "../auth/authenticate.js";
import type { Database } from "../db/database.js";
import { UserError, type ErrorCode } from "../errors.js";
import { coerceError } from "../lib.js";
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
        const { schema, execute, subscribe, contextFactory, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          auth: await operationAuth(db, payload.extensions?.headers, ctx.extra.auth),
        });
        // over HTTP Yoga gives these errors their codes; here they would close the socket (parse) or
        // reach the client without one. graphql's own parse, not the enveloped one: Yoga's parser
        // cache keeps a failed parse's error by query text and hands that same object to later HTTP
        // requests, which then lack the code Yoga adds only when HTTP parsed it first
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (caught) {
          const err = coerceError(caught);
          if (!(err instanceof GraphQLError)) throw err;
          return [coded(err, "GRAPHQL_PARSE_FAILED")];
        }
        const errors = validate(schema, document);
        if (errors.length) return errors.map((err: GraphQLError) => coded(err, "GRAPHQL_VALIDATION_FAILED"));
        if (!getOperationAST(document, payload.operationName)) {
          return [
            new UserError("OPERATION_RESOLUTION_FAILURE", "Could not tell which operation of the document to run."),
          ];
        }
        return {
          schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        } satisfies EnvelopedArgs;
      },
    },
    wss,
  );
  // closes every socket with 1001 Going Away, then the server
  return graphqlWs;
}

/** `err` with `code` as its `extensions.code`, unless it has one already. */
function coded(err: GraphQLError, code: ErrorCode): GraphQLError {
  if (err.extensions.code) return err;
  return new GraphQLError(err.message, {
    nodes: err.nodes,
    source: err.source,
    positions: err.positions,
    path: err.path,
    originalError: err.originalError,
    extensions: { ...err.extensions, code },
  });
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
