import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../logger.js";
import { matchDownload, serveDownload } from "./downloads.js";
import { isWebPath, serveWebPage } from "./webPages.js";
import type { Yoga } from "./yoga.js";

/** How long `/readyz` waits for `select 1` before calling the database unreachable. */
const READY_TIMEOUT_MS = 2_000;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function databaseReachable(db: Database): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS)));
  try {
    return await Promise.race([db.pool.query("select 1").then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The HTTP server: `/healthz` (the process is alive), `/readyz` (the database answers), file
 * downloads (`/exports/:id/download`, `/imports/:id/errors.xlsx`), GraphQL at `/graphql`, and
 * the web page's paths (see webPages.ts). Logs one line per request.
 */
export function createHttpServer(
  yoga: Yoga,
  db: Database,
  logger: Logger,
  config: Pick<Config, "signingSecret" | "uploadIdleTimeoutSeconds">,
): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    const path = (req.url ?? "/").split("?")[0];
    res.once("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, "request");
    });
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === "/readyz") {
      void databaseReachable(db).then((ok) =>
        sendJson(res, ok ? 200 : 503, { status: ok ? "ready" : "database unreachable" }),
      );
      return;
    }
    const download = matchDownload(path ?? "/");
    if (download) return void serveDownload(req, res, download, db, logger, config);
    if (isWebPath(path ?? "/")) return void serveWebPage(req, res, path ?? "/", logger);
    void yoga(req, res);
  });
}
