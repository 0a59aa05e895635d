import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
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
  pid: number;
  /** Shuts down (see `stop` below); resolves once the server has exited. */
  stop(): Promise<void>;
  /** Resolves when the server has exited, whether `stop` asked it to or not. */
  exited: Promise<void>;
}

const READY_LINE = "database system is ready to accept connections";
/** Beside the cluster: the pid of the process that started its PostgreSQL (see clearStalePostgres). */
const OWNER_FILE = "xls-importer.owner";
/** How long PostgreSQL waits for our connections to close when it stops, before it cuts them. */
const SMART_SHUTDOWN_MS = 2_000;
/** How long a stale PostgreSQL may take to shut down before we give up starting. */
const STALE_STOP_TIMEOUT_MS = 30_000;

// every PostgreSQL this process started and has not stopped: told to stop when the process exits
const running = new Set<() => void>();
process.on("exit", () => {
  for (const stop of running) stop();
});

/**
 * Runs `postgres` on 127.0.0.1 only (no Unix socket) and resolves once it accepts connections; its
 * output goes to the debug log, and into the error if it exits during start.
 *
 * It runs in a process group (a session) of its own, so a terminal's Ctrl+C reaches only us and we
 * stop it last, after our connections are closed. Should this process exit without stopping it
 * (`process.exit`), it is sent a fast shutdown on the way out; should this process be killed, the
 * next start finds it orphaned and stops it (see {@link clearStalePostgres}, to call first).
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

  await fs.writeFile(path.join(dataDir, OWNER_FILE), `${process.pid}\n`);
  const child = spawn(binaries.postgres, args, {
    ...user,
    detached: true,
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const fastShutdown = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGINT");
  };
  running.add(fastShutdown);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(fastShutdown);
      resolve();
    }),
  );
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
    pid: child.pid!,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // "smart" shutdown first: our own connections, closing as we stop, end on their own rather
        // than being cut; any still open after a moment get a fast shutdown (rolled back, cut)
        child.kill("SIGTERM");
        const smart = setTimeout(fastShutdown, SMART_SHUTDOWN_MS);
        await exited;
        clearTimeout(smart);
      }
      logger.info({ pid: child.pid }, "embedded PostgreSQL stopped");
    },
  };
}

/**
 * Makes way for a new PostgreSQL on `dataDir` when `postmaster.pid` names one left running by a
 * server that is gone (killed, so it could not stop it): that one gets a fast shutdown. One whose
 * parent is still the process that started it belongs to a live server, and starting is refused.
 * A pid file naming a process that is gone is PostgreSQL's own to clear; one naming a process that
 * is not this cluster's PostgreSQL (the pid was reused) is removed.
 */
export async function clearStalePostgres(dataDir: string, logger: Logger): Promise<void> {
  const lockFile = path.join(dataDir, "postmaster.pid");
  const pid = Number((await readIfExists(lockFile))?.split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const postmaster = processInfo(pid);
  if (!postmaster) return;
  if (!` ${postmaster.args} `.includes(` ${dataDir} `)) {
    logger.warn({ pid, lockFile }, `removing ${lockFile}: its pid ${pid} is now another program`);
    await fs.rm(lockFile, { force: true });
    return;
  }
  const owner = Number(await readIfExists(path.join(dataDir, OWNER_FILE)));
  // without an owner file (a cluster started by an older version), only init's children are orphans
  const orphaned = Number.isInteger(owner) && owner > 0 ? postmaster.ppid !== owner : postmaster.ppid === 1;
  if (!orphaned) {
    throw new Error(
      `PostgreSQL (pid ${pid}) is already running on ${dataDir} for another server (pid ${postmaster.ppid}). Stop that server first, or give this one its own DATA_DIR.`,
    );
  }
  logger.warn(
    { pid, dataDir },
    `stopping a stale embedded PostgreSQL (pid ${pid}) left running by a server that is gone`,
  );
  try {
    process.kill(pid, "SIGINT");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err; // it has just gone by itself
  }
  const deadline = Date.now() + STALE_STOP_TIMEOUT_MS;
  // not our child, so there is no exit event to wait for: watch its pid
  while (processInfo(pid)) {
    if (Date.now() > deadline) throw new Error(`The stale PostgreSQL (pid ${pid}) on ${dataDir} did not stop.`);
    await delay(50);
  }
}

/** A live (not zombie) process's parent pid and command line, or `undefined` when there is none. */
function processInfo(pid: number): { ppid: number; args: string } | undefined {
  try {
    // Linux: no `ps` needed (slim images lack it); "pid (comm) state ppid ...", comm may hold spaces
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state === "Z") return undefined;
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    return { ppid: Number(ppid), args };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT" && process.platform === "linux") return undefined;
  }
  try {
    const line = execFileSync("ps", ["-o", "stat=,ppid=,args=", "-p", String(pid)], { encoding: "utf8" }).trim();
    const [state, ppid, ...args] = line.split(/\s+/);
    if (!line || state?.startsWith("Z")) return undefined;
    return { ppid: Number(ppid), args: args.join(" ") };
  } catch {
    return undefined; // ps exits 1 when there is no such process
  }
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
