import { startApp } from "./app.js";
import { loadConfig, type Config } from "./config.js";
import { createLogger } from "./logger.js";
import { coerceError } from "./lib.js";

/** How long a stopped process may take to exit on its own before we force it. */
const EXIT_GRACE_MS = 10_000;

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(`xls-importer: ${coerceError(err).message}`);
  process.exit(2);
}
const logger = createLogger(config.logLevel);
logger.info({ role: config.role }, `starting xls-importer (role: ${config.role})`);

try {
  const app = await startApp(config, logger);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "shutting down gracefully");
    void app.stop().then(() => {
      logger.info("stopped");
      // everything is closed, so the event loop drains and the process exits by itself; if some
      // handle lingers, say so and exit anyway
      setTimeout(() => {
        logger.warn("something kept the process alive after shutdown; exiting");
        process.exit(0);
      }, EXIT_GRACE_MS).unref();
    });
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
} catch (err) {
  logger.fatal({ err: coerceError(err) }, "could not start");
  process.exitCode = 1;
}
