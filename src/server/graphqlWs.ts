import type { Server } from "node:http";
import type { Duplex } from "node:stream";
import {
  getOperationAST,
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { Context as WsContext, SubscribePayload } from "graphql-ws";
import { useServer, type Extra as WsExtra } from "graphql-ws/use/ws";
import { isAsyncIterable } from "graphql-yoga";
import { WebSocketServer, type WebSocket } from "ws";
import { ANONYMOUS, authenticate, unauthenticatedMessage, type Authentication } from "../auth/authenticate.js";
import { clientKey } from "../auth/rateLimits.js";
import { DatabaseBusyError, type Database } from "../db/database.js";
import { UserError, type ErrorCode } from "../errors.js";
import { coerceError } from "../lib.js";
import type { LiveSessions } from "../realtime/liveSessions.js";
import { CLOSE_CODES } from "./closeCodes.js";
import type { ConnectionLimits, Release } from "./connectionLimits.js";
import { SharedSubscriptions, STREAM_KIND, type StreamKind } from "../realtime/sharedSubscriptions.js";
import { parseQuery } from "./useQueryLimits.js";
import type { Yoga } from "./yoga.js";

/** Largest WebSocket message we accept; GraphQL operations are small. */
const MAX_PAYLOAD_BYTES = 64 * 1024;
/** A client must send `connection_init` this soon after connecting. */
const CONNECTION_INIT_WAIT_MS = 3_000;
/** Operations one socket may have open at once; each subscription holds server memory. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100;
/**
 * Once a socket's session has ended, how long operations already running on it (the `logOut` that
 * ended it, say) may take to deliver their answer before the socket closes anyway.
 */
const ANSWER_GRACE_MS = 500;

// set in onConnect: one token lookup per connection, not per operation
type Extra = { auth?: Authentication };

type Subscribe = (args: ExecutionArgs) => Promise<ExecutionResult | AsyncIterableIterator<ExecutionResult>>;
type EnvelopedArgs = ExecutionArgs & {
  rootValue: { execute: (args: ExecutionArgs) => unknown; subscribe: Subscribe };
};

/**
 * graphql-ws on the HTTP server's `/graphql` path, executing through Yoga's envelop. Clients
 * authenticate with `connectionParams: { authorization: "Bearer <token>" }`, a session's token or
 * an API key (a key's socket is watched as a session's is); a rejected token closes the socket
 * with 4403 Forbidden. An operation may also carry its own headers in
 * `extensions.headers`, as GraphiQL sends its Headers tab: a token there decides who runs that
 * operation, like a request's header over HTTP (a rejected one makes it UNAUTHENTICATED).
 *
 * The socket's session is checked again before each operation, and when it is revoked or expires
 * the socket is closed with 4403 (see {@link LiveSessions}). A subscription on an operation's own
 * token ends alone when that token's session does (see {@link LiveSessions.untilEnded}). `limits` caps
 * sockets per user and per IP address, and subscriptions per user (those on an operation's own
 * token count for its user); see closeCodes.ts for what a client is told.
 *
 * Subscriptions of one user with the same document and variables share one execution (see
 * {@link SharedSubscriptions}): a change watched from a thousand sockets is executed once.
 */
export function attachGraphqlWs(
  server: Server,
  yoga: Yoga,
  db: Database,
  sessions: LiveSessions,
  limits: ConnectionLimits,
): { dispose(): Promise<void> | void } {
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: MAX_PAYLOAD_BYTES });
  const live = new WeakMap<WebSocket, LiveSocket>();
  const sharing = new SharedSubscriptions();
  // registered before graphql-ws's own listener, so every socket has its LiveSocket first
  wss.on("connection", (socket, request) => {
    // keyed as the rate limits key clients: an IPv6 client by its /64, which it usually has whole
    live.set(socket, new LiveSocket(socket, request.socket, clientKey({ req: request }), sessions, limits));
  });
  /** Checks one operation and gets it ready to run: an array of errors refuses it. */
  const prepare = async (
    ctx: WsContext<Record<string, unknown> | undefined, WsExtra & Partial<Extra>>,
    id: string,
    payload: SubscribePayload,
  ): Promise<EnvelopedArgs | readonly GraphQLError[]> => {
    // graphql-ws has already counted this operation in ctx.subscriptions
    if (Object.keys(ctx.subscriptions).length > MAX_SUBSCRIPTIONS_PER_CONNECTION) {
      return [
        new UserError(
          "TOO_MANY_SUBSCRIPTIONS",
          `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} operations may be open on one connection.`,
        ),
      ];
    }
    const socket = live.get(ctx.extra.socket)!;
    if (!(await socket.sessionStands())) {
      const tokenRejected = ctx.extra.auth?.viewer?.credential.kind ?? "session";
      return [new UserError("UNAUTHENTICATED", unauthenticatedMessage({ tokenRejected }))];
    }
    // an operation's own token is looked up afresh here, each time: that is its session's re-check
    const auth = await operationAuth(db, payload.extensions?.headers, ctx.extra.auth);
    const operationSession = auth.viewer?.credential.id !== ctx.extra.auth?.viewer?.credential.id ? auth.viewer : null;
    const { schema, execute, subscribe, contextFactory, validate } = yoga.getEnveloped({
      ...ctx,
      req: ctx.extra.request,
      socket: ctx.extra.socket,
      params: payload,
      auth,
    });
    // over HTTP Yoga gives these errors their codes; here they would close the socket (parse) or
    // reach the client without one. Our parser (useQueryLimits.ts), not the enveloped one: Yoga's parser
    // cache keeps a failed parse's error by query text and hands that same object to later HTTP
    // requests, which then lack the code Yoga adds only when HTTP parsed it first
    let document: DocumentNode;
    try {
      document = parseQuery(payload.query);
    } catch (caught) {
      const err = coerceError(caught);
      if (!(err instanceof GraphQLError)) throw err;
      return [coded(err, "GRAPHQL_PARSE_FAILED")];
    }
    const errors = validate(schema, document);
    if (errors.length) return errors.map((err: GraphQLError) => coded(err, "GRAPHQL_VALIDATION_FAILED"));
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      return [new UserError("OPERATION_RESOLUTION_FAILURE", "Could not tell which operation of the document to run.")];
    }
    const refused = socket.open(id, operation.operation, auth);
    if (refused) return [refused];
    const run: Subscribe = (args) => subscribe(args) as ReturnType<Subscribe>;
    const kind = streamKind(schema, operation);
    const userId = auth.viewer?.user.id;
    // the key holds everything a result depends on: two users never share, nor two documents or variables
    const shared: Subscribe =
      kind && userId
        ? (args) => {
            const key = JSON.stringify([userId, payload.query, payload.operationName, payload.variables]);
            return sharing.subscribe(key, kind, () => run(args));
          }
        : run;
    return {
      schema,
      operationName: payload.operationName,
      document,
      variableValues: payload.variables,
      contextValue: await contextFactory(),
      rootValue: {
        execute,
        subscribe: operationSession
          ? // only the operation ends with its session, not the socket, which is not that session's:
            // its other operations (anonymous, or on other tokens; GraphiQL sends every tab's over
            // one socket) go on, where a 4403 would end them all and make clients reconnect in vain
            async (args: ExecutionArgs) => {
              const result = await shared(args);
              return isAsyncIterable(result) ? sessions.untilEnded(result, operationSession) : result;
            }
          : shared,
      },
    } satisfies EnvelopedArgs;
  };
  const graphqlWs = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      execute: (args) => (args as EnvelopedArgs).rootValue.execute(args) as never,
      subscribe: (args) => (args as EnvelopedArgs).rootValue.subscribe(args) as never,
      onConnect: async (ctx) => {
        try {
          ctx.extra.auth = await authenticate(db.prisma, ctx.connectionParams);
        } catch (caught) {
          if (!(caught instanceof DatabaseBusyError)) throw caught;
          // not a failure of the client's: 1013 (Try Again Later), which graphql-ws clients retry
          ctx.extra.socket.close(CLOSE_CODES.busy.code, CLOSE_CODES.busy.reason);
          return false;
        }
        // false closes with 4403, unless the socket was closed already (then it does nothing)
        return !ctx.extra.auth.tokenRejected && live.get(ctx.extra.socket)!.signIn(ctx.extra.auth);
      },
      onSubscribe: async (ctx, id, payload) => {
        try {
          return await prepare(ctx, id, payload);
        } catch (caught) {
          // a busy pool answers this operation DATABASE_BUSY and leaves the socket open (over HTTP, a 503)
          if (!(caught instanceof DatabaseBusyError)) throw caught;
          return [new UserError("DATABASE_BUSY", caught.message)];
        }
      },
      // before each result is sent: returns nothing, so graphql-ws sends the result as it is
      onNext: (ctx) => void live.get(ctx.extra.socket)?.batchWrites(),
      // called once an operation's last message is sent (or it was cancelled), and on its error
      onComplete: (ctx, id) => live.get(ctx.extra.socket)?.finish(id),
      onError: (ctx, id) => void live.get(ctx.extra.socket)?.finish(id),
    },
    wss,
  );
  // closes every socket with 1001 Going Away, then the server
  return graphqlWs;
}

