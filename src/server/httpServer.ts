import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { addressKey } from "../auth/rateLimits.js";
import type { Config } from "../config.js";
import type { Database, Readiness } from "../db/database.js";
import type { ErrorCode } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "../metrics/createMetrics.js";
import { METRICS_PATH, serveMetrics } from "../metrics/serveMetrics.js";
import type { ConnectionLimits } from "./connectionLimits.js";
import { matchDownload, serveDownload } from "./downloads.js";
import { startRequestLog } from "./requestLog.js";
import { isWebPath, serveWebPage } from "./webPages.js";
import type { Yoga } from "./yoga.js";

/** How long past the upload deadline a request may still be arriving before the connection is cut. */
const REQUEST_TIMEOUT_MARGIN_SECONDS = 30;

/** What `/readyz` answers when not ready, as the body of a download's error would say it. */
const READINESS_ERRORS = {
  "database unreachable": { code: "DATABASE_UNREACHABLE", message: "The database does not answer." },
  "pool busy": { code: "DATABASE_BUSY", message: "Requests are waiting for a database connection." },
} satisfies Record<Exclude<Readiness, "ready">, { code: ErrorCode; message: string }>;

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/**
 * The HTTP server: `/healthz` (the process is alive), `/readyz` ("ready", or 503 "database
 * unreachable" or "pool busy"; see {@link Database.readiness}), `/metrics` (see serveMetrics.ts),
 * file downloads (`/exports/:id/download`, `/imports/:id/errors.xlsx`), GraphQL at `/graphql`, and
 * the web page's paths (see webPages.ts). Logs one line per request, with its `x-request-id` (see
 * requestLog.ts) and, for GraphQL, its user and operation.
 */
export function createHttpServer(
  yoga: Yoga,
  db: Database,
  logger: Logger,
  config: Pick<Config, "signingSecret" | "uploadIdleTimeoutSeconds" | "uploadDeadlineSeconds" | "metricsToken">,
  limits: ConnectionLimits,
  metrics: Metrics,
): Server {
  metrics.watchConnections(limits);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();

    const path = (req.url ?? "/").split("?")[0];
    const fields = startRequestLog(req, res);
    res.once("finish", () => {
      const ms = Math.round((Number(process.hrtime.bigint() - started) / 1e6) * 10) / 10;
      const { requestId, userId, operation } = fields;
      logger.info({ requestId, method: req.method, path, status: res.statusCode, ms, userId, operation }, "request");
    });
    if (path === "/healthz") return sendJson(res, 200, { status: "ok" });
    if (path === METRICS_PATH) return void serveMetrics(req, res, metrics, config, logger);
    if (path === "/readyz") {
      void db
        .readiness()
        .then((status) =>
          status === "ready"
            ? sendJson(res, 200, { status })
            : sendJson(res, 503, { status, error: READINESS_ERRORS[status] }),
        );
      return;
    }
    const download = matchDownload(path ?? "/");
    if (download) return void serveDownload(req, res, download, db, logger, config);
    if (isWebPath(path ?? "/")) return void serveWebPage(req, res, path ?? "/", logger);
    void yoga(req, res);
  });
  // counted from the TCP connection on, whatever it carries: one address cannot take every file
  // descriptor with connections that send nothing, or send slowly
  server.on("connection", (socket: Socket) => {
    const release = limits.connections.take(addressKey(socket.remoteAddress));
    if (release) socket.once("close", release);
    else socket.destroy();
  });
  // a request still arriving past the upload deadline (Node's default cuts every request at 300 s,
  // uploads allowed longer included) is cut, whatever it is; uploads' own timeouts answer first
  server.requestTimeout = (config.uploadDeadlineSeconds + REQUEST_TIMEOUT_MARGIN_SECONDS) * 1000;
  return server;
}
