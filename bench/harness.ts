/**
 * What every scenario shares: the server as its own process (as `npm start` runs it), peak RSS of
 * each process from the kernel, baselines in a process of their own, and the results files.
 */
import { execFileSync, fork, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);

/** Limits raised so that a benchmark measures speed, never a refusal (see src/config.ts). */
const BENCH_LIMITS: NodeJS.ProcessEnv = {
  MAX_UPLOAD_BYTES: String(4 * 1024 ** 3),
  MAX_UNCOMPRESSED_BYTES: String(16 * 1024 ** 3),
  MAX_STORED_BYTES_PER_USER: String(64 * 1024 ** 3),
  REQUEST_BUDGET_PER_MINUTE: "10000000",
  AUTH_RATE_LIMIT_PER_MINUTE: "100000",
  EXPORTS_PER_HOUR: "100000",
  MAX_SOCKETS_PER_USER: "10000",
  MAX_SUBSCRIPTIONS_PER_USER: "100000",
  MAX_CONCURRENT_UPLOADS_PER_USER: "1000",
  UPLOAD_DEADLINE_SECONDS: "86400",
};

export interface Server {
  proc: ChildProcess;
  /** The GraphQL endpoint (http://…/graphql). */
  url: string;
  stop(): Promise<void>;
}

/** Runs `node --import tsx src/main.ts` (role all) on `databaseUrl`; resolves once it serves. */
export async function startServer(databaseUrl: string): Promise<Server> {
  const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...BENCH_LIMITS,
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    proc.once("exit", (code) => reject(new Error(`the server exited (${code}) before it served`)));
    // every line is read (a full pipe would stall the server); warnings and errors are shown
    readline.createInterface({ input: proc.stdout! }).on("line", (text) => {
      let line: { msg?: string; url?: string; level?: number };
      try {
        line = JSON.parse(text);
      } catch {
        return console.error(text);
      }
      if (line.msg?.startsWith("GraphQL") && line.url) resolve(line.url);
      if ((line.level ?? 0) >= 40) console.error(`server: ${line.msg}`);
    });
  });
  return {
    proc,
    url,
    async stop() {
      proc.kill("SIGTERM");
      await exited;
    },
  };
}

function status(pid: number, field: "VmHWM" | "VmRSS"): number | undefined {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, "utf8").match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined; // it has exited
  }
}

/** RSS in bytes now, from /proc. */
export const rss = (pid: number) => status(pid, "VmRSS") ?? 0;

/** The processes `pid` started, and theirs (the server forks a process per file it reads). */
function descendants(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const children = tasks.flatMap((task) => {
    try {
      return fs.readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** Peak RSS in bytes of each process involved in one measurement. */
export interface Peaks {
  /** The server's RSS when the measurement began. */
  serverBefore: number;
  server: number;
  /** The server's child processes (file readers), by pid; one that exits keeps its last reading. */
  serverChildren: Record<string, number>;
  client: number;
}

/**
 * Runs `fn` and reports each process's peak RSS (VmHWM) over just that time: the peaks are reset
 * first (writing 5 to /proc/<pid>/clear_refs), and the server's children are looked for every
 * 100 ms, since one may start and exit within `fn`.
 */
export async function withPeaks<T>(server: Server, fn: () => Promise<T>): Promise<{ result: T; peaks: Peaks }> {
  const serverPid = server.proc.pid!;
  for (const pid of [process.pid, serverPid, ...descendants(serverPid)]) {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
  }
  const serverBefore = rss(serverPid);
  const serverChildren: Record<string, number> = {};
  const sample = () => {
    for (const pid of descendants(serverPid)) {
      const peak = status(pid, "VmHWM");
      if (peak !== undefined) serverChildren[pid] = Math.max(serverChildren[pid] ?? 0, peak);
    }
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await fn();
    sample();
    return {
      result,
      peaks: {
        serverBefore,
        server: status(serverPid, "VmHWM")!,
        serverChildren,
        client: status(process.pid, "VmHWM")!,
      },
    };
  } finally {
    clearInterval(timer);
  }
}

/** What a baseline run in its own process reports. */
export interface BaselineRun<T> {
  result: T;
  seconds: number;
  /** The baseline process's VmHWM, in bytes. */
  peakRss: number;
}

/**
 * Runs `exported(...args)` of `module` (a bench module) in a fresh process of its own (bench/child.ts),
 * so its memory is its own and nothing of it stays in the client. Only the call is timed, not the
 * process's start.
 */
export async function inOwnProcess<T>(module: string, exported: string, args: unknown[]): Promise<BaselineRun<T>> {
  const child = fork(path.join(BENCH_DIR, "child.ts"), [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  child.send({ module: path.join(BENCH_DIR, module), exported, args });
  return new Promise((resolve, reject) => {
    child.once("message", (message: BaselineRun<T> | { error: string }) =>
      "error" in message ? reject(new Error(`${module} ${exported}: ${message.error}`)) : resolve(message),
    );
    child.once("exit", (code) => reject(new Error(`${module} ${exported} exited (${code}) without an answer`)));
  });
}

/** The machine and software a result was measured on. */
export function machine(postgresVersion: string) {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    model: cpus[0]?.model ?? "unknown",
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    postgres: postgresVersion,
    os: `${os.type()} ${os.release()}`,
  };
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();

/** Writes bench/results/<scenario>.json: the measurements with the commit, the date and the machine. */
export function writeResult(scenario: string, postgresVersion: string, measured: object): void {
  const dir = path.join(BENCH_DIR, "results");
  fs.mkdirSync(dir, { recursive: true });
  const result = {
    scenario,
    commit: git("rev-parse", "HEAD"),
    // a result measured on uncommitted changes is not the commit's
    uncommittedChanges: git("status", "--porcelain", "--untracked-files=no") !== "",
    date: new Date().toISOString(),
    machine: machine(postgresVersion),
    ...measured,
  };
  fs.writeFileSync(path.join(dir, `${scenario}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

export const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(bytes < 10 * 1024 ** 2 ? 1 : 0)} MiB`;
export const perSecond = (count: number, seconds: number) =>
  `${Math.round(count / seconds).toLocaleString("en")} rows/s`;

/** The peaks as one table cell: server, its children, client. */
export function formatPeaks({ serverBefore, server, serverChildren, client }: Peaks): string {
  const children = Object.values(serverChildren);
  const readers = children.length ? ` + file readers ${children.map(mib).join(", ")}` : "";
  return `server ${mib(server)} (${mib(serverBefore)} before)${readers}; client ${mib(client)}`;
}

/** Prints a markdown table. */
export function table(header: string[], rows: string[][]): void {
  console.log(`| ${header.join(" | ")} |`);
  console.log(`| ${header.map(() => "---").join(" | ")} |`);
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
  console.log();
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** How big a run is: `npm run bench` the sizes, `--quick` a smaller run. */
export interface Sizes {
  /** Rows of the import and export files. */
  rows: number;
  uploadBytes: number;
  /** Subscribers (fan-out) and jobs (one subscriber each). */
  subscribers: number;
}

export interface Context {
  server: Server;
  /** The database the server uses, for what a scenario sets up or commits directly. */
  databaseUrl: string;
  sizes: Sizes;
  /** Scratch space, deleted after the run. */
  tmpDir: string;
}

/** One scenario: prints its table (baseline, ours, ratio, peaks) and returns what goes in its results file. */
export interface Scenario {
  name: string;
  run(context: Context): Promise<object>;
}
