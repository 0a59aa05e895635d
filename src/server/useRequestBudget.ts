import type { Plugin } from "graphql-yoga";
import type pg from "pg";
import { countHit, rateLimited } from "../auth/rateLimits.js";
import type { Context } from "../schema/context.js";

/**
 * Each signed-in user's budget of `perMinute` GraphQL operations, counted in PostgreSQL so every
 * API process shares it: one upsert per operation, no transaction. Past it the operation is not
 * run and answers RATE_LIMITED with `retryAfter` (over HTTP, 429 and `Retry-After`).
 *
 * It hooks execute and subscribe, which the graphql-ws server runs through Yoga's envelop too, so
 * HTTP, SSE and WebSocket operations all count. Anonymous operations do not: they have no user
 * to count against, and logIn/signUp have limits of their own.
 */
export function useRequestBudget(pool: pg.Pool, perMinute: number): Plugin<Context> {
  const spend = async (context: Context, stop: (result: { errors: Error[] }) => void) => {
    if (!context.viewer) return;
    const retryAfter = await countHit(pool, [`user:${context.viewer.user.id}`], perMinute);
    if (retryAfter) stop({ errors: [rateLimited("requests", retryAfter, context)] });
  };
  return {
    onExecute: ({ args, setResultAndStopExecution }) => spend(args.contextValue, setResultAndStopExecution),
    onSubscribe: ({ args, setResultAndStopExecution }) => spend(args.contextValue, setResultAndStopExecution),
  };
}
