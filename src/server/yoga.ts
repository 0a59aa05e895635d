import { createYoga, maskError, type YogaServerInstance } from "graphql-yoga";
import type { IncomingMessage, ServerResponse } from "node:http";
import { authenticate, type Authentication } from "../auth/authenticate.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../logger.js";
import type { JobEvents } from "../realtime/jobEvents.js";
import type { LiveSessions } from "../realtime/liveSessions.js";
import type { Context } from "../schema/context.js";
import { schema } from "../schema/index.js";
import type { ConnectionLimits } from "./connectionLimits.js";
import { corsPolicy, createSecurityHeaders } from "./securityHeaders.js";
import { useCsrfHeader } from "./useCsrfHeader.js";
import { useSseStreams } from "./useSseStreams.js";
import { useRequestBodies } from "./useRequestBodies.js";
import { useQueryLimits } from "./useQueryLimits.js";
import { useVariableErrors } from "./useVariableErrors.js";
import { useRequestBudget } from "./useRequestBudget.js";
import { useRequestLog } from "./requestLog.js";

/** What the HTTP adapter (or our graphql-ws wiring) hands the context factory. */
export interface ServerContext {
  req?: IncomingMessage;
  res?: ServerResponse;
  /** Set by the WebSocket server, which authenticates at `connection_init` and per operation. */
  auth?: Authentication;
}

export type Yoga = YogaServerInstance<ServerContext, Context>;

/**
 * GraphQL over HTTP (queries, mutations, SSE subscriptions) and GraphiQL at `/graphql`. The
 * graphql-ws server reuses its envelop, so both transports share validation, auth and masking.
 */
export function createGraphQL(
  config: Config,
  db: Database,
  jobEvents: JobEvents,
  logger: Logger,
  sessions: LiveSessions,
  limits: ConnectionLimits,
): Yoga {
  const securityHeaders = createSecurityHeaders();
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: "/graphql",
    landingPage: false,
    // a browser form could post multipart or GET across sites without a preflight; a custom
    // header cannot be sent that way, so requiring one on such requests stops CSRF
    plugins: [
      useCsrfHeader(),
      useRequestBodies(config.maxUploadBytes, config.uploadIdleTimeoutSeconds),
      useVariableErrors(),
      useQueryLimits(),
      securityHeaders.plugin,
      useSseStreams(sessions, limits),
      useRequestBudget(db.pool, config.requestBudgetPerMinute),
      useRequestLog(),
    ],
    // one limit for every body would be the upload's; useRequestBodies bounds each kind
    maxRequestBodySize: false,
    graphiql: { subscriptionsProtocol: "WS", title: "xls-importer" },
    // GraphiQL with its code inlined: the default page loads it from a CDN, out of reach on a closed network
    renderGraphiQL: securityHeaders.renderGraphiQL,
    cors: corsPolicy(config.corsOrigins),
    // the cost limit reads each request's variables, so one document's validation is not one result
    parserAndValidationCache: { validationCache: false },
    logging: {
      debug: (...args) => logger.debug({ yoga: args }, "yoga"),
      info: (...args) => logger.info({ yoga: args }, "yoga"),
      warn: (...args) => logger.warn({ yoga: args }, "yoga"),
      error: (...args) => logger.error({ yoga: args }, "yoga"),
    },
    maskedErrors: {
      maskError(error, message, isDev) {
        const masked = maskError(error, message, isDev);
        if (masked !== error) logger.error({ err: error }, "unexpected error in a GraphQL operation");
        return masked;
      },
    },
    context: async (initial) => {
      const { viewer, tokenRejected } =
        initial.auth ?? (await authenticate(db.prisma, initial.request.headers.get("authorization")));
      return { db, prisma: db.prisma, config, logger, jobEvents, viewer, tokenRejected };
    },
  });
}
