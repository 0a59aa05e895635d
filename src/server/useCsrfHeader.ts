import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { GraphQLError } from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import type { ErrorCode } from "../errors.js";

/** The header a cross-site form cannot send; any value will do. */
export const CSRF_HEADER = "x-graphql-yoga-csrf";

const CODE: ErrorCode = "CSRF_HEADER_MISSING";

/**
 * Requires {@link CSRF_HEADER} on the requests a browser sends across sites without a preflight
 * (multipart, form and text bodies, GET): such a request cannot carry a custom header, so
 * requiring one stops CSRF. Yoga's CSRF plugin, with a code on its 403.
 */
export function useCsrfHeader(): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      try {
        return csrf.onRequestParse?.(payload);
      } catch (err) {
        if (!(err instanceof GraphQLError)) throw err;
        // the library's 403 has no code; only it throws here
        throw createGraphQLError(err.message, { extensions: { ...err.extensions, code: CODE } });
      }
    },
  };
}
