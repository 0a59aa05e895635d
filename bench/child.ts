/**
 * A baseline's own process (see `inOwnProcess` in harness.ts): calls one exported function of a
 * bench module, then reports its result, the seconds the call took and this process's peak RSS.
 */
import fs from "node:fs";
import { pathToFileURL } from "node:url";

process.once("message", async ({ module, exported, args }: { module: string; exported: string; args: unknown[] }) => {
  try {
    const fn = (await import(pathToFileURL(module).href))[exported] as (...args: unknown[]) => Promise<unknown>;
    const started = performance.now();
    const result = await fn(...args);
    const seconds = (performance.now() - started) / 1000;
    const peakRss = Number(fs.readFileSync("/proc/self/status", "utf8").match(/VmHWM:\s+(\d+) kB/)![1]) * 1024;
    process.send!({ result, seconds, peakRss }, () => process.exit(0));
  } catch (err) {
    process.send!({ error: String((err as Error).stack ?? err) }, () => process.exit(1));
  }
});
