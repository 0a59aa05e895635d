import type { IncomingMessage, ServerResponse } from "node:http";
import { pipeline } from "node:stream/promises";
import { verifyDownload, type DownloadPurpose } from "../auth/downloadTokens.js";
import { bearerToken, findViewer } from "../auth/sessions.js";
import { signingSecret } from "../auth/signingSecret.js";
import type { Database } from "../db/database.js";
import { isUuid } from "../db/isUuid.js";
import { parseColumns } from "../imports/templateColumns.js";
import { writeErrorReport } from "../imports/writeErrorReport.js";
import type { Logger } from "../logger.js";
import { CONTENT_TYPES, type SheetFormat } from "../spreadsheet/sheetWriter.js";
import { openStoredFile } from "../storage/fileStore.js";

/** A file download the HTTP server answers outside GraphQL (a browser cannot send a POST for a link). */
export interface DownloadRoute {
  purpose: DownloadPurpose;
  id: string;
}

const ROUTES: Array<[RegExp, DownloadPurpose]> = [
  [/^\/exports\/([^/]+)\/download$/, "export"],
  [/^\/imports\/([^/]+)\/errors\.xlsx$/, "import-errors"],
];

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
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const notFound = () => new HttpError(404, "NOT_FOUND", "Not found.");

/**
 * Serves one download. Authorised by a bearer token (then only the owner's files exist: anything
 * else is the same 404 as a missing id) or by a signed `?token=` from `downloadUrl` or
 * `errorReportUrl`, so that a plain browser link works. 401 without valid credentials; 410 once an
 * export's file has expired.
 */
export async function serveDownload(
  req: IncomingMessage,
  res: ServerResponse,
  route: DownloadRoute,
  db: Database,
  logger: Logger,
  configuredSecret: string | undefined,
): Promise<void> {
  try {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      throw new HttpError(405, "METHOD_NOT_ALLOWED", "Use GET.");
    }
    const owner = await authorise(req, route, db, configuredSecret);
    if (!isUuid(route.id)) throw notFound();
    if (route.purpose === "export") await sendExport(req, res, route.id, owner, db);
    else await sendErrorReport(req, res, route.id, owner, db);
  } catch (err) {
    if (err instanceof HttpError && !res.headersSent) {
      if (err.status === 401) res.setHeader("www-authenticate", 'Bearer realm="xls-importer"');
      res.writeHead(err.status, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ error: { code: err.code, message: err.message } }));
      return;
    }
    if (res.headersSent && res.destroyed) {
      // the client went away mid-download: nothing to answer, nothing wrong here
      logger.info({ route, reason: String(err) }, "download aborted by the client");
      return;
    }
    logger.error({ err, route }, "download failed");
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ error: { code: "INTERNAL_SERVER_ERROR", message: "Unexpected error." } }));
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
  const token = bearerToken(req.headers.authorization);
  const viewer = token === undefined ? null : await findViewer(db.prisma, token);
  if (!viewer) {
    throw new HttpError(
      401,
      "UNAUTHENTICATED",
      token === undefined ? "You must be logged in." : "Your session has expired or was revoked. Log in again.",
    );
  }
  return viewer.user.id;
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const DOWNLOAD_HEADERS = { "cache-control": "private, no-store", "x-content-type-options": "nosniff" };

async function sendExport(req: IncomingMessage, res: ServerResponse, id: string, owner: string | null, db: Database) {
  const {
    rows: [found],
  } = await db.pool.query<{
    status: string;
    format: SheetFormat;
    file_id: string | null;
    file_name: string | null;
    file_size: number | null;
    expired: boolean;
  }>(
    `select status, format, file_id, file_name, file_size, coalesce(expires_at <= now(), false) as expired
     from exports where id = $1 and ($2::uuid is null or user_id = $2::uuid)`,
    [id, owner],
  );
  if (!found) throw notFound();
  if (found.status !== "COMPLETED") {
    throw new HttpError(
      409,
      "NOT_READY",
      found.status === "FAILED" ? "This export failed; there is no file." : "This export is not ready yet.",
    );
  }
  if (found.expired || !found.file_id) {
    throw new HttpError(410, "GONE", "This export has expired and its file was deleted. Request a new export.");
  }
  res.writeHead(200, {
    ...DOWNLOAD_HEADERS,
    "content-type": CONTENT_TYPES[found.format],
    "content-length": String(found.file_size),
    "content-disposition": attachment(found.file_name ?? `export.${found.format.toLowerCase()}`),
  });
  if (req.method === "HEAD") return void res.end();
  await pipeline(openStoredFile(db.pool, found.file_id), res);
}

async function sendErrorReport(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  owner: string | null,
  db: Database,
) {
  const {
    rows: [found],
  } = await db.pool.query<{ file_name: string; columns: unknown; rejected: boolean }>(
    `select i.file_name, t.columns, exists (select 1 from import_rejected_rows r where r.import_id = i.id) as rejected
     from imports i join import_templates t on t.id = i.template_id
     where i.id = $1 and ($2::uuid is null or i.user_id = $2::uuid)`,
    [id, owner],
  );
  if (!found) throw notFound();
  if (!found.rejected) throw new HttpError(404, "NOT_FOUND", "No row of this import was rejected.");
  res.writeHead(200, {
    ...DOWNLOAD_HEADERS,
    "content-type": CONTENT_TYPES.XLSX,
    "content-disposition": attachment(`${found.file_name.replace(/\.[^.]*$/, "")} errors.xlsx`),
  });
  if (req.method === "HEAD") return void res.end();
  const client = await db.pool.connect();
  try {
    await client.query("begin isolation level repeatable read read only");
    await writeErrorReport(client, id, parseColumns(found.columns), res);
    await client.query("commit");
  } catch (err) {
    await client.query("rollback").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
