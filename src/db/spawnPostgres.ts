import { spawn } from "node:child_process";
import type { Logger } from "../logger.js";
import type { PostgresBinaries } from "./postgresBinaries.js";
import type { OsUser } from "./postgresOsUser.js";

/** What {@link spawnPostgres} needs to run a cluster. */
export interface SpawnPostgresOptions {
  binaries: PostgresBinaries;
  /** An initialised cluster folder `user` owns. */
  dataDir: string;
  port: number;
  user: OsUser | undefined;
  logger: Logger;
  /** Trade durability for speed (no fsync), for throwaway clusters. */
  ephemeral: boolean;
}

/** A running `postgres` process. */
export interface PostgresProcess {
  /** Fast shutdown; resolves once the server has exited. */
  stop(): Promise<void>;
}

const READY_LINE = "database system is ready to accept connections";

/**
 * Runs `postgres` on 127.0.0.1 only (no Unix socket) and resolves once it accepts connections; its
 * output goes to the debug log, and into the error if it exits during start.
 */
export async function spawnPostgres(options: SpawnPostgresOptions): Promise<PostgresProcess> {
  const { binaries, dataDir, port, user, logger, ephemeral } = options;
  const args = [
    "-D",
    dataDir,
    "-p",
    String(port),
    "-c",
    "listen_addresses=127.0.0.1",
    "-c",
    "unix_socket_directories=",
  ];
  if (ephemeral) args.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  // generous: every test file and every graphile-worker pool opens its own connections
  args.push("-c", "max_connections=300");

  const child = spawn(binaries.postgres, args, {
    ...user,
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      for (const line of text.split("\n")) if (line.trim()) logger.debug({ postgres: line.trim() }, "postgres");
      if (output.includes(READY_LINE)) resolve();
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(new Error(`embedded PostgreSQL exited during start (code ${code}, signal ${signal}):\n${output.trim()}`)),
    );
  });

  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGINT"); // "fast" shutdown: roll back open transactions, then exit cleanly
        await exited;
      }
    },
  };
}
