import { signedPath } from "../auth/downloadTokens.js";
import { signingSecret } from "../auth/signingSecret.js";
import { requestExport } from "../exports/requestExport.js";
import type { Export } from "../generated/prisma/client.js";
import { isJobOfKind } from "../jobs/jobKinds.js";
import { builder } from "./builder.js";
import { requireViewer } from "./context.js";
import { ImportTemplateRef, templateOf } from "./importTemplate.js";
import { addJobQueries, JobRef } from "./job.js";
import { NodeRef } from "./node.js";

const ExportFormatEnum = builder.enumType("ExportFormat", { values: ["XLSX", "CSV"] as const });

export const ExportRef = builder.objectRef<Export>("Export").implement({
  description: "A spreadsheet of a template's records, written in the background.",
  interfaces: [JobRef, NodeRef],
  isTypeOf: (job) => isJobOfKind("Export", job),
  fields: (t) => ({
    template: t.field({ type: ImportTemplateRef, resolve: (e, _args, ctx) => templateOf(ctx, e) }),
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

addJobQueries("Export", ExportRef, { one: "export", many: "exports" });

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
    resolve: (_root, args, ctx) =>
      requestExport(ctx, requireViewer(ctx).user.id, args.templateId, args.format ?? "XLSX", args.importId),
  }),
);
