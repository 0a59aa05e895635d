import type { PrismaClient } from "../db/database.js";
import { isUuid } from "../db/isUuid.js";
import { jobKinds, jobModel, type Job, type JobKind, type JobRows } from "./jobKinds.js";

/**
 * One of `userId`'s jobs, of `kind` or of any kind (ids are UUIDs, unique across kinds), or null
 * for a missing id and for someone else's job alike.
 */
export async function findJob<K extends JobKind>(
  prisma: PrismaClient,
  userId: string,
  id: string,
  kind?: K,
): Promise<JobRows[K] | null> {
  if (!isUuid(id)) return null;
  const kinds = kind ? [kind] : jobKinds();
  const found = await Promise.all(kinds.map((k) => jobModel(prisma, k).findFirst({ where: { id, userId } })));
  return (found.find((job) => job !== null) ?? null) as JobRows[K] | null;
}

/** The current row of a job named by a notification, or null once it is gone. */
export function loadJob(prisma: PrismaClient, kind: JobKind, id: string): PromiseLike<Job | null> {
  return jobModel(prisma, kind).findFirst({ where: { id } });
}

/** Jobs of these users changed at or after `since`: what a listener that was away may have missed. */
export async function findChangedJobs(
  prisma: PrismaClient,
  userIds: string[],
  since: Date,
): Promise<Array<{ kind: JobKind; id: string }>> {
  const where = { userId: { in: userIds }, updatedAt: { gte: since } };
  const changed = await Promise.all(
    jobKinds().map(async (kind) =>
      (await jobModel(prisma, kind).findMany({ where, select: { id: true } })).map(({ id }) => ({ kind, id })),
    ),
  );
  return changed.flat();
}
