import type { IncomingMessage, ServerResponse } from "node:http";
import { createGraphQLError, type GraphQLParams, type Plugin } from "graphql-yoga";
import { processRequest } from "graphql-upload-minimal";
import type { ErrorCode } from "../errors.js";
import { fileTooLarge } from "../imports/uploadInspector.js";
import { coerceError } from "../lib.js";

/** The largest `operations` or `map` part of a multipart request. */
const MAX_FIELD_BYTES = 1_000_000;

/**
 * What a multipart request may hold besides its file: the `operations` and `map` parts, and the
 * boundaries and part headers around them. Yoga's body limit is the upload limit plus this.
 */
export const MULTIPART_ROOM_BYTES = 2 * MAX_FIELD_BYTES + 64 * 1024;

/**
 * Parses multipart requests (the GraphQL multipart request spec) with graphql-upload-minimal
 * instead of Yoga's own parser, which would buffer every file in memory: here each file reaches
 * its resolver as a stream while the request is still arriving.
 *
 * A request whose declared length is past `maxUploadBytes` plus {@link MULTIPART_ROOM_BYTES} is
 * refused FILE_TOO_LARGE before a byte of it is read. Past its `maxFileSize` busboy silently
 * truncates the stream, so it gets one byte more than the real limit: the resolver then sees the
 * extra byte and refuses the file.
 */
export function useUploads(maxUploadBytes: number): Plugin<{ req?: IncomingMessage; res?: ServerResponse }> {
  return {
    onRequestParse({ request, serverContext, setRequestParser }) {
      const type = request.headers.get("content-type") ?? "";
      const { req, res } = serverContext as { req?: IncomingMessage; res?: ServerResponse };
      if (!type.toLowerCase().startsWith("multipart/form-data") || !req || !res) return;
      // runs before Yoga's own limit, which would answer REQUEST_ENTITY_TOO_LARGE
      if (Number(request.headers.get("content-length")) > maxUploadBytes + MULTIPART_ROOM_BYTES) {
        const refused = fileTooLarge(maxUploadBytes);
        throw createGraphQLError(refused.message, { extensions: { ...refused.extensions, http: { status: 413 } } });
      }
      setRequestParser(async () => {
        try {
          const limits = { maxFileSize: maxUploadBytes + 1, maxFieldSize: MAX_FIELD_BYTES, maxFiles: 1 };
          return (await processRequest(req, res, limits)) as GraphQLParams;
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
