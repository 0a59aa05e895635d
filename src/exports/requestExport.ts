import type pg from "pg";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import type { Export } from "../generated/prisma/client.js";
import { enqueueJob } from "../jobs/enqueueJob.js";
import { findJob } from "../jobs/findJob.js";
import { notFound, UserError } from "../errors.js";
import type { SheetFormat } from "../spreadsheet/sheetWriter.js";
import { findOwnTemplate } from "../imports/findOwnTemplate.js";
import { formatBytes, storageQuotaExceeded, storedBytes } from "../storage/storageQuota.js";

/**
 * Queues an export of a template's records: of one import when `importId` is given (it must be a
 * COMPLETED import made with that template), else of every COMPLETED import of the template. The
 * `Export` (PENDING) and its job are written in one transaction; returns it, as written, at once.
 * QUOTA_EXCEEDED past `EXPORTS_PER_HOUR`, or when the user's stored files already fill their quota.
 */
export async function requestExport(
  { db, config }: { db: Database; config: Config },
  userId: string,
  templateId: string,
  format: SheetFormat,
  importId: string | null | undefined,
): Promise<Export> {
  const template = await findOwnTemplate(db.prisma, userId, templateId);
  if (importId !== null && importId !== undefined) {
    const found = await findJob(db.prisma, userId, importId, "Import");
    if (!found) throw notFound("Import");
    if (found.templateId !== template.id) {
      throw new UserError("BAD_USER_INPUT", "That import was made with another template.");
    }
    // a PENDING or PROCESSING import has no records yet, and a FAILED one never will
    if (found.status !== "COMPLETED") {
      throw new UserError("BAD_USER_INPUT", `Only a COMPLETED import can be exported; this one is ${found.status}.`);
    }
  }

  return withTransaction(db.pool, async (tx) => {
    await checkExportQuotas(tx, config, userId);
    const {
      rows: [created],
    } = await tx.query<{ id: string }>(
      "insert into exports (user_id, template_id, import_id, format) values ($1, $2, $3, $4) returning id",
      [userId, template.id, importId ?? null, format],
    );
    return enqueueJob(tx, "Export", created!.id, config);
  });
}

/**
 * QUOTA_EXCEEDED when `userId` has requested `exportsPerHour` exports in the last hour (saying when
 * the next one is possible), or their stored files take their whole `maxStoredBytesPerUser`.
 * Requests of one user take turns here until their transaction ends, so two at once cannot both
 * take the last export of the hour.
 */
async function checkExportQuotas(
  tx: pg.PoolClient,
  { exportsPerHour, maxStoredBytesPerUser }: Config,
  userId: string,
): Promise<void> {
  await tx.query("select pg_advisory_xact_lock(hashtextextended($1, 0))", [`request-export:${userId}`]);
  // the oldest of the last `exportsPerHour` requests: the next is possible an hour after it
  const {
    rows: [recent],
  } = await tx.query<{ count: number; wait_seconds: number | null; next_at: Date | null }>(
    `select count(*)::int as count,
       ceil(extract(epoch from min(created_at) + interval '1 hour' - now()))::int as wait_seconds,
       min(created_at) + interval '1 hour' as next_at
     from (select created_at from exports where user_id = $1 and created_at > now() - interval '1 hour'
           order by created_at desc limit $2) last`,
    [userId, exportsPerHour],
  );
  if (recent!.count >= exportsPerHour) {
    const minutes = Math.max(1, Math.ceil(recent!.wait_seconds! / 60));
    throw new UserError(
      "QUOTA_EXCEEDED",
      `You have requested ${exportsPerHour} exports in the last hour; the next is possible in ` +
        `${minutes} minute${minutes === 1 ? "" : "s"}, at ${recent!.next_at!.toISOString()}.`,
    );
  }
  const bytes = await storedBytes(tx, userId);
  if (bytes >= maxStoredBytesPerUser) {
    throw storageQuotaExceeded(
      `Your stored files take ${formatBytes(bytes)} of your ${formatBytes(maxStoredBytesPerUser)} quota, ` +
        "so no export can be stored now.",
    );
  }
}
