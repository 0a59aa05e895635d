import path from "node:path";

/** Which parts of the service one process runs. */
export type Role = "all" | "api" | "worker";

/** Everything the service reads from its environment, resolved once. */
export interface Config {
  /** Where the process runs: `all` serves HTTP/WS and runs the worker pool. @default "all" */
  role: Role;
  /** HTTP port for GraphQL, WebSockets, SSE and health checks. `0` picks a free port. @default 4000 */
  port: number;
  /** Host to bind. @default "0.0.0.0" */
  host: string;
  /**
   * PostgreSQL connection string. When unset, an embedded PostgreSQL is started with its data in
   * `dataDir/postgres`.
   */
  databaseUrl: string | undefined;
  /** Folder for local state (the embedded PostgreSQL's data). @default "./.data" */
  dataDir: string;
  /** Port of the embedded PostgreSQL; not 5432, so it never collides with a system server. @default 54329 */
  embeddedPostgresPort: number;
  /** pino level: fatal, error, warn, info, debug, trace or silent. @default "info" */
  logLevel: string;
  /** Jobs one worker process runs at once. @default 4 */
  workerConcurrency: number;
  /** How long a bearer token from `logIn` or `signUp` stays valid, in hours. @default 720 (30 days) */
  sessionTtlHours: number;
  /**
   * API keys one user may have, expired ones included until they are revoked; one more gets
   * QUOTA_EXCEEDED. @default 20
   */
  maxApiKeysPerUser: number;
  /** Largest upload accepted; a larger one gets FILE_TOO_LARGE and nothing of it is kept. @default 104857600 (100 MiB) */
  maxUploadBytes: number;
  /** Tries a job gets when it keeps failing for a transient reason (graphile-worker backs off between them). @default 5 */
  maxAttempts: number;
  /** How long an export's file can be downloaded after it was written, in hours. @default 24 */
  exportTtlHours: number;
  /**
   * The key that signs download links (at least 32 characters); every API process must share it.
   * When unset, one is generated once and kept in the database, which every process shares anyway.
   */
  signingSecret: string | undefined;
  /**
   * A worker that has not recorded a heartbeat for this long is taken for dead: any worker's sweep
   * releases its jobs for another. @default 30
   */
  workerDeadAfterSeconds: number;
  /**
   * On SIGINT/SIGTERM, how long running jobs may take to finish before they are released for
   * another worker. @default 25
   */
  shutdownGraceSeconds: number;
  /**
   * Most bytes one import may unpack from a file (zip entries inflated, worksheets parked on disk).
   * @default 1073741824 (1 GiB)
   */
  maxUncompressedBytes: number;
  /** Heap of the process that reads one file, in MB; past it the import fails. @default 512 */
  parseMemoryMb: number;
  /** Connections of the API's pool (GraphQL, downloads); the worker and uploads have pools of their own. @default 10 */
  databasePoolSize: number;
  /** How long a request waits for a free pooled connection before it is answered 503 DATABASE_BUSY. @default 5 */
  databasePoolWaitSeconds: number;
  /** Longest statement, and longest idle transaction, on the API's and uploads' connections. @default 30 */
  statementTimeoutSeconds: number;
  /** An upload that sends nothing for this long is dropped with UPLOAD_TIMEOUT. @default 30 */
  uploadIdleTimeoutSeconds: number;
  /** An upload still arriving this long after it started is dropped with UPLOAD_TIMEOUT. @default 900 */
  uploadDeadlineSeconds: number;
  /** Uploads one user may have streaming in at once; one more gets TOO_MANY_UPLOADS. @default 3 */
  maxConcurrentUploadsPerUser: number;
  /** Bytes of files one user may have stored (uploads and exports); past it QUOTA_EXCEEDED. @default 1073741824 (1 GiB) */
  maxStoredBytesPerUser: number;
  /** Exports one user may request in any hour; one more gets QUOTA_EXCEEDED. @default 20 */
  exportsPerHour: number;
  /** Hours the file of a FAILED import is kept (for a retry) before it is deleted. @default 24 */
  failedFileTtlHours: number;
  /** WebSockets one user may have open at once (per API process). @default 20 */
  maxSocketsPerUser: number;
  /** Subscriptions one user may have open at once, over all their sockets and streams (per API process). @default 200 */
  maxSubscriptionsPerUser: number;
  /** SSE streams one user may have open at once (per API process). @default 10 */
  maxSseStreamsPerUser: number;
  /**
   * TCP connections one IP address may have open at once to an API process (HTTP, SSE and
   * WebSockets alike); past it a new one is closed at once. Behind a reverse proxy every client
   * shares the proxy's address: raise it there. @default 256
   */
  maxConnectionsPerIp: number;
  /** WebSockets without a signed-in user one IP address may have open at once (per API process). @default 10 */
  maxAnonymousSocketsPerIp: number;
  /** A socket without a signed-in user that has no open subscription for this long is closed. @default 30 */
  anonymousSocketIdleSeconds: number;
  /** An SSE stream is ended after this long; clients reconnect. @default 3600 */
  sseMaxLifetimeSeconds: number;
  /** `logIn` and `signUp` attempts per minute, per IP address and per account; past it RATE_LIMITED. @default 10 */
  authRateLimitPerMinute: number;
  /** GraphQL operations one user may run per minute, over every transport and API process; past it RATE_LIMITED. @default 600 */
  requestBudgetPerMinute: number;
  /** Origins (scheme://host[:port]) whose pages may call the API with credentials; none but our own by default. */
  corsOrigins: string[];
  /** Whether `signUp` creates accounts; when false it answers FORBIDDEN. @default true */
  allowSignup: boolean;
  /**
   * The bearer token `/metrics` asks for (at least 32 characters). When unset, `/metrics` answers
   * only requests from this machine (a loopback address) that no proxy forwarded.
   */
  metricsToken: string | undefined;
  /**
   * A port of its own for `/metrics` (and `/healthz`), on `host`, in every role: how a `worker`
   * process, which serves no HTTP otherwise, is scraped. `0` picks a free port. Unset: `/metrics` is
   * served on `port` by `api` and `all` processes only.
   */
  metricsPort: number | undefined;
  /**
   * Whether webhooks may point at private, loopback, link-local and other non-public addresses, and
   * use plain http. Off, a webhook must be https and its host must resolve to public addresses only,
   * when it is created and again at each delivery. For development and tests. @default false
   */
  webhookAllowPrivate: boolean;
  /** Longest one webhook delivery may take, connecting and answering, before it counts as failed. @default 10 */
  webhookTimeoutSeconds: number;
}

