import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getOperationAST, type DocumentNode } from "graphql";
import type { Plugin } from "graphql-yoga";
import type { Context } from "../schema/context.js";
import type { ServerContext } from "./yoga.js";

/**
 * An `x-request-id` we take from a client (or a proxy in front of us) as it is: short, and only
 * characters that need no escaping in a header or a log line (a UUID, a hex or base64 id, an AWS
 * trace id). Anything else is replaced by one of ours.
 */
const REQUEST_ID = /^[A-Za-z0-9._:/+=@-]{1,128}$/;

/** What a request's log line says besides its method, path, status and time. */
export interface RequestLogFields {
  /** The request's `x-request-id`, echoed in the response's. */
  requestId: string;
  /** Whose request it was, once GraphQL knows (a valid bearer token). */
  userId?: string;
  /** The GraphQL operation's name, when it has one. */
  operation?: string;
}

const fieldsOf = new WeakMap<IncomingMessage, RequestLogFields>();

/**
 * Gives a request its id: the client's `x-request-id` when it is a valid one, else a new UUID; it
 * is set on the response at once, so every answer carries it, errors included.
 */
export function startRequestLog(req: IncomingMessage, res: ServerResponse): RequestLogFields {
  const sent = req.headers["x-request-id"];
  const requestId = typeof sent === "string" && REQUEST_ID.test(sent) ? sent : randomUUID();
  res.setHeader("x-request-id", requestId);
  const fields: RequestLogFields = { requestId };
  fieldsOf.set(req, fields);
  return fields;
}

/** Notes whose request it is, for routes outside GraphQL that authenticate themselves (downloads). */
export function noteRequestUser(req: IncomingMessage, userId: string): void {
  const fields = fieldsOf.get(req);
  if (fields) fields.userId = userId;
}

/**
 * Fills in a GraphQL request's log fields: the operation's name as the client gave it (so a
 * document that fails to parse or validate has it too), then the name of the operation that ran,
 * and its user.
 */
export function useRequestLog(): Plugin<Context> {
  const note = (
    req: IncomingMessage | undefined,
    document: DocumentNode,
    name: string | null | undefined,
    userId?: string,
  ) => {
    const fields = req && fieldsOf.get(req);
    if (!fields) return; // graphql-ws: no HTTP request to log
    fields.operation = getOperationAST(document, name)?.name?.value ?? fields.operation;
    fields.userId = userId;
  };
  return {
    onParams({ params, context }) {
      const { req } = context as ServerContext;
      const fields = req && fieldsOf.get(req);
      if (fields && typeof params.operationName === "string") fields.operation = params.operationName;
    },
    onExecute({ args }) {
      const context = args.contextValue as Context & ServerContext;
      note(context.req, args.document, args.operationName, context.viewer?.user.id);
    },
    onSubscribe({ args }) {
      const context = args.contextValue as Context & ServerContext;
      note(context.req, args.document, args.operationName, context.viewer?.user.id);
    },
  };
}
