import type { IncomingMessage, ServerResponse } from "node:http";
import { createGraphQLError, type GraphQLParams, type Plugin } from "graphql-yoga";
import { processRequest } from "graphql-upload-minimal";
import type { ErrorCode } from "../errors.js";
import { coerceError } from "../lib.js";

/**
 * Parses multipart requests (the GraphQL multipart request spec) with graphql-upload-minimal
 * instead of Yoga's own parser, which would buffer every file in memory: here each file reaches
 * its resolver as a stream while the request is still arriving.
 *
 * Past `maxFileSize` busboy silently truncates the stream, so pass one byte more than the real
 * limit: the resolver then sees the extra byte and can refuse the file.
 */
export function useUploads(maxFileSize: number): Plugin<{ req?: IncomingMessage; res?: ServerResponse }> {
  return {
    onRequestParse({ request, serverContext, setRequestParser }) {
      const type = request.headers.get("content-type") ?? "";
      const { req, res } = serverContext as { req?: IncomingMessage; res?: ServerResponse };
      if (!type.toLowerCase().startsWith("multipart/form-data") || !req || !res) return;
      setRequestParser(async () => {
        try {
          return (await processRequest(req, res, { maxFileSize, maxFiles: 1 })) as GraphQLParams;
        } catch (caught) {
          const err = coerceError(caught);
          // graphql-upload-minimal's HttpErrors carry a status: 413 past its limits, else 400
          const status = (err as { status?: number }).status === 413 ? 413 : 400;
          const code: ErrorCode = status === 413 ? "REQUEST_ENTITY_TOO_LARGE" : "BAD_REQUEST";
          throw createGraphQLError(`Invalid multipart request: ${err.message}`, {
            extensions: { code, http: { status } },
          });
        }
      });
    },
  };
}
