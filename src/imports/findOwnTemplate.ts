import type { PrismaClient } from "../db/database.js";
import { isUuid } from "../db/isUuid.js";
import { notFound } from "../errors.js";
import type { ImportTemplate } from "../generated/prisma/client.js";

/**
 * One of `userId`'s templates still in use, or NOT_FOUND for a missing id, a deleted template and
 * someone else's alike.
 */
export async function findOwnTemplate(prisma: PrismaClient, userId: string, id: string): Promise<ImportTemplate> {
  const found = isUuid(id) && (await prisma.importTemplate.findFirst({ where: { id, userId, deletedAt: null } }));
  if (!found) throw notFound("Template");
  return found;
}
