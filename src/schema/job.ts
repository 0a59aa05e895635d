import { notFound } from "../errors.js";
import { findJob, jobKind, type Job, type JobKind } from "../jobs/findJob.js";
import { builder } from "./builder.js";
import { decodeCursor, pageSize, toConnection } from "./connection.js";
import { requireViewer } from "./context.js";

export const JobStatusEnum = builder.enumType("JobStatus", {
  values: ["PENDING", "PROCESSING", "COMPLETED", "FAILED"] as const,
});

export const JobRef = builder.interfaceRef<Job>("Job").implement({
  description: "A background job: an Import now, an Export later. Ids are unique across kinds.",
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
    resolve: async (_root, { id }, ctx) => {
      const found = await findJob(ctx.prisma, requireViewer(ctx).user.id, id);
      if (!found) throw notFound("Job");
      return found;
    },
  }),
);

/** Arguments of a list of the viewer's jobs of one kind. */
export interface JobListArgs {
  first?: number | null;
  after?: string | null;
  status?: typeof JobStatusEnum.$inferType | null;
}

/**
 * A newest-first, keyset-paged list of `userId`'s jobs of one kind: the Prisma query to run, and
 * how its rows become the page (cursors carry createdAt and id, so new jobs never shift a page).
 */
export function newestJobsFirst(kind: JobKind, userId: string, args: JobListArgs) {
  const first = pageSize(args.first, 20);
  const after = decodeCursor<[string, string]>(kind, args.after, ["string", "string"]);
  return {
    query: {
      where: {
        userId,
        ...(args.status && { status: args.status }),
        ...(after && {
          OR: [{ createdAt: { lt: new Date(after[0]) } }, { createdAt: new Date(after[0]), id: { lt: after[1] } }],
        }),
      },
      orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
      take: first + 1,
    },
    page: <Row extends { createdAt: Date; id: string }>(rows: Row[]) =>
      toConnection(kind, rows, first, (job) => [job.createdAt.toISOString(), job.id]),
  };
}
