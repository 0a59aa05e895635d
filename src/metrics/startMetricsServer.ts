import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "./createMetrics.js";
import { METRICS_PATH, serveMetrics } from "./serveMetrics.js";

/**
 * `/metrics` (and `/healthz`) on `METRICS_PORT`, a listener of its own: how a `worker` process,
 * which serves no HTTP otherwise, is scraped; an API process may use it too, to keep `/metrics` off
 * its public port. The same access rules apply as on the API's port (see serveMetrics.ts).
 */
export async function startMetricsServer(
  metrics: Metrics,
  config: Pick<Config, "metricsPort" | "metricsToken" | "host">,
  logger: Logger,
): Promise<{ url: string; dispose(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === METRICS_PATH) return void serveMetrics(req, res, metrics, config, logger);
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      return void res.end(JSON.stringify({ status: "ok" }));
    }
    res.writeHead(404, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ error: { code: "NOT_FOUND", message: "This port serves /metrics and /healthz only." } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.metricsPort, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}${METRICS_PATH}`;
  logger.info({ url }, `metrics at ${url}`);
  return {
    url,
    dispose: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
