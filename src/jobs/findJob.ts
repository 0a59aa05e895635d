import type { PrismaClient } from "../db/database.js";
import type { Export, Import } from "../generated/prisma/client.js";
import { isUuid } from "../db/isUuid.js";

/** The kinds of background job; the `kind` in every job_status notification. */
export type JobKind = "Import" | "Export";

/** A job row of any kind. */
export type Job = Import | Export;

/** The GraphQL type of a job row. */
export function jobKind(job: Job): JobKind {
  // only exports have a format
  return "format" in job ? "Export" : "Import";
}

/**
 * One of `userId`'s jobs, of whatever kind (ids are UUIDs, unique across kinds), or null for a
 * missing id and for someone else's job alike.
 */
export async function findJob(prisma: PrismaClient, userId: string, id: string): Promise<Job | null> {
  if (!isUuid(id)) return null;
  const [found, exported] = await Promise.all([
    prisma.import.findFirst({ where: { id, userId } }),
    prisma.export.findFirst({ where: { id, userId } }),
  ]);
  return found ?? exported;
}

/** The current row of a job named by a notification, or null once it is gone. */
export async function loadJob(prisma: PrismaClient, kind: JobKind, id: string): Promise<Job | null> {
  if (kind === "Export") return prisma.export.findUnique({ where: { id } });
  return prisma.import.findUnique({ where: { id } });
}

/** Jobs of these users changed at or after `since`: what a listener that was away may have missed. */
export async function findChangedJobs(
  prisma: PrismaClient,
  userIds: string[],
  since: Date,
): Promise<Array<{ kind: JobKind; id: string }>> {
  const where = { userId: { in: userIds }, updatedAt: { gte: since } };
  const [imports, exports] = await Promise.all([
    prisma.import.findMany({ where, select: { id: true } }),
    prisma.export.findMany({ where, select: { id: true } }),
  ]);
  return [
    ...imports.map(({ id }) => ({ kind: "Import" as const, id })),
    ...exports.map(({ id }) => ({ kind: "Export" as const, id })),
  ];
}
