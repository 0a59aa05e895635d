import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import readline from "node:readline";
import { TEST_LIMITS } from "./testLimits.js";

/** A JSON log line from the service. */
export interface LogLine {
  msg: string;
  [key: string]: unknown;
}

export interface Service {
  child: ChildProcess;
  lines: LogLine[];
  /** Resolves with the first log line (already seen or still to come) that matches. */
  waitForLine(match: (line: LogLine) => boolean): Promise<LogLine>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `src/main.ts` as its own process, exactly as `npm start` does, and collects its JSON log
 * lines so a test can wait for what it announces.
 */
export function startService(args: string[], env: NodeJS.ProcessEnv): Service {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    env: { ...process.env, LOG_LEVEL: "info", CI: "true", ...TEST_LIMITS, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: LogLine[] = [];
  const waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  readline.createInterface({ input: child.stdout! }).on("line", (text) => {
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return;
    }
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.match(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  // "close", not "exit": it comes after the last stdout line has been read
  const exited = once(child, "close") as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    lines,
    waitForLine(match) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<LogLine>((resolve) => waiters.push({ match, resolve })),
        exited.then(([code]) => {
          throw new Error(`service exited (${code}) before the awaited line:\n${stderr}\n${JSON.stringify(lines)}`);
        }),
      ]);
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}
