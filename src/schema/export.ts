import { signedPath } from "../auth/downloadTokens.js";
import { signingSecret } from "../auth/signingSecret.js";
import { notFound } from "../errors.js";
import { isUuid } from "../db/isUuid.js";
import { requestExport } from "../exports/requestExport.js";
import type { Export } from "../generated/prisma/client.js";
import { builder } from "./builder.js";
import { connectionType } from "./connection.js";
import { requireViewer, type Context } from "./context.js";
import { ImportTemplateRef } from "./importTemplate.js";
import { JobRef, JobStatusEnum, newestJobsFirst } from "./job.js";

const ExportFormatEnum = builder.enumType("ExportFormat", { values: ["XLSX", "CSV"] as const });

export const ExportRef = builder.objectRef<Export>("Export").implement({
  description: "A spreadsheet of a template's records, written in the background.",
  interfaces: [JobRef],
  isTypeOf: (job) => typeof job === "object" && job !== null && "format" in job,
  fields: (t) => ({
    template: t.field({
      type: ImportTemplateRef,
      resolve: (e, _args, ctx) => ctx.prisma.importTemplate.findUniqueOrThrow({ where: { id: e.templateId } }),
    }),
    format: t.field({ type: ExportFormatEnum, resolve: (e) => e.format }),
    rowCount: t.exposeInt("rowCount", { nullable: true, description: "Rows in the file (not counting headers)." }),
    fileName: t.exposeString("fileName", { nullable: true }),
    fileSize: t.exposeInt("fileSize", { nullable: true, description: "In bytes." }),
    downloadUrl: t.string({
      nullable: true,
      description:
        "A link that downloads the file without other credentials, valid for 15 minutes (never past " +
        "expiresAt); ask again for a fresh one. Null until COMPLETED, and once the file expired.",
      resolve: async (e, _args, ctx) => {
        if (e.status !== "COMPLETED" || !e.fileId || !e.expiresAt || e.expiresAt.getTime() <= Date.now()) return null;
        const secret = await signingSecret(ctx.db.pool, ctx.config.signingSecret);
        return signedPath(secret, "export", e.id, `/exports/${e.id}/download`, e.expiresAt);
      },
    }),
    expiresAt: t.expose("expiresAt", {
      type: "DateTime",
      nullable: true,
      description: "When the file is deleted (EXPORT_TTL_HOURS after it was written).",
    }),
  }),
});

const ExportConnection = connectionType("Export", ExportRef);

/** The viewer's export, or NOT_FOUND whether it is missing or someone else's. */
async function findOwnExport(ctx: Context, id: string): Promise<Export> {
  const viewer = requireViewer(ctx);
  const found = isUuid(id) && (await ctx.prisma.export.findFirst({ where: { id, userId: viewer.user.id } }));
  if (!found) throw notFound("Export");
  return found;
}

builder.queryFields((t) => ({
  exports: t.field({
    type: ExportConnection,
    description: "The viewer's exports, newest first.",
    args: {
      first: t.arg.int({ required: false, defaultValue: 20 }),
      after: t.arg.string({ required: false }),
      status: t.arg({ type: JobStatusEnum, required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const list = newestJobsFirst("Export", requireViewer(ctx).user.id, args);
      return list.page(await ctx.prisma.export.findMany(list.query));
    },
  }),
  export: t.field({
    type: ExportRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, ctx) => findOwnExport(ctx, id),
  }),
}));

builder.mutationField("requestExport", (t) =>
  t.field({
    type: ExportRef,
    description:
      "Queues an export of the template's records: of one COMPLETED import when importId is given, else of " +
      "every COMPLETED import of the template. Returns at once, PENDING; watch it with jobStatus(id) or poll " +
      "export(id) until downloadUrl is set.",
    args: {
      templateId: t.arg.id({ required: true }),
      format: t.arg({ type: ExportFormatEnum, required: false, defaultValue: "XLSX" }),
      importId: t.arg.id({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const id = await requestExport(
        ctx.db,
        ctx.config,
        viewer.user.id,
        args.templateId,
        args.format ?? "XLSX",
        args.importId,
      );
      return ctx.prisma.export.findUniqueOrThrow({ where: { id } });
    },
  }),
);
