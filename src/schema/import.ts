import { signedPath } from "../auth/downloadTokens.js";
import { signingSecret } from "../auth/signingSecret.js";
import type { Import, ImportRowError, Record as ImportedRecord } from "../generated/prisma/client.js";
import { validateImportOptions } from "../imports/importOptions.js";
import { retryImport } from "../imports/retryImport.js";
import { startImport } from "../imports/startImport.js";
import { isJobOfKind } from "../jobs/jobKinds.js";
import { builder } from "./builder.js";
import { connectionType, decodeCursor, pageSize, toConnection } from "./connection.js";
import { requireViewer } from "./context.js";
import { ImportTemplateRef, templateOf } from "./importTemplate.js";
import { addJobQueries, findOwnJob, JobRef } from "./job.js";

const ImportPhaseEnum = builder.enumType("ImportPhase", {
  values: ["QUEUED", "PARSING", "VALIDATING", "SAVING", "DONE"] as const,
});

const ImportOptionsInput = builder.inputType("ImportOptions", {
  description: "How to read an uploaded file, where the defaults do not fit.",
  fields: (t) => ({
    sheet: t.string({
      required: false,
      description: "The sheet to read, by name. Default: the first visible sheet in workbook order.",
    }),
    headerRow: t.int({
      required: false,
      description:
        "The header row, 1-based as Excel numbers rows. Default: row 1 when it matches the template, else the " +
        "row among the first 20 non-blank ones that matches the template's headers best.",
    }),
  }),
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
  isTypeOf: (job) => isJobOfKind("Import", job),
  fields: (t) => ({
    template: t.field({ type: ImportTemplateRef, resolve: (i, _args, ctx) => templateOf(ctx, i) }),
    fileName: t.exposeString("fileName"),
    fileSize: t.exposeInt("fileSize"),
    phase: t.field({ type: ImportPhaseEnum, resolve: (i) => i.phase }),
    sheetName: t.exposeString("sheetName", {
      nullable: true,
      description: "The sheet that was read; null for text files and until the file has been opened.",
    }),
    sheets: t.stringList({
      nullable: true,
      description:
        "The workbook's visible sheets, in workbook order; null for text files and until the file has been opened.",
      resolve: (i) => (i.sheets.length > 0 ? i.sheets : null),
    }),
    headerRow: t.exposeInt("headerRow", {
      nullable: true,
      description: "The header row that was read, 1-based as Excel numbers rows; null until the file has been opened.",
    }),
    encoding: t.exposeString("encoding", {
      nullable: true,
      description:
        "A text file's character encoding as detected (UTF-8, UTF-16LE, UTF-16BE, windows-1252); null for workbooks.",
    }),
    delimiter: t.exposeString("delimiter", {
      nullable: true,
      description: "A text file's field separator as detected (, ; tab or |); null for workbooks.",
    }),
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

addJobQueries("Import", ImportRef, { one: "import", many: "imports" });

builder.mutationFields((t) => ({
  startImport: t.field({
    type: ImportRef,
    description:
      "Uploads a spreadsheet (multipart request) and queues its import. Returns at once, PENDING and QUEUED; " +
      "watch it with jobStatus(id) or poll import(id).",
    args: {
      templateId: t.arg.id({ required: true }),
      file: t.arg({ type: "Upload", required: true }),
      options: t.arg({ type: ImportOptionsInput, required: false }),
    },
    resolve: (_root, args, ctx) =>
      startImport(ctx, requireViewer(ctx).user.id, args.templateId, args.file, validateImportOptions(args.options)),
  }),
  retryImport: t.field({
    type: ImportRef,
    description: "Queues a FAILED import again, with its stored file. Returns it PENDING, QUEUED.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => retryImport(ctx, await findOwnJob(ctx, id, "Import")),
  }),
}));
