import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print, type ExecutionResult } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { startApp, type App } from "../../src/app.js";
import { loadConfig, type Role } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { TEST_LIMITS } from "./testLimits.js";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { walkResponse, walkWsMessage } from "./errorWalk.js";

export interface TestApp {
  app: App;
  database: TestDatabase;
  /** The GraphQL endpoint, e.g. http://localhost:38211/graphql */
  url: string;
  /**
   * Sends one operation as an HTTP request, as a bearer of `token` when given, answered in-process
   * by the app's Yoga (no socket): for tests that are about GraphQL, not about HTTP.
   */
  request<R, V>(
    document: TypedDocumentNode<R, V>,
    variables?: V,
    token?: string,
  ): Promise<ExecutionResult<R> & { status: number }>;
  /** A real graphql-ws client on a real socket; closed with the app. */
  wsClient(connectionParams?: Record<string, unknown>): Client;
  stop(): Promise<void>;
}

/**
 * Starts the service in this process, on port 0, against a fresh database of its own, or against
 * `database` (say, another test app's) which it then leaves in place when it stops.
 */
export async function startTestApp({
  role = "all" as Role,
  env = {} as NodeJS.ProcessEnv,
  database: shared = undefined as TestDatabase | undefined,
} = {}): Promise<TestApp> {
  const database = shared ?? (await createTestDatabase());
  const config = loadConfig({ PORT: "0", HOST: "127.0.0.1", DATABASE_URL: database.url, ...TEST_LIMITS, ...env }, [
    "--role",
    role,
  ]);
  const app = await startApp(config, createLogger(process.env.TEST_LOG_LEVEL ?? "silent"));
  const url = app.url ?? "";
  const clients: Client[] = [];
  return {
    app,
    database,
    url,
    async request(document, variables, token) {
      const answered = await app.fetch!(
        new Request(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/graphql-response+json",
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          body: JSON.stringify({ query: print(document), variables }),
        }),
      );
      // a native copy: Yoga's own response type never finishes a read of its clone
      const response = new Response(await answered.text(), answered);
      walkResponse("POST", new URL(url), response); // a no-op when the fetch was walked already
      return { status: response.status, ...((await response.json()) as ExecutionResult<never>) };
    },
    wsClient(connectionParams) {
      const client = wsClientFor(url, connectionParams);
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((client) => client.dispose()));
      await app.stop();
      if (!shared) await database.drop();
    },
  };
}

/** The first result of a single-result operation over graphql-ws. */
export function wsRequest<R, V extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentNode<R, V>,
  variables?: V,
): Promise<ExecutionResult<R>> {
  return new Promise((resolve, reject) => {
    let result: ExecutionResult<R> | undefined;
    client.subscribe<R>(
      { query: print(document), variables },
      {
        next: (value) => (result = value as ExecutionResult<R>),
        error: reject,
        complete: () => (result ? resolve(result) : reject(new Error("completed without a result"))),
      },
    );
  });
}

/**
 * A real graphql-ws client for the GraphQL endpoint at `httpUrl`: connects on its first operation,
 * never retries, and checks every error it receives has a registered code (see errorWalk.ts).
 */
export function wsClientFor(httpUrl: string, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: httpUrl.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { message: walkWsMessage },
  });
}