/**
 * What one socket holds and may do, beside graphql-ws's own context: a slot among its IP address's
 * anonymous sockets until a signed-in user's `connection_init`, then a slot among that user's; a
 * slot among the user's subscriptions per open subscription; and a watch on its session.
 */
class LiveSocket {
  private auth: Authentication = ANONYMOUS;
  private slot: Release | undefined;
  /** Open operations by id; a subscription holds a slot among its user's subscriptions. */
  private readonly operations = new Map<string, { subscription: boolean; release?: Release }>();
  private batching = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private graceTimer: NodeJS.Timeout | undefined;
  private unwatch: (() => void) | undefined;
  /** The session has ended: the socket closes once the answers already running are sent. */
  private ending = false;
  private closed = false;

  constructor(
    private readonly socket: WebSocket,
    /** The TCP connection under `socket` (the upgraded request's). */
    private readonly tcp: Duplex,
    address: string,
    private readonly sessions: LiveSessions,
    private readonly limits: ConnectionLimits,
  ) {
    socket.once("close", () => this.dispose());
    // counted from the upgrade on: sockets that never send connection_init count too
    this.slot = limits.anonymousSockets.take(address);
    if (this.slot) this.armIdleTimer();
    else this.closeWith(CLOSE_CODES.tooManySockets);
  }

