import { isAsyncIterable, type Plugin } from "graphql-yoga";
import type { ErrorCode } from "../errors.js";

const CODE: ErrorCode = "BAD_USER_INPUT";

/**
 * Gives `BAD_USER_INPUT` to the errors graphql-js raises before it runs an operation: a variable
 * of the wrong type, a required variable missing, an unknown operation name. graphql-js answers
 * those without `data` (the spec's request errors) and without a code; any error that reached
 * a resolver comes with `data`, so it is left alone.
 */
export function useVariableErrors(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result) || "data" in result) return;
          for (const error of result.errors ?? []) {
            // graphql-js's errors are plain objects under their readonly type
            const extensions = error.extensions as Record<string, unknown>;
            extensions.code ??= CODE;
          }
        },
      };
    },
  };
}
