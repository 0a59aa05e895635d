import { isErrorCode } from "../../src/errors.js";

/**
 * Records every error a test receives from the server, GraphQL errors and HTTP error bodies alike,
 * and lists those that carry no registered code. `walkErrors.setup.ts` (a vitest setup file) feeds it every
 * `fetch` and fails the test file when {@link uncodedErrors} is not empty; the test helpers feed
 * it what arrives over graphql-ws.
 */

const problems: string[] = [];
const pending = new Set<Promise<void>>();
const walked = new WeakSet<Response>();

/** Errors without a registered code seen so far, one line each, saying where they came from. */
export function uncodedErrors(): readonly string[] {
  return problems;
}

/** How long the walk waits for a response body the test itself has long finished with. */
const SETTLE_MS = 10_000;

/**
 * Waits until every response handed to {@link walkResponse} has been read; a body still unread
 * after {@link SETTLE_MS} (say, a clone of Yoga's own Response type, whose reads never finish)
 * counts as unchecked rather than hanging the test file.
 */
export async function walksSettled(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, SETTLE_MS)));
  await Promise.race([Promise.allSettled([...pending]), expired]);
  clearTimeout(timer);
  if (pending.size) problems.push(`${pending.size} response body(ies) never finished, so went unchecked`);
}

/** Clears what was recorded; the walk's own test uses it after provoking a failure on purpose. */
export function forgetUncodedErrors(): string[] {
  return problems.splice(0);
}

/** Checks one GraphQL result (or SSE event, or graphql-ws payload): each error needs a code. */
export function walkResult(where: string, result: unknown): void {
  if (typeof result !== "object" || result === null) return;
  const errors = (result as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return;
  for (const error of errors as Array<{ message?: unknown; extensions?: { code?: unknown } }>) {
    checkCode(where, error?.extensions?.code, error?.message);
  }
}

function checkCode(where: string, code: unknown, message: unknown) {
  if (isErrorCode(code)) return;
  const why = code === undefined ? "no code" : `unregistered code ${JSON.stringify(code)}`;
  problems.push(`${where}: ${why}: ${JSON.stringify(message)}`);
}

/** Checks a JSON body: GraphQL `errors`, a download's `{ error: { code } }`, or an error status with neither. */
function walkBody(where: string, status: number, body: unknown) {
  if (typeof body === "object" && body !== null && "errors" in body) return walkResult(where, body);
  if (typeof body === "object" && body !== null && "error" in body) {
    const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
    return checkCode(where, error?.code, error?.message);
  }
  if (status >= 400) problems.push(`${where}: an error status with a body that names no code`);
}

function isApiPath(url: URL): boolean {
  return url.pathname === "/graphql" || /^\/(exports|imports)\//.test(url.pathname);
}

/**
 * Walks the errors in one HTTP response from the server, leaving the response readable for the
 * test. JSON bodies are read from a clone; an SSE stream is read as the test reads it (a clone
 * would hold the connection open after the test cancels it). Returns the response to use.
 */
export function walkResponse(method: string, url: URL, response: Response): Response {
  if (walked.has(response)) return response;
  walked.add(response);
  const where = `${method} ${url.pathname} → ${response.status}`;
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream") && response.body) {
    const tapped = new Response(response.body.pipeThrough(sseTap(where)), response);
    walked.add(tapped);
    return tapped;
  }
  if (/^application\/(graphql-response\+)?json/.test(type)) {
    const read = response
      .clone()
      .json()
      .then(
        (body) => walkBody(where, response.status, body),
        () => void problems.push(`${where}: a JSON body that does not parse`),
      )
      .finally(() => pending.delete(read));
    pending.add(read);
  } else if (response.status >= 400 && isApiPath(url)) {
    // the API answers errors in JSON; an empty or text body carries no code
    problems.push(`${where}: a ${type || "bodiless"} error response from the API`);
  }
  return response;
}

/** Passes an SSE stream through unchanged, walking each `next` event's data on the way. */
function sseTap(where: string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (/^event: next$/m.test(block) && data) walkResult(`${where} (SSE)`, JSON.parse(data));
      }
    },
  });
}

/** Walks one message a graphql-ws client received: `next` results and `error` payloads. */
export function walkWsMessage(message: { type: string; payload?: unknown }): void {
  if (message.type === "next") walkResult("graphql-ws next", message.payload);
  if (message.type === "error") walkResult("graphql-ws error", { errors: message.payload });
}
