import type { FileUpload } from "graphql-upload-minimal";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import type { Import, ImportTemplate } from "../generated/prisma/client.js";
import { enqueueJob } from "../jobs/enqueueJob.js";
import { coerceError } from "../lib.js";
import type { ImportOptions } from "./importOptions.js";
import { writeUpload } from "../storage/fileStore.js";
import { fileTooLarge, uploadError, uploadInspector } from "./uploadInspector.js";
import { beginUpload, quotaCheck, receiveUpload, timedUpload } from "./uploadLimits.js";

/**
 * Stores an uploaded spreadsheet and queues its import. Returns the import (PENDING, QUEUED) as
 * soon as the upload has been received; nothing is parsed here.
 *
 * The upload streams into an unfinished stored file, one chunk per short statement on the uploads'
 * pool (see beginUpload and writeUpload), so a slow client holds no connection and no transaction.
 * Then one short transaction marks the file finished and writes the `Import`, with a snapshot of
 * `template` (its columns and locale, which later runs read however the template changes), and its
 * graphile-worker job. An upload that fails (too large, not a spreadsheet, too slow, over quota,
 * the client gone) has its file deleted at once; one whose process died is swept later (see
 * tasks/deleteAbandonedUploads.ts).
 */
export async function startImport(
  { db, config }: { db: Database; config: Config },
  userId: string,
  template: ImportTemplate,
  upload: Promise<FileUpload>,
  options: ImportOptions,
): Promise<Import> {
  let stream: ReturnType<FileUpload["createReadStream"]> | undefined;
  let fileId: string | undefined;
  try {
    const file = await receiveUpload(upload, config);
    // throws if the upload already failed, say, when the whole request arrived before this point
    stream = file.createReadStream();
    fileId = await beginUpload(db.uploadPool, userId, config);
    const inspector = uploadInspector(config.maxUploadBytes);
    const size = await writeUpload(
      db.uploadPool,
      fileId,
      timedUpload(stream, config),
      inspector.inspect,
      quotaCheck(db.uploadPool, userId, config.maxStoredBytesPerUser),
    );
    if ((stream as { truncated?: boolean }).truncated) throw fileTooLarge(config.maxUploadBytes);
    const kind = inspector.finish();
    const finishedId = fileId;
    return await withTransaction(db.uploadPool, async (tx) => {
      const { rowCount } = await tx.query("update stored_files set finished = true where id = $1 and not finished", [
        finishedId,
      ]);
      if (rowCount !== 1) throw new Error(`The upload's stored file ${finishedId} is gone (swept as abandoned?).`);
      const {
        rows: [created],
      } = await tx.query<{ id: string }>(
        `insert into imports (user_id, template_id, file_name, file_size, file_type, file_id, options,
           template_columns, decimal_separator, date_order, key_columns, duplicates)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id`,
        [
          userId,
          template.id,
          file.filename.slice(0, 255) || "upload",
          size,
          kind,
          finishedId,
          JSON.stringify(options),
          JSON.stringify(template.columns),
          template.decimalSeparator,
          template.dateOrder,
          template.keyColumns,
          template.duplicates,
        ],
      );
      return enqueueJob(tx, "Import", created!.id, config);
    });
  } catch (caught) {
    stream?.destroy();
    // if this fails too (the database is gone), the sweep deletes the file later
    if (fileId) {
      await db.uploadPool
        .query("delete from stored_files where id = $1 and not finished", [fileId])
        .catch(() => undefined);
    }
    throw uploadError(coerceError(caught), config.maxUploadBytes);
  }
}
