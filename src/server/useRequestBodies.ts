import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError } from "graphql";
import { createGraphQLError, type FetchAPI, type GraphQLParams, type Plugin } from "graphql-yoga";
import { processRequest } from "graphql-upload-minimal";
import { fileTooLarge, uploadError } from "../imports/uploadInspector.js";
import { coerceError } from "../lib.js";

/** The largest `operations` or `map` part of a multipart request. */
const MAX_FIELD_BYTES = 1_000_000;

/**
 * What a multipart request may hold besides its file: the `operations` and `map` parts, and the
 * boundaries and part headers around them.
 */
const MULTIPART_ROOM_BYTES = 2 * MAX_FIELD_BYTES + 64 * 1024;

/**
 * The largest request without a file (JSON, a GraphQL string, a form): a query of at most 2,000
 * tokens and its variables, where a template of 200 columns with every alias they may have fits.
 * Anyone may send one, signed in or not, and it is parsed whole, so it is far below the upload
 * limit: eight anonymous 95 MB JSON bodies at once took 2 GB and 20 s of everyone's time.
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Bounds every request body and parses uploads. (Yoga's own `maxRequestBodySize` is one limit for
 * all bodies, so it is off: an upload may be 100 MiB, a JSON body 4 MiB.)
 *
 * A body without a file is refused REQUEST_ENTITY_TOO_LARGE (413) past {@link MAX_BODY_BYTES},
 * by its declared length before a byte is read, or as it arrives when it declares none; one that
 * sends nothing for `idleSeconds` has its connection cut.
 *
 * Multipart requests (the GraphQL multipart request spec) are parsed with graphql-upload-minimal
 * instead of Yoga's own parser, which would buffer every file in memory: here each file reaches
 * its resolver as a stream while the request is still arriving. A request whose declared length
 * is past `maxUploadBytes` plus {@link MULTIPART_ROOM_BYTES} is refused FILE_TOO_LARGE before a
 * byte of it is read. Past its `maxFileSize` busboy silently truncates the stream, so it gets one
 * byte more than the real limit: the resolver then sees the extra byte and refuses the file.
 */
export function useRequestBodies(
  maxUploadBytes: number,
  idleSeconds: number,
): Plugin<{ req?: IncomingMessage; res?: ServerResponse }> {
  return {
    onRequestParse({ request, serverContext, requestParser, setRequestParser, fetchAPI }) {
      const type = request.headers.get("content-type") ?? "";
      const { req, res } = serverContext as { req?: IncomingMessage; res?: ServerResponse };
      if (!type.toLowerCase().startsWith("multipart/form-data") || !req || !res) {
        if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES) throw bodyTooLarge();
        // a body that stops arriving is cut after the upload idle timeout; once it is all in, the
        // answer may take its time (an SSE stream has limits of its own)
        req?.setTimeout(idleSeconds * 1000, () => {
          if (req.complete) req.setTimeout(0);
          else req.socket.destroy();
        });
        if (requestParser && request.body) {
          setRequestParser((parsed) => requestParser(limitBody(parsed, fetchAPI)));
        }
        return;
      }
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

function bodyTooLarge(): GraphQLError {
  const mib = MAX_BODY_BYTES / 1024 / 1024;
  return createGraphQLError(`A request without a file may be at most ${mib} MiB.`, {
    extensions: { code: "REQUEST_ENTITY_TOO_LARGE", http: { status: 413 } },
  });
}

/** `request` with a body that fails past {@link MAX_BODY_BYTES}: for bodies that declare no length. */
function limitBody(request: Request, fetchAPI: FetchAPI): Request {
  let received = 0;
  // as Yoga's own limit does: a native body needs the native TransformStream, a ponyfilled one its own
  const Transform = request.body instanceof ReadableStream ? TransformStream : fetchAPI.TransformStream;
  const body = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > MAX_BODY_BYTES) controller.error(bodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body,
    duplex: "half",
  } as RequestInit);
}
