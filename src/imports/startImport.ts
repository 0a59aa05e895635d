import type { FileUpload } from "graphql-upload-minimal";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import type { Import, ImportTemplate } from "../generated/prisma/client.js";
import { enqueueJob } from "../jobs/enqueueJob.js";
import { coerceError } from "../lib.js";
import type { ImportOptions } from "./importOptions.js";
import { storeFile } from "../storage/fileStore.js";
import { fileTooLarge, uploadInspector } from "./uploadInspector.js";

/**
 * Stores an uploaded spreadsheet and queues its import: the file, the `Import` (PENDING, QUEUED)
 * with a snapshot of `template` (its columns and locale, which later runs read however the
 * template changes) and its graphile-worker job are written in one transaction. Returns the import as written as
 * soon as the upload has been received; nothing is parsed here.
 */
export async function startImport(
  { db, config }: { db: Database; config: Config },
  userId: string,
  template: ImportTemplate,
  upload: Promise<FileUpload>,
  options: ImportOptions,
): Promise<Import> {
  const file = await upload;
  let stream: ReturnType<FileUpload["createReadStream"]> | undefined;
  try {
    // throws if the upload already failed, say, when the whole request arrived before this point
    stream = file.createReadStream();
    const body = stream;
    return await withTransaction(db.pool, async (tx) => {
      const inspector = uploadInspector(config.maxUploadBytes);
      const stored = await storeFile(tx, userId, body, inspector.inspect);
      if ((body as { truncated?: boolean }).truncated) throw fileTooLarge(config.maxUploadBytes);
      const kind = inspector.finish();
      const {
        rows: [created],
      } = await tx.query<{ id: string }>(
        `insert into imports (user_id, template_id, file_name, file_size, file_type, file_id, options,
           template_columns, decimal_separator, date_order)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
        [
          userId,
          template.id,
          file.filename.slice(0, 255) || "upload",
          stored.size,
          kind,
          stored.fileId,
          JSON.stringify(options),
          JSON.stringify(template.columns),
          template.decimalSeparator,
          template.dateOrder,
        ],
      );
      return enqueueJob(tx, "Import", created!.id, config);
    });
  } catch (caught) {
    stream?.destroy();
    const err = coerceError(caught);
    // graphql-upload-minimal fails the stream (or createReadStream) with a 413 past its maxFileSize
    if ((err as { status?: number }).status === 413) throw fileTooLarge(config.maxUploadBytes);
    throw err;
  }
}
