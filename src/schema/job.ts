import { notFound } from "../errors.js";
import { findJob, jobKind, type Job } from "../jobs/findJob.js";
import { builder } from "./builder.js";
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
