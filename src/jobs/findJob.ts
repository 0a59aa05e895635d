import type { PrismaClient } from "../db/database.js";
import type { Import } from "../generated/prisma/client.js";
import { isUuid } from "../errors.js";

/** The kinds of background job; the `kind` in every job_status notification. */
export type JobKind = "Import";

/** A job row of any kind. */
export type Job = Import;

/** The GraphQL type of a job row. */
export function jobKind(_job: Job): JobKind {
  return "Import";
}

/**
 * One of `userId`'s jobs, of whatever kind (ids are UUIDs, unique across kinds), or null for a
 * missing id and for someone else's job alike.
 */
export async function findJob(prisma: PrismaClient, userId: string, id: string): Promise<Job | null> {
  if (!isUuid(id)) return null;
  return prisma.import.findFirst({ where: { id, userId } });
}

/** The current row of a job named by a notification, or null once it is gone. */
export async function loadJob(prisma: PrismaClient, _kind: JobKind, id: string): Promise<Job | null> {
  return prisma.import.findUnique({ where: { id } });
}

/** Jobs of these users changed at or after `since`: what a listener that was away may have missed. */
export async function findChangedJobs(
  prisma: PrismaClient,
  userIds: string[],
  since: Date,
): Promise<Array<{ kind: JobKind; id: string }>> {
  const imports = await prisma.import.findMany({
    where: { userId: { in: userIds }, updatedAt: { gte: since } },
    select: { id: true },
  });
  return imports.map(({ id }) => ({ kind: "Import" as const, id }));
}
