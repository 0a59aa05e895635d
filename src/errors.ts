import { GraphQLError } from "graphql";

/** What a client may rely on about one error code. */
export interface ErrorCodeInfo {
  /**
   * The HTTP statuses this code answers with when the error is the whole response: a download,
   * or a request refused before any operation ran. Empty when it only ever appears inside a
   * GraphQL result or a WebSocket message.
   */
  statuses: readonly number[];
  /** When a client sees it, in one line for people; the README's table shows it. */
  description: string;
}

/**
 * Every code a client can see: `extensions.code` on a GraphQL error, `error.code` in the JSON
 * body of a download's error. Yoga's own codes are here too, since clients see those as well.
 * The README's table is tested against this list, and the test suite fails on any error that
 * reaches a client without one of these codes.
 */
export const ERROR_CODES = {
  UNAUTHENTICATED: {
    statuses: [401],
    description:
      "not logged in; a wrong email or password (same message for both); a revoked or expired token; a download link that is invalid or expired; `/metrics` without `METRICS_TOKEN` as its bearer token, when one is set",
  },
  FORBIDDEN: {
    statuses: [403],
    description:
      "`signUp` while `ALLOW_SIGNUP` is false; `createApiKey`, `revokeApiKey` or `logOut` with an API key; `/metrics` from another machine (or through a proxy) while `METRICS_TOKEN` is unset",
  },
  BAD_USER_INPUT: {
    statuses: [400],
    description:
      "invalid input: an email, a short, blank or common password, a template, a cursor, a mapping, a variable of the wrong type or missing; a job in the wrong state for the mutation (`confirmImport` of an import not in `NEEDS_REVIEW`, `cancelImport` of a finished one); a file `inferImportTemplate` cannot read (empty, damaged, no header row, unknown sheet)",
  },
  NOT_FOUND: {
    statuses: [404],
    description: "the thing does not exist or is not yours (the two look the same)",
  },
  FILE_TOO_LARGE: {
    statuses: [413],
    description:
      "an upload (`startImport`, `inferImportTemplate`) over `MAX_UPLOAD_BYTES` (413 when the request says so before it is read); nothing of it is kept",
  },
  UNSUPPORTED_FILE_TYPE: {
    statuses: [],
    description:
      "an upload (`startImport`, `inferImportTemplate`) that is neither a workbook nor text (a PNG, a zip with no workbook)",
  },
  TOO_MANY_SUBSCRIPTIONS: {
    statuses: [],
    description:
      "a 101st open operation on one WebSocket, or a subscription past `MAX_SUBSCRIPTIONS_PER_USER` (all of a user's sockets and SSE streams on one API process)",
  },
  TOO_MANY_UPLOADS: {
    statuses: [],
    description: "an upload while `MAX_CONCURRENT_UPLOADS_PER_USER` of the same user's are still streaming in",
  },
  UPLOAD_TIMEOUT: {
    statuses: [],
    description:
      "an upload that sent nothing for `UPLOAD_IDLE_TIMEOUT_SECONDS`, or was still arriving after `UPLOAD_DEADLINE_SECONDS`; nothing of it is kept",
  },
  QUOTA_EXCEEDED: {
    statuses: [],
    description:
      "a user's stored files past `MAX_STORED_BYTES_PER_USER`; a request for more than `EXPORTS_PER_HOUR` exports in an hour; an 11th webhook (`createWebhook`); an API key past `MAX_API_KEYS_PER_USER` (`createApiKey`)",
  },
  RATE_LIMITED: {
    statuses: [429],
    description:
      "too many `logIn`/`signUp` attempts (`AUTH_RATE_LIMIT_PER_MINUTE`) or operations (`REQUEST_BUDGET_PER_MINUTE`); `extensions.retryAfter` says in how many seconds to try again",
  },
  TOO_MANY_CONNECTIONS: {
    statuses: [429],
    description: "an SSE stream past `MAX_SSE_STREAMS_PER_USER`",
  },
  QUERY_TOO_COMPLEX: {
    statuses: [400],
    description:
      "a query past the token, nesting, depth, alias, directive or cost limits (a connection's `first` multiplies the cost of what it selects)",
  },
  DATABASE_BUSY: {
    statuses: [503],
    description:
      "every database connection of the API process stayed busy for `DATABASE_POOL_WAIT_SECONDS`; try again (`/readyz` answers it too, as `pool busy`, while requests wait for one)",
  },
  DATABASE_UNREACHABLE: {
    statuses: [503],
    description: "`/readyz` only: the database does not answer (`database unreachable`)",
  },
  NOT_READY: {
    statuses: [409],
    description: "a download of an export that is not `COMPLETED`",
  },
  GONE: {
    statuses: [410],
    description: "a download of an export whose file has expired",
  },
  METHOD_NOT_ALLOWED: {
    statuses: [405],
    description: "a download requested with another method than GET or HEAD",
  },
  CSRF_HEADER_MISSING: {
    statuses: [403],
    description: "a multipart or GET request to `/graphql` without the `x-graphql-yoga-csrf` header",
  },
  BAD_REQUEST: {
    statuses: [400, 405],
    description:
      "a request GraphQL cannot read: a body that is not JSON, no query, a damaged multipart body, a method other than GET or POST, a mutation over GET",
  },
  REQUEST_ENTITY_TOO_LARGE: {
    statuses: [413],
    description: "a request without a file over 4 MiB, or a multipart request with more than one file",
  },
  GRAPHQL_PARSE_FAILED: {
    statuses: [400],
    description: "the query is not valid GraphQL syntax",
  },
  GRAPHQL_VALIDATION_FAILED: {
    statuses: [400],
    description: "the query does not fit the schema (an unknown field, a missing argument)",
  },
  OPERATION_RESOLUTION_FAILURE: {
    statuses: [400],
    description: "the document has several operations and `operationName` names none of them",
  },
  INTERNAL_SERVER_ERROR: {
    statuses: [500],
    description: "anything unexpected: the client sees `Unexpected error.`, the server logs it in full",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** The `extensions.code` (or download `error.code`) values clients can rely on. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether a value is one of the registered codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}

/**
 * An expected failure, shown to the client with its message and `extensions.code`. Anything else
 * thrown in a resolver is masked as "Unexpected error." and logged in full.
 */
export class UserError extends GraphQLError {
  constructor(code: ErrorCode, message: string) {
    super(message, { extensions: { code } });
  }
}

/** The one answer for a missing id and for someone else's: the two must look the same. */
export function notFound(what: string): UserError {
  return new UserError("NOT_FOUND", `${what} not found.`);
}
