import type { FileUpload } from "graphql-upload-minimal";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import type { Import, ImportTemplate } from "../generated/prisma/client.js";
import { enqueueJob } from "../jobs/enqueueJob.js";
import { coerceError } from "../lib.js";
import type { ImportOptions } from "./importOptions.js";
import { UserError } from "../errors.js";
import { detectFileType, SNIFF_LENGTH, type SpreadsheetKind, UNSUPPORTED_FILE_MESSAGE } from "../spreadsheet/index.js";
import { isZip, ZipInspector } from "../spreadsheet/zipContents.js";
import { storeFile, type ChunkInspector } from "../storage/fileStore.js";

/**
 * Watches an upload stream go by: decides its type from the first bytes (and refuses anything
 * that is not a spreadsheet at once), enforces the size limit, and for a zip checks what it holds
 * (see {@link ZipInspector}), without ever holding the file.
 */
function uploadInspector(maxBytes: number) {
  let head = Buffer.alloc(0);
  let kind: SpreadsheetKind | undefined;
  const zip = new ZipInspector();
  const decide = () => {
    const detected = detectFileType(head);
    if (detected === "unsupported") {
      // a zip that declares another type up front (an OpenDocument text) says what it is
      const verdict = isZip(head) ? zip.verdict(head) : null;
      throw verdict && "message" in verdict ? new UserError("UNSUPPORTED_FILE_TYPE", verdict.message) : unsupported();
    }
    kind = detected;
  };
  const inspect: ChunkInspector = (chunk, offset) => {
    if (offset + chunk.length > maxBytes) throw fileTooLarge(maxBytes);
    if (!kind) {
      head = Buffer.concat([head, chunk]);
      if (head.length >= SNIFF_LENGTH) decide();
    }
    if (kind !== "csv" && kind !== "xls") zip.push(chunk);
  };
  const finish = (): SpreadsheetKind => {
    if (!kind) decide();
    if (kind === "xlsx") {
      const verdict = zip.verdict(head);
      if ("message" in verdict) throw new UserError("UNSUPPORTED_FILE_TYPE", verdict.message);
    }
    return kind!;
  };
  return { inspect, finish };
}

function unsupported() {
  return new UserError("UNSUPPORTED_FILE_TYPE", UNSUPPORTED_FILE_MESSAGE);
}

/** FILE_TOO_LARGE, naming the limit. */
export function fileTooLarge(maxBytes: number) {
  const mib = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return new UserError("FILE_TOO_LARGE", `The file is larger than the ${mib} MiB limit.`);
}

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
