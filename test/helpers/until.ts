/**
 * Resolves once `check` holds, asking again every 20 ms: for states nothing announces (a row
 * count, a file on disk, a pool's queue). Rejects, naming `what`, after `timeoutMs`.
 */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
