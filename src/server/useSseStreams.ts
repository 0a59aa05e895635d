import { GraphQLError } from "graphql";
import { isAsyncIterable, type Plugin, type YogaInitialContext } from "graphql-yoga";
import { UserError } from "../errors.js";
import type { LiveSessions } from "../realtime/liveSessions.js";
import type { Context } from "../schema/context.js";
import type { ConnectionLimits } from "./connectionLimits.js";

/**
 * Bounds subscriptions over HTTP (SSE streams). Each holds a slot among its user's SSE streams
 * (`MAX_SSE_STREAMS_PER_USER`; past it the request is answered 429 TOO_MANY_CONNECTIONS) and one
 * among their subscriptions, shared with graphql-ws (`MAX_SUBSCRIPTIONS_PER_USER`,
 * TOO_MANY_SUBSCRIPTIONS). A stream ends:
 * - when its session (or API key) is revoked or expires, with an UNAUTHENTICATED result then
 *   `complete`, so clients stop;
 * - after `SSE_MAX_LIFETIME_SECONDS`, by closing the connection WITHOUT `complete`: graphql-sse
 *   clients take that for a dropped connection and subscribe again (`retryAttempts`), and an
 *   EventSource reconnects by itself (both must then get the current state anew, as after any drop).
 */
export function useSseStreams(sessions: LiveSessions, limits: ConnectionLimits): Plugin<Context> {
  const lifetimeMs = limits.config.sseMaxLifetimeSeconds * 1000;
  /** Requests whose answer is a subscription holding slots. */
  const held = new WeakSet<Request>();
  return {
    onSubscribe({ args, setResultAndStopExecution }) {
      const { request, viewer } = args.contextValue as Context & Partial<YogaInitialContext>;
      // over graphql-ws there is no Request (graphqlWs.ts counts those); without a viewer the
      // subscription is refused at once anyway
      if (!request || !viewer) return;
      const stream = limits.sseStreams.take(viewer.user.id);
      if (!stream) {
        const message = `At most ${limits.config.maxSseStreamsPerUser} SSE streams may be open at once for one user.`;
        return setResultAndStopExecution({
          errors: [new GraphQLError(message, { extensions: { code: "TOO_MANY_CONNECTIONS", http: { status: 429 } } })],
        });
      }
      const subscription = limits.subscriptions.take(viewer.user.id);
      if (!subscription) {
        stream();
        const message = `At most ${limits.config.maxSubscriptionsPerUser} subscriptions may be open at once for one user.`;
        return setResultAndStopExecution({ errors: [new UserError("TOO_MANY_SUBSCRIPTIONS", message)] });
      }
      const release = () => {
        stream();
        subscription();
      };
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return release();
          held.add(request);
          setResult(sessions.untilEnded(result, viewer, release));
        },
      };
    },
    onResultProcess({ request, result, resultProcessor, setResultProcessor }) {
      if (!held.has(request) || !isAsyncIterable(result)) return;
      // no media type the client accepts (Yoga answers 406): nobody will read the subscription
      if (!resultProcessor) return void (result as AsyncIterableIterator<unknown>).return?.();
      // an async iterable answering a subscription is only ever served as text/event-stream
      setResultProcessor(async (processed, fetchAPI, mediaType) => {
        const response = await resultProcessor(processed, fetchAPI, mediaType);
        return new fetchAPI.Response(endAfter(response.body!, lifetimeMs, fetchAPI.ReadableStream), response);
      }, "text/event-stream");
    },
  };
}

/**
 * `body` until it ends or `ms` pass; then the stream closes as if the connection had dropped (no
 * `complete` event) and `body` is cancelled, which ends the subscription behind it.
 */
function endAfter(
  body: ReadableStream<Uint8Array>,
  ms: number,
  ReadableStreamImpl: typeof ReadableStream,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  return new ReadableStreamImpl<Uint8Array>({
    start(controller) {
      timer = setTimeout(() => {
        ended = true;
        controller.close();
        void reader.cancel();
      }, ms);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (ended) return;
      if (!done) return controller.enqueue(value);
      ended = true;
      clearTimeout(timer);
      controller.close();
    },
    cancel(reason) {
      ended = true;
      clearTimeout(timer);
      return reader.cancel(reason);
    },
  });
}
