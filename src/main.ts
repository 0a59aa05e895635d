import { startApp } from "./app.js";
import { loadConfig, type Config } from "./config.js";
import { createLogger } from "./logger.js";

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  console.error(`xls-importer: ${(err as Error).message}`);
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
      process.exit(0);
    });
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
} catch (err) {
  logger.fatal({ err }, "could not start");
  process.exitCode = 1;
}
