import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "./gql/graphql.js";
import { session } from "./session.js";

const ENDPOINT = "/graphql";

/** A GraphQL error as the page shows it: the server's message and its `extensions.code`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

function unwrap<T>(result: GraphQLResponse<T>): T {
  const first = result.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code);
  if (!result.data) throw new ApiError("The server sent no data.", undefined);
  return result.data;
}

function authorization(): Record<string, string> {
  const token = session.token;
  return token ? { authorization: `Bearer ${token}` } : {};
}

async function send<T>(init: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, { method: "POST", ...init });
  } catch {
    throw new ApiError("The server cannot be reached. Check your connection and try again.", "NETWORK");
  }
  const type = response.headers.get("content-type") ?? "";
  if (!type.includes("json")) throw new ApiError(`The server answered ${response.status}.`, undefined);
  return unwrap((await response.json()) as GraphQLResponse<T>);
}

/**
 * The variables a document takes: none for an operation without any, so `request(LOG_OUT)` needs
 * no `{}`, and otherwise exactly those its generated type lists.
 */
type VariablesOf<V> = V extends Record<string, never> ? [] : [V];

/**
 * One query or mutation, as the signed-in person; its variables and result are typed by the
 * document (src/web/operations.ts). Sent as JSON over HTTP POST, or, when a variable is a File
 * (an `Upload!`), as a GraphQL multipart request with that file; the CSRF header is what tells the
 * server a multipart request is not a cross-site form post.
 */
export function request<R, V>(document: TypedDocumentString<R, V>, ...[variables]: VariablesOf<V>): Promise<R> {
  const query = document.toString();
  const values = (variables ?? {}) as Record<string, unknown>;
  const files = Object.entries(values).filter((entry): entry is [string, File] => entry[1] instanceof File);
  if (files.length === 0) {
    return send<R>({
      headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...authorization() },
      body: JSON.stringify({ query, variables: values }),
    });
  }
  const body = new FormData();
  const withoutFiles = { ...values, ...Object.fromEntries(files.map(([name]) => [name, null])) };
  body.append("operations", JSON.stringify({ query, variables: withoutFiles }));
  body.append("map", JSON.stringify(Object.fromEntries(files.map(([name], i) => [i, [`variables.${name}`]]))));
  for (const [i, [, file]] of files.entries()) body.append(String(i), file, file.name);
  return send<R>({ headers: { "x-graphql-yoga-csrf": "1", ...authorization() }, body });
}

let client: Client | undefined;

/** One shared graphql-ws connection, opened on the first subscription and kept across pages. */
function wsClient(): Client {
  client ??= createClient({
    url: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${ENDPOINT}`,
    // read at each (re)connect, so a new sign-in is used without a reload
    connectionParams: () => authorization(),
    lazy: true,
    // the socket closes when nothing is subscribed; a page that comes back reopens it
    lazyCloseTimeout: 3_000,
  });
  return client;
}

/** Forgets the socket, e.g. after signing out, so the next one carries the next person's token. */
export function closeSubscriptions(): void {
  void client?.dispose();
  client = undefined;
}

export interface SubscriptionSink<T> {
  next(data: T): void;
  error(error: ApiError): void;
  complete?(): void;
}

/** Subscribes over graphql-ws; returns the function that unsubscribes. */
export function subscribe<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  sink: SubscriptionSink<R>,
): () => void {
  return wsClient().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        try {
          sink.next(unwrap(result as GraphQLResponse<R>));
        } catch (err) {
          sink.error(err as ApiError);
        }
      },
      error: (err) => sink.error(toApiError(err)),
      complete: () => sink.complete?.(),
    },
  );
}

/** graphql-ws reports errors as GraphQL error lists, close events or plain errors. */
function toApiError(err: unknown): ApiError {
  if (Array.isArray(err) && err[0]) {
    const first = err[0] as { message: string; extensions?: { code?: string } };
    return new ApiError(first.message, first.extensions?.code);
  }
  if (err instanceof CloseEvent) {
    // 4403 is how the server refuses a token it does not accept
    if (err.code === 4403) return new ApiError("Please sign in again.", "UNAUTHENTICATED");
    return new ApiError("The live connection to the server was lost.", "NETWORK");
  }
  return new ApiError(err instanceof Error ? err.message : "The live connection failed.", "NETWORK");
}
