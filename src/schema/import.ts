import { signedPath } from "../auth/downloadTokens.js";
import { signingSecret } from "../auth/signingSecret.js";
import { notFound, UserError } from "../errors.js";
import { isUuid } from "../db/isUuid.js";
import type { Import, ImportRowError, Record as ImportedRecord } from "../generated/prisma/client.js";
import { enqueueImport } from "../imports/enqueueImport.js";
import { startImport } from "../imports/startImport.js";
import { builder } from "./builder.js";
import { connectionType, decodeCursor, pageSize, toConnection } from "./connection.js";
import { requireViewer, type Context } from "./context.js";
import { ImportTemplateRef } from "./importTemplate.js";
import { JobRef, JobStatusEnum, newestJobsFirst } from "./job.js";

const ImportPhaseEnum = builder.enumType("ImportPhase", {
  values: ["QUEUED", "PARSING", "VALIDATING", "SAVING", "DONE"] as const,
});

const ImportRowErrorRef = builder.objectRef<ImportRowError>("ImportRowError").implement({
  description: "One problem with one cell of a rejected row.",
  fields: (t) => ({
    rowNumber: t.exposeInt("rowNumber", { description: "The row number as Excel shows it (1-based)." }),
    column: t.exposeString("column", { nullable: true, description: "The template column's header." }),
    message: t.exposeString("message"),
    value: t.exposeString("value", { nullable: true, description: "The cell as it was uploaded." }),
  }),
});

const RecordRef = builder.objectRef<ImportedRecord>("Record").implement({
  description: "An imported row.",
  fields: (t) => ({
    id: t.id({ resolve: (record) => `${record.importId}:${record.rowNumber}` }),
    rowNumber: t.exposeInt("rowNumber"),
    data: t.field({
      type: "JSONObject",
      description: "Typed values keyed by template column key.",
      resolve: (record) => record.data as Record<string, unknown>,
    }),
  }),
});

const ImportRowErrorConnection = connectionType("ImportRowError", ImportRowErrorRef);
const RecordConnection = connectionType("Record", RecordRef);

export const ImportRef = builder.objectRef<Import>("Import").implement({
  interfaces: [JobRef],
  isTypeOf: (job) => typeof job === "object" && job !== null && "phase" in job,
  fields: (t) => ({
    template: t.field({
      type: ImportTemplateRef,
      resolve: (i, _args, ctx) => ctx.prisma.importTemplate.findUniqueOrThrow({ where: { id: i.templateId } }),
    }),
    fileName: t.exposeString("fileName"),
    fileSize: t.exposeInt("fileSize"),
    phase: t.field({ type: ImportPhaseEnum, resolve: (i) => i.phase }),
    rowsTotal: t.exposeInt("rowsTotal", { nullable: true, description: "Known once the whole file was read." }),
    rowsProcessed: t.exposeInt("rowsProcessed"),
    rowsImported: t.exposeInt("rowsImported"),
    rowsFailed: t.exposeInt("rowsFailed"),
    errorReportUrl: t.string({
      nullable: true,
      description:
        "A link to an xlsx of the rejected rows, as uploaded, with an Errors column; valid for 15 minutes " +
        "without other credentials (GET /imports/:id/errors.xlsx also takes a bearer token). Null when no row failed.",
      resolve: async (i, _args, ctx) => {
        if (i.rowsFailed === 0) return null;
        const secret = await signingSecret(ctx.db.pool, ctx.config.signingSecret);
        return signedPath(secret, "import-errors", i.id, `/imports/${i.id}/errors.xlsx`);
      },
    }),
    errors: t.field({
      type: ImportRowErrorConnection,
      description: "The problems with rejected rows, in row order.",
      args: { first: t.arg.int({ required: false, defaultValue: 50 }), after: t.arg.string({ required: false }) },
      resolve: async (i, args, ctx) => {
        const first = pageSize(args.first, 50);
        const after = decodeCursor<[number, string]>("ImportRowError", args.after, ["number", "string"]);
        const rows = await ctx.prisma.importRowError.findMany({
          where: {
            importId: i.id,
            ...(after && {
              OR: [{ rowNumber: { gt: after[0] } }, { rowNumber: after[0], id: { gt: BigInt(after[1]) } }],
            }),
          },
          orderBy: [{ rowNumber: "asc" }, { id: "asc" }],
          take: first + 1,
        });
        return toConnection("ImportRowError", rows, first, (e) => [e.rowNumber, String(e.id)]);
      },
    }),
    records: t.field({
      type: RecordConnection,
      description: "The imported rows, in row order.",
      args: { first: t.arg.int({ required: false, defaultValue: 50 }), after: t.arg.string({ required: false }) },
      resolve: async (i, args, ctx) => {
        const first = pageSize(args.first, 50);
        const after = decodeCursor<[number]>("Record", args.after, ["number"]);
        const rows = await ctx.prisma.record.findMany({
          where: { importId: i.id, ...(after && { rowNumber: { gt: after[0] } }) },
          orderBy: { rowNumber: "asc" },
          take: first + 1,
        });
        return toConnection("Record", rows, first, (r) => [r.rowNumber]);
      },
    }),
  }),
});

