import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import type { Client } from "graphql-ws";

/** A live subscription's results so far, and ways to wait for more. */
export interface Subscription<R> {
  /** Every result received, in order. */
  results: Array<ExecutionResult<R>>;
  /** Resolves when the server completes the subscription; rejects on an error message or close. */
  done: Promise<void>;
  /** Resolves with the first result (received already or still to come) that matches. */
  waitFor(match: (result: ExecutionResult<R>) => boolean): Promise<ExecutionResult<R>>;
  unsubscribe(): void;
}

/** Subscribes through a real graphql-ws client and records what arrives. */
export function subscribe<R, V extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<R, V>,
  variables?: V,
): Subscription<R> {
  const results: Array<ExecutionResult<R>> = [];
  const waiters: Array<{ match: (result: ExecutionResult<R>) => boolean; resolve: (r: ExecutionResult<R>) => void }> =
    [];
  let unsubscribe = () => {};
  const done = new Promise<void>((resolve, reject) => {
    unsubscribe = client.subscribe<R>(
      { query: print(document), variables },
      {
        next: (value) => {
          const result = value as ExecutionResult<R>;
          results.push(result);
          for (const waiter of waiters.filter((w) => w.match(result))) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(result);
          }
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  done.catch(() => undefined); // observed through waitFor or by awaiting done
  return {
    results,
    done,
    unsubscribe: () => unsubscribe(),
    waitFor(match) {
      const seen = results.find(match);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<ExecutionResult<R>>((resolve) => waiters.push({ match, resolve })),
        done.then(() => {
          throw new Error(`completed without the awaited result; got ${JSON.stringify(results)}`);
        }),
      ]);
    },
  };
}
