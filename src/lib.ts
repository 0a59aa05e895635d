/** Turns any thrown value into an `Error`, keeping the original as `cause`. */
export function coerceError(err: unknown): Error {
  if (err instanceof Error) return err;
  return new Error(typeof err === "string" ? err : `Non-error thrown: ${String(err)}`, { cause: err });
}
