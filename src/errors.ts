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

/** The one answer for a missing id and for someone else's: the two must look the same. */
export function notFound(what: string): UserError {
  return new UserError("NOT_FOUND", `${what} not found.`);
}
