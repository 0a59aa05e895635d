import { UserError } from "../errors.js";
import { detectFileType, SNIFF_LENGTH, type SpreadsheetKind, UNSUPPORTED_FILE_MESSAGE } from "../spreadsheet/index.js";
import { isZip, ZipInspector } from "../spreadsheet/zipContents.js";
import type { ChunkInspector } from "../storage/fileStore.js";
import { formatBytes } from "../storage/storageQuota.js";

/**
 * Watches an upload stream go by: decides its type from the first bytes (and refuses anything
 * that is not a spreadsheet at once), enforces the size limit, and for a zip checks what it holds
 * (see {@link ZipInspector}), without ever holding the file. `finish` is called once the whole
 * upload went through `inspect`; it gives the type, or refuses a zip that holds no workbook.
 */
export function uploadInspector(maxBytes: number): { inspect: ChunkInspector; finish: () => SpreadsheetKind } {
  let head = Buffer.alloc(0);
  let kind: SpreadsheetKind | undefined;
  const zip = new ZipInspector();
  const decide = () => {
    const detected = detectFileType(head);
    if (detected === "unsupported") {
      // a zip that declares another type up front (an OpenDocument text) says what it is
      const verdict = isZip(head) ? zip.verdict(head) : null;
      throw verdict && "message" in verdict ? new UserError("UNSUPPORTED_FILE_TYPE", verdict.message) : unsupported();
    }
    kind = detected;
  };
  const inspect: ChunkInspector = (chunk, offset) => {
    if (offset + chunk.length > maxBytes) throw fileTooLarge(maxBytes);
    if (!kind) {
      head = Buffer.concat([head, chunk]);
      if (head.length >= SNIFF_LENGTH) decide();
    }
    if (kind !== "csv" && kind !== "xls") zip.push(chunk);
  };
  const finish = (): SpreadsheetKind => {
    if (!kind) decide();
    if (kind === "xlsx") {
      const verdict = zip.verdict(head);
      if ("message" in verdict) throw new UserError("UNSUPPORTED_FILE_TYPE", verdict.message);
    }
    return kind!;
  };
  return { inspect, finish };
}

function unsupported() {
  return new UserError("UNSUPPORTED_FILE_TYPE", UNSUPPORTED_FILE_MESSAGE);
}

/** FILE_TOO_LARGE, naming the limit. */
export function fileTooLarge(maxBytes: number): UserError {
  return new UserError("FILE_TOO_LARGE", `The file is larger than the ${formatBytes(maxBytes)} limit.`);
}

/**
 * What the client sees for an error of graphql-upload-minimal's (an HttpError with a `status`),
 * which fails the upload's promise or stream: each says what happened to the request, not only a
 * file that is too large. Other errors are returned as they are.
 */
export function uploadError(caught: Error, maxBytes: number): Error {
  const { status } = caught as { status?: number };
  if (status === undefined || caught instanceof UserError) return caught;
  // busboy's `limit` event: the file went past maxFileSize
  if (status === 413 && caught.message.startsWith("File truncated")) return fileTooLarge(maxBytes);
  if (/max file uploads exceeded/.test(caught.message)) {
    return new UserError("REQUEST_ENTITY_TOO_LARGE", "A request may carry one file only.");
  }
  if (caught.message === "File missing in the request.") {
    return new UserError("BAD_USER_INPUT", "The request's map names a file part that the request does not contain.");
  }
  if (status === 499) return new UserError("BAD_REQUEST", "The request ended before the whole file arrived.");
  return new UserError(
    status === 413 ? "REQUEST_ENTITY_TOO_LARGE" : "BAD_REQUEST",
    `Invalid multipart request: ${caught.message}`,
  );
}
