import { GraphQLError } from "graphql";

/** The `extensions.code` values clients can rely on. */
export type ErrorCode = "UNAUTHENTICATED" | "BAD_USER_INPUT" | "NOT_FOUND" | "FILE_TOO_LARGE" | "UNSUPPORTED_FILE_TYPE";

/**
 * An expected failure, shown to the client with its message and `extensions.code`. Anything else
 * thrown in a resolver is masked as "Unexpected error." and logged in full.
 */
export class UserError extends GraphQLError {
  constructor(code: ErrorCode, message: string) {
    super(message, { extensions: { code } });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for ids our tables can hold; anything else cannot name a row and is simply not found. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** The one answer for a missing id and for someone else's: the two must look the same. */
export function notFound(what: string): UserError {
  return new UserError("NOT_FOUND", `${what} not found.`);
}