const ImportConnection = connectionType("Import", ImportRef);

/** The viewer's import, or NOT_FOUND whether it is missing or someone else's. */
async function findOwnImport(ctx: Context, id: string): Promise<Import> {
  const viewer = requireViewer(ctx);
  const found = isUuid(id) && (await ctx.prisma.import.findFirst({ where: { id, userId: viewer.user.id } }));
  if (!found) throw notFound("Import");
  return found;
}

builder.queryFields((t) => ({
  imports: t.field({
    type: ImportConnection,
    description: "The viewer's imports, newest first.",
    args: {
      first: t.arg.int({ required: false, defaultValue: 20 }),
      after: t.arg.string({ required: false }),
      status: t.arg({ type: JobStatusEnum, required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const list = newestJobsFirst("Import", requireViewer(ctx).user.id, args);
      return list.page(await ctx.prisma.import.findMany(list.query));
    },
  }),
  import: t.field({
    type: ImportRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => findOwnImport(ctx, id),
  }),
}));

builder.mutationFields((t) => ({
  startImport: t.field({
    type: ImportRef,
    description:
      "Uploads a spreadsheet (multipart request) and queues its import. Returns at once, PENDING; " +
      "watch it with jobStatus(id) or poll import(id).",
    args: { templateId: t.arg.id({ required: true }), file: t.arg({ type: "Upload", required: true }) },
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const id = await startImport(ctx.db, ctx.config, viewer.user.id, args.templateId, args.file);
      return ctx.prisma.import.findUniqueOrThrow({ where: { id } });
    },
  }),
  retryImport: t.field({
    type: ImportRef,
    description: "Queues a FAILED import again, with its stored file.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const found = await findOwnImport(ctx, id);
      const client = await ctx.db.pool.connect();
      try {
        await client.query("begin");
        // the status check and the new job are one step: two retries at once cannot both pass it
        const { rowCount } = await client.query(
          `update imports set status = 'PENDING', phase = 'QUEUED', error_message = null, attempts = 0,
             processing_started_at = null, processing_completed_at = null,
             rows_total = null, rows_processed = 0, rows_imported = 0, rows_failed = 0
           where id = $1 and status = 'FAILED' and file_id is not null`,
          [found.id],
        );
        if (rowCount !== 1) {
          throw new UserError("BAD_USER_INPUT", `Only a FAILED import can be retried; this one is ${found.status}.`);
        }
        await client.query("delete from import_row_errors where import_id = $1", [found.id]);
        await client.query("delete from import_rejected_rows where import_id = $1", [found.id]);
        await enqueueImport(client, found.id, ctx.config.maxAttempts);
        await client.query("commit");
      } catch (err) {
        await client.query("rollback");
        throw err;
      } finally {
        client.release();
      }
      return ctx.prisma.import.findUniqueOrThrow({ where: { id: found.id } });
    },
  }),
}));
