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
    maxUploadBytes: integer(env, "MAX_UPLOAD_BYTES", 100 * 1024 * 1024, 1),
    maxAttempts: integer(env, "MAX_ATTEMPTS", 5, 1),
    exportTtlHours: integer(env, "EXPORT_TTL_HOURS", 24, 1),
    signingSecret: readSigningSecret(env),
    workerDeadAfterSeconds: integer(env, "WORKER_DEAD_AFTER_SECONDS", 30, 1),
    shutdownGraceSeconds: integer(env, "SHUTDOWN_GRACE_SECONDS", 25, 0),
    maxUncompressedBytes: integer(env, "MAX_UNCOMPRESSED_BYTES", 1024 ** 3, 1),
    parseMemoryMb: integer(env, "PARSE_MEMORY_MB", 512, 32),
  } satisfies Config;
}

/** `SIGNING_SECRET`, checked: a short key would make download links guessable offline. */
function readSigningSecret(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.SIGNING_SECRET;
  if (raw === undefined || raw === "") return undefined;
  if (raw.length < 32) throw new Error("SIGNING_SECRET must be at least 32 characters long");
  return raw;
}
