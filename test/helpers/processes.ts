import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import type { Client } from "graphql-ws";
import type { Role } from "../../src/config.js";
import { wsClientFor } from "./testApp.js";
import { TEST_LIMITS } from "./testLimits.js";

/** A pino JSON log line of a spawned server. */
export interface LogLine {
  msg: string;
  level?: number;
  [key: string]: unknown;
}

/** How a spawned process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Which log lines to wait for: a pattern for `msg`, or a test of the whole line. */
export type LogMatch = RegExp | ((line: LogLine) => boolean);

export interface SpawnServerOptions {
  /** Added to the test's own environment (which `DATABASE_URL: ""` etc. can override). */
  env?: NodeJS.ProcessEnv;
  /** Passed as `--role <role>`; omitted, the server's default (`all`) applies. */
  role?: Role;
  /** More command-line arguments, after the role. */
  args?: string[];
  /**
   * What to run instead of `node --import tsx src/main.ts` (say `["npm", "start", "--"]`); the role
   * and `args` still follow.
   */
  command?: string[];
  /**
   * Log line to wait for before resolving. Default: what the role announces once it serves ("GraphQL
   * … at <url>" and/or "worker started"); `false` resolves at once, for tests about startup itself.
   */
  ready?: LogMatch | false;
  /** Runs the process as the leader of a new process group, so `signalGroup` reaches all it started. */
  detached?: boolean;
}

export interface Server {
  proc: ChildProcess;
  /** The GraphQL endpoint, once the process has logged it (roles `api` and `all`). */
  readonly url: string | undefined;
  /** Every JSON log line so far, in order. */
  logs: LogLine[];
  /** stdout lines that are not JSON, and all of stderr: for failure messages. */
  readonly output: string;
  /** Resolves with the first log line (already seen or still to come) that matches; rejects if the process exits first. */
  waitForLog(match: LogMatch): Promise<LogLine>;
  /** Resolves once the process has exited and its last output line has been read. */
  exited: Promise<Exit>;
  /** Sends one operation over real HTTP to this server's `url`, as a bearer of `token` when given. */
  request<R, V>(document: TypedDocumentNode<R, V>, variables?: V, token?: string): Promise<ExecutionResult<R>>;
  /** A real graphql-ws client on this server's `url`; disposed once the server has been stopped. */
  wsClient(connectionParams?: Record<string, unknown>): Client;
  /** Sends `signal` (default SIGTERM) unless the process has exited; resolves with how it ended. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  /** Sends `signal` to the process group (needs `detached`). */
  signalGroup(signal: NodeJS.Signals): void;
}

const serving = (line: LogLine) => line.msg.startsWith("GraphQL");
const working = (line: LogLine) => line.msg === "worker started";

/** What each role logs once it is ready: the API its URL, the worker that it started. */
function readyLines(role: Role | undefined): Array<(line: LogLine) => boolean> {
  if (role === "api") return [serving];
  if (role === "worker") return [working];
  return [serving, working];
}

const test = (match: LogMatch, line: LogLine) => (match instanceof RegExp ? match.test(line.msg) : match(line));

/** Servers not yet exited, with how to kill all they started. */
const running = new Map<Server, () => void>();

/**
 * Runs `src/main.ts` as its own process, as `npm start` does, collecting its JSON log lines so a
 * test can wait for what it announces instead of sleeping. Resolves once the process is ready (see
 * `ready`), so `url` is set for an API; rejects, with the process's output, if it exits before.
 *
 * Every server started here is tracked until it exits: call {@link stopAllServers} in `afterEach`.
 */
export async function spawnServer(options: SpawnServerOptions = {}): Promise<Server> {
  const { env, role, args = [], command = [process.execPath, "--import", "tsx", "src/main.ts"], detached } = options;
  const [file, ...commandArgs] = command;
  const proc = spawn(file!, [...commandArgs, ...(role ? ["--role", role] : []), ...args], {
    // CI keeps pino's JSON on stdout even from a terminal; PORT 0 and loopback unless the test says
    env: { ...process.env, LOG_LEVEL: "info", CI: "true", PORT: "0", HOST: "127.0.0.1", ...TEST_LIMITS, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached,
  });
  const logs: LogLine[] = [];
  const waiters: Array<{ match: LogMatch; resolve: (line: LogLine) => void }> = [];
  let output = "";
  let url: string | undefined;
  proc.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  readline.createInterface({ input: proc.stdout! }).on("line", (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      output += `${text}\n`;
      return;
    }
    logs.push(line);
    if (url === undefined && serving(line) && typeof line.url === "string") url = line.url;
    for (const waiter of waiters.filter((w) => test(w.match, line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  // "close", not "exit": it comes after the last stdout line has been read
  const exited = new Promise<Exit>((resolve) =>
    proc.once("close", (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal })),
  );

  const clients: Client[] = [];
  const endpoint = () => {
    if (url === undefined) throw new Error("this server has not logged a GraphQL URL (yet)");
    return url;
  };

  const server: Server = {
    proc,
    get url() {
      return url;
    },
    logs,
    get output() {
      return output;
    },
    exited,
    waitForLog(match) {
      const seen = logs.find((line) => test(match, line));
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<LogLine>((resolve) => waiters.push({ match, resolve })),
        exited.then((exit) => {
          throw new Error(
            `server exited (${JSON.stringify(exit)}) before a log line matching ${String(match)}:\n${output}\n` +
              logs.map((line) => JSON.stringify(line)).join("\n"),
          );
        }),
      ]);
    },
    async request(document, variables, token) {
      const response = await fetch(endpoint(), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/graphql-response+json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query: print(document), variables }),
      });
      return (await response.json()) as ExecutionResult<never>;
    },
    wsClient(connectionParams) {
      const client = wsClientFor(endpoint(), connectionParams);
      clients.push(client);
      return client;
    },
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const exit = await exited;
      // after the exit, not before: a test may be watching how the server closes its sockets
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
      return exit;
    },
    signalGroup(signal) {
      if (!detached) throw new Error("signalGroup needs a server spawned with detached: true");
      process.kill(-proc.pid!, signal);
    },
  };
  running.set(server, () => {
    for (const client of clients.splice(0)) void client.dispose();
    try {
      if (detached) process.kill(-proc.pid!, "SIGKILL");
      else proc.kill("SIGKILL");
    } catch {
      // gone already
    }
  });
  void exited.then(() => running.delete(server));

  const { ready = undefined } = options;
  if (ready !== false) {
    try {
      await Promise.all((ready ? [ready] : readyLines(role)).map((match) => server.waitForLog(match)));
    } catch (err) {
      await server.stop("SIGKILL");
      throw err;
    }
  }
  return server;
}

/** SIGKILLs every server still running (its whole process group, when detached) and waits for them. */
export async function stopAllServers(): Promise<void> {
  await Promise.all(
    [...running].map(([server, kill]) => {
      kill();
      return server.exited;
    }),
  );
}
