import type { Job } from "../jobs/jobKinds.js";
import { STREAM_KIND, type StreamKind } from "../realtime/sharedSubscriptions.js";
import { builder } from "./builder.js";
import { requireViewer } from "./context.js";
import { findOwnJob, JobRef } from "./job.js";

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  jobStatus: t.field({
    type: JobRef,
    description:
      "The job's current state first, then one event per change; completes after COMPLETED, FAILED or CANCELLED (not NEEDS_REVIEW). " +
      "NOT_FOUND for a missing id or someone else's job.",
    args: { id: t.arg.id({ required: true }) },
    // a socket joining others on the same job gets the latest state they were sent
    extensions: { [STREAM_KIND]: "state" satisfies StreamKind },
    subscribe: async (_root, { id }, ctx) => ctx.jobEvents.watchJob(await findOwnJob(ctx, id)),
    resolve: (job: Job) => job,
  }),
  myJobs: t.field({
    type: JobRef,
    description: "Every change to any of the viewer's jobs, of any kind.",
    extensions: { [STREAM_KIND]: "changes" satisfies StreamKind },
    subscribe: (_root, _args, ctx) => ctx.jobEvents.watchUser(requireViewer(ctx).user.id),
    resolve: (job: Job) => job,
  }),
}));
