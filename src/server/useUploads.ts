import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { createGraphQLError, type GraphQLParams, type Plugin } from "graphql-yoga";
import { processRequest } from "graphql-upload-minimal";
import { fileTooLarge, uploadError } from "../imports/uploadInspector.js";
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
export function useUploads(
  maxUploadBytes: number,
  idleSeconds: number,
): Plugin<{ req?: IncomingMessage; res?: ServerResponse }> {
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
        // until the operations and map have arrived, a client that stops sending is answered 408
        // (the resolvers time out the file itself); the socket is read all along, so its
        // inactivity is the client's
        let onTimeout: (() => void) | undefined;
        const stalled = new Promise<never>((_resolve, reject) => {
          onTimeout = () => {
            const message = `The request stopped: nothing arrived for ${idleSeconds} s.`;
            reject(createGraphQLError(message, { extensions: { code: "UPLOAD_TIMEOUT", http: { status: 408 } } }));
            // the rest of the request is not read: the connection closes once answered
            res.once("finish", () => req.destroy());
          };
        });
        req.setTimeout(idleSeconds * 1000, onTimeout);
        try {
          const limits = { maxFileSize: maxUploadBytes + 1, maxFieldSize: MAX_FIELD_BYTES, maxFiles: 1 };
          return (await Promise.race([processRequest(req, res, limits), stalled])) as GraphQLParams;
        } catch (caught) {
          if (caught instanceof GraphQLError) throw caught;
          const err = coerceError(caught);
          // graphql-upload-minimal's HttpErrors carry a status: 413 past its limits, else 400;
          // busboy's own errors (a damaged body) none
          const status = (err as { status?: number }).status === 413 ? 413 : 400;
          const refused = uploadError(err, maxUploadBytes);
          const { message, extensions } =
            refused instanceof GraphQLError
              ? refused
              : { message: `Invalid multipart request: ${err.message}`, extensions: { code: "BAD_REQUEST" } };
          throw createGraphQLError(message, { extensions: { ...extensions, http: { status } } });
        } finally {
          req.setTimeout(0);
          if (onTimeout) req.off("timeout", onTimeout);
        }
      });
    },
  };
}
