import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import { authenticate, unauthenticatedMessage } from "../auth/authenticate.js";
import { verifyDownload, type DownloadPurpose } from "../auth/downloadTokens.js";
import { signingSecret } from "../auth/signingSecret.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { isUuid } from "../db/isUuid.js";
import type { ErrorCode } from "../errors.js";
import { openExportFile } from "../exports/openExportFile.js";
import { openErrorReport } from "../imports/openErrorReport.js";
import { coerceError } from "../lib.js";
import type { Logger } from "../logger.js";
import { DownloadUnavailable, type Download, type UnavailableReason } from "../storage/download.js";
import { noteRequestUser } from "./requestLog.js";

/** A file download the HTTP server answers outside GraphQL (a browser cannot send a POST for a link). */
export interface DownloadRoute {
  purpose: DownloadPurpose;
  id: string;
}

const ROUTES: Array<[RegExp, DownloadPurpose]> = [
  [/^\/exports\/([^/]+)\/download$/, "export"],
  [/^\/imports\/([^/]+)\/errors\.xlsx$/, "import-errors"],
];

/** The service that checks and opens each kind of download. */
const OPENERS: Record<DownloadPurpose, (pool: pg.Pool, id: string, owner: string | null) => Promise<Download>> = {
  export: openExportFile,
  "import-errors": openErrorReport,
};

const UNAVAILABLE_STATUS: Record<UnavailableReason, number> = { NOT_FOUND: 404, NOT_READY: 409, GONE: 410 };

/** The download a request path names: `/exports/:id/download` or `/imports/:id/errors.xlsx`. */
export function matchDownload(path: string): DownloadRoute | null {
  for (const [pattern, purpose] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return { purpose, id: safeDecode(match[1]!) };
  }
  return null;
}

/** A path segment decoded, or as it is when it is not valid percent-encoding (it then names nothing). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** An expected failure as the answer it gets; null for anything unexpected. */
function asHttpError(err: unknown): HttpError | null {
  if (err instanceof HttpError) return err;
  if (err instanceof DownloadUnavailable) return new HttpError(UNAVAILABLE_STATUS[err.reason], err.reason, err.message);
  return null;
}

/**
 * Serves one download. Authorised by a bearer token, a session's or an API key (then only the
 * owner's files exist: anything else is the same 404 as a missing id) or by a signed `?token=` from
 * `downloadUrl` or `errorReportUrl`, so that a plain browser link works. 401 without valid credentials; 410 once an
 * export's file has expired. Every download streams a stored file, and a client that reads nothing
 * for `UPLOAD_IDLE_TIMEOUT_SECONDS` is cut.
 */
export async function serveDownload(
  req: IncomingMessage,
  res: ServerResponse,
  route: DownloadRoute,
  db: Database,
  logger: Logger,
  config: Pick<Config, "signingSecret" | "uploadIdleTimeoutSeconds">,
): Promise<void> {
  let cut = false;
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      throw new HttpError(405, "METHOD_NOT_ALLOWED", "Use GET.");
    }
    const owner = await authorise(req, route, db, config.signingSecret);
    if (owner) noteRequestUser(req, owner);
    // not an id at all: it names nothing, and the database would refuse it
    if (!isUuid(route.id)) throw new DownloadUnavailable("NOT_FOUND", "Not found.");
    const download = await OPENERS[route.purpose](db.pool, route.id, owner);
    res.writeHead(200, {
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "content-type": download.contentType,
      ...(download.size === undefined ? {} : { "content-length": String(download.size) }),
      "content-disposition": attachment(download.fileName),
    });
    // the write deadline: a client that stops reading is cut, so a slow reader holds a socket for
    // a while and nothing else (a download holds no transaction, and a connection only for a chunk)
    res.setTimeout(config.uploadIdleTimeoutSeconds * 1000, () => {
      cut = true;
      res.destroy();
    });
    if (req.method === "HEAD") res.end();
    else await download.write(res);
  } catch (caught) {
    const err = coerceError(caught);
    const refused = asHttpError(err);
    if (refused && !res.headersSent) {
      if (refused.status === 401) res.setHeader("www-authenticate", 'Bearer realm="xls-importer"');
      res.writeHead(refused.status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ error: { code: refused.code, message: refused.message } }));
      return;
    }
    if (cut) {
      logger.info({ route }, `download cut: the client read nothing for ${config.uploadIdleTimeoutSeconds} s`);
      return;
    }
    if (res.headersSent && res.destroyed) {
      // the client went away mid-download: nothing to answer, nothing wrong here
      logger.info({ route, reason: err.message }, "download aborted by the client");
      return;
    }
    logger.error({ err, route }, "download failed");
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(
        JSON.stringify({ error: { code: "INTERNAL_SERVER_ERROR" satisfies ErrorCode, message: "Unexpected error." } }),
      );
    } else {
      res.destroy();
    }
  }
}

/**
 * Whose files the request may see: a user id (bearer token), or null when a signed token for
 * exactly this download vouches for it, whoever holds it.
 */
async function authorise(
  req: IncomingMessage,
  route: DownloadRoute,
  db: Database,
  configuredSecret: string | undefined,
): Promise<string | null> {
  const signed = new URL(req.url ?? "/", "http://localhost").searchParams.get("token");
  if (signed !== null) {
    const secret = await signingSecret(db.pool, configuredSecret);
    if (verifyDownload(secret, route.purpose, route.id, signed)) return null;
    throw new HttpError(401, "UNAUTHENTICATED", "This download link is invalid or has expired. Ask for a new one.");
  }
  const auth = await authenticate(db.prisma, req.headers);
  if (!auth.viewer) throw new HttpError(401, "UNAUTHENTICATED", unauthenticatedMessage(auth));
  return auth.viewer.user.id;
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