const ROLES: readonly Role[] = ["all", "api", "worker"];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** Reads `--role <role>` (or `--role=<role>`) from command-line arguments. */
export function parseRole(argv: readonly string[], fallback: string | undefined): Role {
  let role = fallback || "all";
  argv.forEach((arg, i) => {
    if (arg === "--role") role = argv[i + 1] ?? "";
    else if (arg.startsWith("--role=")) role = arg.slice("--role=".length);
  });
  if (!ROLES.includes(role as Role)) {
    throw new Error(`--role must be one of ${ROLES.join(", ")}, got ${JSON.stringify(role)}`);
  }
  return role as Role;
}

/** Builds the configuration from the environment and command line; throws on invalid values. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv.slice(2),
): Config {
  return {
    role: parseRole(argv, env.ROLE),
    port: integer(env, "PORT", 4000, 0),
    host: env.HOST || "0.0.0.0",
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.DATA_DIR || ".data"),
    embeddedPostgresPort: integer(env, "EMBEDDED_POSTGRES_PORT", 54329, 1),
    logLevel: env.LOG_LEVEL || "info",
    workerConcurrency: integer(env, "WORKER_CONCURRENCY", 4, 1),
    sessionTtlHours: integer(env, "SESSION_TTL_HOURS", 720, 1),
    maxApiKeysPerUser: integer(env, "MAX_API_KEYS_PER_USER", 20, 1),
    maxUploadBytes: integer(env, "MAX_UPLOAD_BYTES", 100 * 1024 * 1024, 1),
    maxAttempts: integer(env, "MAX_ATTEMPTS", 5, 1),
    exportTtlHours: integer(env, "EXPORT_TTL_HOURS", 24, 1),
    signingSecret: readSigningSecret(env),
    workerDeadAfterSeconds: integer(env, "WORKER_DEAD_AFTER_SECONDS", 30, 1),
    shutdownGraceSeconds: integer(env, "SHUTDOWN_GRACE_SECONDS", 25, 0),
    maxUncompressedBytes: integer(env, "MAX_UNCOMPRESSED_BYTES", 1024 ** 3, 1),
    parseMemoryMb: integer(env, "PARSE_MEMORY_MB", 512, 32),
    databasePoolSize: integer(env, "DATABASE_POOL_SIZE", 10, 2),
    databasePoolWaitSeconds: integer(env, "DATABASE_POOL_WAIT_SECONDS", 5, 1),
    statementTimeoutSeconds: integer(env, "STATEMENT_TIMEOUT_SECONDS", 30, 1),
    uploadIdleTimeoutSeconds: integer(env, "UPLOAD_IDLE_TIMEOUT_SECONDS", 30, 1),
    uploadDeadlineSeconds: integer(env, "UPLOAD_DEADLINE_SECONDS", 900, 1),
    maxConcurrentUploadsPerUser: integer(env, "MAX_CONCURRENT_UPLOADS_PER_USER", 3, 1),
    maxStoredBytesPerUser: integer(env, "MAX_STORED_BYTES_PER_USER", 1024 ** 3, 1),
    exportsPerHour: integer(env, "EXPORTS_PER_HOUR", 20, 1),
    failedFileTtlHours: integer(env, "FAILED_FILE_TTL_HOURS", 24, 1),
    maxSocketsPerUser: integer(env, "MAX_SOCKETS_PER_USER", 20, 1),
    maxSubscriptionsPerUser: integer(env, "MAX_SUBSCRIPTIONS_PER_USER", 200, 1),
    maxSseStreamsPerUser: integer(env, "MAX_SSE_STREAMS_PER_USER", 10, 1),
    maxConnectionsPerIp: integer(env, "MAX_CONNECTIONS_PER_IP", 256, 1),
    maxAnonymousSocketsPerIp: integer(env, "MAX_ANONYMOUS_SOCKETS_PER_IP", 10, 1),
    anonymousSocketIdleSeconds: integer(env, "ANONYMOUS_SOCKET_IDLE_SECONDS", 30, 1),
    sseMaxLifetimeSeconds: integer(env, "SSE_MAX_LIFETIME_SECONDS", 3600, 1),
    authRateLimitPerMinute: integer(env, "AUTH_RATE_LIMIT_PER_MINUTE", 10, 1),
    requestBudgetPerMinute: integer(env, "REQUEST_BUDGET_PER_MINUTE", 600, 1),
    corsOrigins: readCorsOrigins(env),
    allowSignup: boolean(env, "ALLOW_SIGNUP", true),
    metricsToken: readMetricsToken(env),
    metricsPort: env.METRICS_PORT ? integer(env, "METRICS_PORT", 0, 0) : undefined,
    webhookAllowPrivate: boolean(env, "WEBHOOK_ALLOW_PRIVATE", false),
    webhookTimeoutSeconds: integer(env, "WEBHOOK_TIMEOUT_SECONDS", 10, 1),
  } satisfies Config;
}
/** `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`, in any case); anything else is refused. */
function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = raw.trim().toLowerCase();
  if (["true", "1", "yes", "on"].includes(value)) return true;
  if (["false", "0", "no", "off"].includes(value)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

/** `METRICS_TOKEN`, checked: a short one could be guessed by asking /metrics often enough. */
function readMetricsToken(env: NodeJS.ProcessEnv): string | undefined {
  const raw = env.METRICS_TOKEN;
  if (raw === undefined || raw === "") return undefined;
  if (raw.length < 32) throw new Error("METRICS_TOKEN must be at least 32 characters long (try: openssl rand -hex 16)");
  return raw;
}

/** `SIGNING_SECRET`, checked: a short key would make download links guessable offline. */
function readSigningSecret(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.SIGNING_SECRET;
  if (raw === undefined || raw === "") return undefined;
  if (raw.length < 32) throw new Error("SIGNING_SECRET must be at least 32 characters long");
  return raw;
}

/** `CORS_ORIGINS`: a comma-separated list of origins, each checked to be one (`https://app.example.com`). */
function readCorsOrigins(env: NodeJS.ProcessEnv): string[] {
  const raw = env.CORS_ORIGINS ?? "";
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      let origin: string;
      try {
        origin = new URL(entry).origin;
      } catch {
        origin = "null";
      }
      if (origin === "null" || origin !== entry.replace(/\/$/, "")) {
        throw new Error(`CORS_ORIGINS must list origins like https://app.example.com, got ${JSON.stringify(entry)}`);
      }
      return origin;
    });
}
