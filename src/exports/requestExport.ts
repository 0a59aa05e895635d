import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import type { Export } from "../generated/prisma/client.js";
import { enqueueJob } from "../jobs/enqueueJob.js";
import { findJob } from "../jobs/findJob.js";
import { notFound, UserError } from "../errors.js";
import type { SheetFormat } from "../spreadsheet/sheetWriter.js";
import { findOwnTemplate } from "../imports/findOwnTemplate.js";

/**
 * Queues an export of a template's records: of one import when `importId` is given (it must be a
 * COMPLETED import made with that template), else of every COMPLETED import of the template. The
 * `Export` (PENDING) and its job are written in one transaction; returns it, as written, at once.
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
    const {
      rows: [created],
    } = await tx.query<{ id: string }>(
      "insert into exports (user_id, template_id, import_id, format) values ($1, $2, $3, $4) returning id",
      [userId, template.id, importId ?? null, format],
    );
    return enqueueJob(tx, "Export", created!.id, config);
  });
}
