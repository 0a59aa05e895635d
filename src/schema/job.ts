import type { ObjectRef } from "@pothos/core";
import { notFound } from "../errors.js";
import { findJob } from "../jobs/findJob.js";
import { jobKind, jobModel, type Job, type JobKind, type JobRows } from "../jobs/jobKinds.js";
import { builder } from "./builder.js";
import { connectionType, decodeCursor, pageSize, toConnection } from "./connection.js";
import { requireViewer, type Context } from "./context.js";

export const JobStatusEnum = builder.enumType("JobStatus", {
  values: {
    PENDING: { description: "Queued, or waiting to be retried after a failed attempt." },
    PROCESSING: { description: "A worker is running it." },
    NEEDS_REVIEW: {
      description: "A dry run is done and waits for the user: confirm, change the mapping, or cancel. Not final.",
    },
    COMPLETED: { description: "Done. Final." },
    FAILED: { description: "Ended with errorMessage; an import can be retried. Final for subscriptions." },
    CANCELLED: { description: "Stopped by the user; nothing was saved. Final." },
  } as const,
});

export const JobRef = builder.interfaceRef<Job>("Job").implement({
  description: "A background job: an Import or an Export. Ids are unique across kinds.",
  fields: (t) => ({
    id: t.exposeID("id"),
    status: t.field({ type: JobStatusEnum, resolve: (job) => job.status }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    processingStartedAt: t.expose("processingStartedAt", { type: "DateTime", nullable: true }),
    processingCompletedAt: t.expose("processingCompletedAt", { type: "DateTime", nullable: true }),
    errorMessage: t.exposeString("errorMessage", { nullable: true }),
    backgroundJobId: t.exposeString("backgroundJobId", {
      nullable: true,
      description: "The graphile-worker job's id while it is queued or running; cleared when it ends.",
    }),
    attempts: t.exposeInt("attempts"),
  }),
  resolveType: (job) => jobKind(job),
});

builder.queryField("job", (t) =>
  t.field({
    type: JobRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    description: "Any of the viewer's jobs by id; NOT_FOUND for a missing id or someone else's.",
    resolve: (_root, { id }, ctx) => findOwnJob(ctx, id),
  }),
);

/** The viewer's job (of `kind` when given), or NOT_FOUND whether it is missing or someone else's. */
export async function findOwnJob<K extends JobKind>(ctx: Context, id: string, kind?: K): Promise<JobRows[K]> {
  const found = await findJob(ctx.prisma, requireViewer(ctx).user.id, id, kind);
  if (!found) throw notFound(kind ?? "Job");
  return found;
}

/** Arguments of a list of the viewer's jobs of one kind. */
export interface JobListArgs {
  first?: number | null;
  after?: string | null;
  status?: typeof JobStatusEnum.$inferType | null;
}

/**
 * A newest-first, keyset-paged list of the viewer's jobs of one kind (cursors carry createdAt and
 * id, so new jobs never shift a page).
 */
export async function listJobs<K extends JobKind>(ctx: Context, kind: K, args: JobListArgs) {
  const first = pageSize(args.first, 20);
  const after = decodeCursor(kind, args.after, ["timestamp", "uuid"]);
  const filter = { userId: requireViewer(ctx).user.id, ...(args.status && { status: args.status }) };
  const model = jobModel(ctx.prisma, kind);
  const rows = await model.findMany({
    where: {
      ...filter,
      ...(after && {
        OR: [{ createdAt: { lt: after[0] } }, { createdAt: after[0], id: { lt: after[1] } }],
      }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: first + 1,
  });
  // one user's jobs, on the (user_id, created_at, id) index
  const totalCount = () => model.count({ where: filter });
  return toConnection(kind, rows, { first, after, totalCount }, (job) => [job.createdAt.toISOString(), job.id]);
}

/**
 * A job kind's queries: `<many>(first, after, status)`, the viewer's jobs of that kind newest
 * first, and `<one>(id)`, one of them or NOT_FOUND.
 */
export function addJobQueries<K extends JobKind>(
  kind: K,
  ref: ObjectRef<typeof builder.$inferSchemaTypes, JobRows[K]>,
  names: { one: string; many: string },
) {
  const connection = connectionType(kind, ref, { totalCount: true });
  builder.queryFields((t) => ({
    [names.many]: t.field({
      type: connection,
      description: `The viewer's ${names.many}, newest first.`,
      args: {
        first: t.arg.int({ required: false, defaultValue: 20 }),
        after: t.arg.string({ required: false }),
        status: t.arg({ type: JobStatusEnum, required: false }),
      },
      resolve: (_root, args, ctx) => listJobs(ctx, kind, args),
    }),
    [names.one]: t.field({
      type: ref,
      nullable: true,
      args: { id: t.arg.id({ required: true }) },
      // Pothos cannot work out its result type over a generic kind; `ref` already ties the two
      resolve: (_root, { id }, ctx) => findOwnJob(ctx, id, kind) as never,
    }),
  }));
}
