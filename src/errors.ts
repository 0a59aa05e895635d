import { GraphQLError } from "graphql";

/** The `extensions.code` values clients can rely on. */
export type ErrorCode = "UNAUTHENTICATED" | "BAD_USER_INPUT" | "NOT_FOUND";

/**
 * An expected failure, shown to the client with its message and `extensions.code`. Anything else
 * thrown in a resolver is masked as "Unexpected error." and logged in full.
 */
export class UserError extends GraphQLError {
  constructor(code: ErrorCode, message: string) {
    super(message, { extensions: { code } });
  }
}
