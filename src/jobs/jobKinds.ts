import type { PrismaClient } from "../db/database.js";
import type { Export, Import } from "../generated/prisma/client.js";

/**
 * Terminology:
 * - a **job** is a row of ours that work happens to in the background (an import, an export);
 *   its **kind** is its GraphQL type's name, which is also the `kind` in `job_status` notifications;
 * - a **job run** is one attempt by graphile-worker at the task that does a job's work.
 *
 * This table is the one place that knows the kinds. A new kind is a row here, a task in `tasks/`
 * and a service that does its work (see runJob.ts).
 */
export const JOB_KINDS = {
  Import: {
    table: "imports",
    task: "importSpreadsheet",
    payloadKey: "importId",
    // a column no other kind has tells its rows apart
    distinctColumn: "phase",
    model: (prisma: PrismaClient) => prisma.import,
  },
  Export: {
    table: "exports",
    task: "generateExport",
    payloadKey: "exportId",
    distinctColumn: "format",
    model: (prisma: PrismaClient) => prisma.export,
  },
} as const satisfies Record<JobKind, JobKindSpec>;

/** The row type of each kind, as Prisma and our SQL (camel-cased) return it. */
export interface JobRows {
  Import: Import;
  Export: Export;
}

export type JobKind = keyof JobRows;

/** A job row of any kind. */
export type Job = JobRows[JobKind];

type Kinds = typeof JOB_KINDS;

/** Each kind's task payload: one job id under the kind's `payloadKey`. */
type JobTasks = { [K in JobKind as Kinds[K]["task"]]: { [P in Kinds[K]["payloadKey"]]: string } };

// the payloads enqueueJob writes and the tasks read, declared once where graphile-worker looks
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typing is a global namespace
  namespace GraphileWorker {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by `extends`
    interface Tasks extends JobTasks {}
  }
}

/** Conditions on the columns every job table has. */
export interface JobWhere {
  id?: string | { lt: string };
  userId?: string | { in: string[] };
  status?: Job["status"];
  createdAt?: Date | { lt: Date };
  updatedAt?: { gte: Date };
  OR?: JobWhere[];
}

/** What the lifecycle needs of a kind's Prisma model. */
export interface JobModel<Row = Job> {
  findFirst(args: { where: JobWhere }): PromiseLike<Row | null>;
  findMany(args: { where: JobWhere; select: { id: true } }): PromiseLike<Array<{ id: string }>>;
  findMany(args: {
    where: JobWhere;
    orderBy?: Array<{ createdAt: "desc" } | { id: "desc" }>;
    take?: number;
  }): PromiseLike<Row[]>;
  count(args: { where: JobWhere }): PromiseLike<number>;
}

interface JobKindSpec {
  /** The SQL table its rows live in. */
  table: string;
  /** The graphile-worker task identifier that runs it (= the file name in `tasks/`). */
  task: string;
  /** The payload's one field, naming the row. */
  payloadKey: string;
  /** A column only this kind's rows have. */
  distinctColumn: string;
  model(prisma: PrismaClient): unknown;
}

const KINDS = Object.keys(JOB_KINDS) as JobKind[];

/** Every kind, in the table's order. */
export function jobKinds(): readonly JobKind[] {
  return KINDS;
}

/** The kind of a job row. */
export function jobKind(job: Job): JobKind {
  const kind = KINDS.find((k) => JOB_KINDS[k].distinctColumn in job);
  if (!kind) throw new Error("Not a job row: it has none of the job kinds' distinct columns.");
  return kind;
}

/** True when `job` is a row of `kind`: the GraphQL types' `isTypeOf`. */
export function isJobOfKind<K extends JobKind>(kind: K, job: unknown): job is JobRows[K] {
  return typeof job === "object" && job !== null && JOB_KINDS[kind].distinctColumn in job;
}

/** The kind's Prisma model, typed for what the lifecycle does with it. */
export function jobModel<K extends JobKind>(prisma: PrismaClient, kind: K): JobModel<JobRows[K]> {
  return JOB_KINDS[kind].model(prisma) as unknown as JobModel<JobRows[K]>;
}

/**
 * The job id in a task's payload. The jobs table can hold payloads TypeScript never saw (an old
 * release, a hand-added job), so the payload is checked at run time too.
 */
export function jobIdFromPayload(kind: JobKind, payload: unknown): string {
  const { task, payloadKey } = JOB_KINDS[kind];
  const id = typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>)[payloadKey] : null;
  if (typeof id !== "string") {
    throw new Error(`${task} needs a payload like {"${payloadKey}": "<uuid>"}, got ${JSON.stringify(payload)}`);
  }
  return id;
}