  /** At `connection_init`: moves a signed-in socket from its IP's slots to its user's. False closes it. */
  signIn(auth: Authentication): boolean {
    if (this.closed) return false;
    this.auth = auth;
    if (!auth.viewer) return true;
    const slot = this.limits.userSockets.take(auth.viewer.user.id);
    if (!slot) {
      this.closeWith(CLOSE_CODES.tooManySockets);
      return false;
    }
    this.slot?.();
    this.slot = slot;
    clearTimeout(this.idleTimer);
    this.unwatch = this.sessions.watch(auth.viewer, () => this.end());
    return true;
  }

  /** Before each operation: whether the socket's session still stands; when not, the socket closes. */
  async sessionStands(): Promise<boolean> {
    const viewer = this.auth.viewer;
    if (this.ending) return false;
    if (!viewer || (await this.sessions.stands(viewer))) return true;
    this.end();
    return false;
  }

  /** Counts an operation that is about to run; an error when its user has no subscription left. */
  open(id: string, type: OperationTypeNode, auth: Authentication): UserError | undefined {
    const subscription = type === OperationTypeNode.SUBSCRIPTION;
    let release: Release | undefined;
    if (subscription && auth.viewer) {
      release = this.limits.subscriptions.take(auth.viewer.user.id);
      if (!release) {
        return new UserError(
          "TOO_MANY_SUBSCRIPTIONS",
          `At most ${this.limits.config.maxSubscriptionsPerUser} subscriptions may be open at once for one user.`,
        );
      }
    }
    this.operations.set(id, { subscription, release });
    clearTimeout(this.idleTimer);
    return undefined;
  }

  /**
   * Holds the frames sent in this turn of the event loop and writes them at once: a change watched
   * by many of the socket's subscriptions then costs one system call, not one per subscription.
   */
  batchWrites(): void {
    if (this.batching) return;
    this.batching = true;
    this.tcp.cork();
    setImmediate(() => {
      this.batching = false;
      this.tcp.uncork();
    });
  }

  /** An operation is over: its answer is sent, or it was cancelled. */
  finish(id: string): void {
    this.operations.get(id)?.release?.();
    this.operations.delete(id);
    // graphql-ws sends the operation's `complete` right after this hook: close after it
    if (this.ending && !this.running()) setImmediate(() => this.closeWith(CLOSE_CODES.sessionEnded));
    else this.armIdleTimer();
  }

  /** The session ended: close now, or once the answers already running are out (for a moment at most). */
  private end() {
    if (this.ending) return;
    this.ending = true;
    this.unwatch?.();
    if (!this.running()) return this.closeWith(CLOSE_CODES.sessionEnded);
    this.graceTimer = setTimeout(() => this.closeWith(CLOSE_CODES.sessionEnded), ANSWER_GRACE_MS);
  }

  /** Whether a query or mutation is running (subscriptions are not waited for). */
  private running(): boolean {
    return [...this.operations.values()].some((operation) => !operation.subscription);
  }

  /** A socket without a signed-in user and with nothing open closes after a while. */
  private armIdleTimer() {
    clearTimeout(this.idleTimer);
    if (this.auth.viewer || this.operations.size > 0 || this.closed) return;
    this.idleTimer = setTimeout(
      () => this.closeWith(CLOSE_CODES.idle),
      this.limits.config.anonymousSocketIdleSeconds * 1000,
    );
  }

  private closeWith({ code, reason }: { code: number; reason: string }) {
    this.socket.close(code, reason);
  }

  private dispose() {
    this.closed = true;
    clearTimeout(this.idleTimer);
    clearTimeout(this.graceTimer);
    this.unwatch?.();
    this.slot?.();
    for (const operation of this.operations.values()) operation.release?.();
    this.operations.clear();
  }
}

/** How the operation's root field's stream reads, when it declares it and the root is that one plain field. */
function streamKind(schema: GraphQLSchema, operation: OperationDefinitionNode): StreamKind | undefined {
  const [root, ...more] = operation.selectionSet.selections;
  if (more.length > 0 || root?.kind !== Kind.FIELD) return undefined;
  const kind = schema.getSubscriptionType()?.getFields()[root.name.value]?.extensions[STREAM_KIND];
  return kind === "state" || kind === "changes" ? kind : undefined;
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
