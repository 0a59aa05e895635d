import { signedPath } from "../auth/downloadTokens.js";
import { signingSecret } from "../auth/signingSecret.js";
import type { Import, ImportRowError, Record as ImportedRecord } from "../generated/prisma/client.js";
import { findOwnTemplate } from "../imports/findOwnTemplate.js";
import { validateImportOptions } from "../imports/importOptions.js";
import { retryImport } from "../imports/retryImport.js";
import { confirmImport, updateImportMapping } from "../imports/reviewImport.js";
import { startImport } from "../imports/startImport.js";
import { parseColumns } from "../imports/templateColumns.js";
import type { ColumnMapping, SourceColumn } from "../spreadsheet/index.js";
import { isJobOfKind } from "../jobs/jobKinds.js";
import { importChanges, type ImportChangeRow } from "../imports/importChanges.js";
import { builder } from "./builder.js";
import { connectionType, decodeCursor, pageSize, toConnection } from "./connection.js";
import { requireViewer } from "./context.js";
import { ColumnTypeEnum, ImportTemplateRef, templateOf } from "./importTemplate.js";
import { addJobQueries, findOwnJob, JobRef } from "./job.js";
import { NodeRef } from "./node.js";

const ImportPhaseEnum = builder.enumType("ImportPhase", {
  values: ["QUEUED", "PARSING", "VALIDATING", "SAVING", "DONE"] as const,
});

const MatchKindEnum = builder.enumType("MatchKind", {
  description: "How a template column found the file's column that fills it.",
  values: {
    EXACT: { description: "Its header or key, ignoring case, spaces and punctuation." },
    ALIAS: { description: "One of its aliases." },
    FUZZY: { description: "A similar header (see score)." },
    MANUAL: { description: "Chosen by a person (options.mapping, updateImportMapping)." },
    NONE: { description: "Nothing: the column stays empty." },
  } as const,
});

const SourceColumnRef = builder.objectRef<SourceColumn>("SourceColumn").implement({
  description: "A column of the uploaded file, as its header row names it.",
  fields: (t) => ({
    index: t.exposeInt("index", { description: "0-based: column A is 0." }),
    header: t.exposeString("header"),
    samples: t.exposeStringList("samples", {
      description: "The first 5 non-blank values, as text, from the first 1,000 data rows.",
    }),
    detectedType: t.field({
      type: ColumnTypeEnum,
      nullable: true,
      description:
        "The narrowest type every non-blank value in the first 1,000 data rows fits; null when they are all blank.",
      resolve: (column) => column.detectedType,
    }),
  }),
});

const ColumnMappingRef = builder.objectRef<ColumnMapping>("ColumnMapping").implement({
  description: "Which column of the file fills one template column.",
  fields: (t) => ({
    templateKey: t.exposeString("templateKey"),
    templateHeader: t.exposeString("templateHeader"),
    required: t.exposeBoolean("required"),
    sourceIndex: t.exposeInt("sourceIndex", { nullable: true, description: "0-based; null when nothing fills it." }),
    sourceHeader: t.exposeString("sourceHeader", { nullable: true }),
    match: t.field({ type: MatchKindEnum, resolve: (m) => m.match }),
    score: t.exposeFloat("score", {
      nullable: true,
      description: "How alike the headers are, 0 to 1: 1 for EXACT and ALIAS; null for MANUAL and NONE.",
    }),
  }),
});

const ColumnMappingInput = builder.inputType("ColumnMappingInput", {
  description: "A person's choice for one template column.",
  fields: (t) => ({
    templateKey: t.string({ required: true }),
    sourceIndex: t.int({
      required: false,
      description: "The file's column (0-based, see Import.sourceColumns); null leaves the template column empty.",
    }),
  }),
});

export const ImportModeEnum = builder.enumType("ImportMode", {
  description: "What an import of a template with key columns may do to its dataset.",
  values: {
    CREATE_OR_UPDATE: { description: "Create records with new keys and update those whose key exists (the default)." },
    CREATE_ONLY: { description: "Only create: a row whose key exists with other values is a row error." },
    UPDATE_ONLY: { description: "Only update: a row whose key is new is a row error." },
  } as const,
});

const ChangeKindEnum = builder.enumType("ChangeKind", {
  values: {
    CREATED: { description: "A new record (a new key, or any saved row on a template without key columns)." },
    UPDATED: { description: "The record with this key had other values." },
    UNCHANGED: { description: "The record with this key already had these values." },
  } as const,
});

const ImportChangeRef = builder.objectRef<ImportChangeRow>("ImportChange").implement({
  description: "What one row of an import did (or, in review, would do) to its template's records.",
  fields: (t) => ({
    rowNumber: t.exposeInt("rowNumber", { description: "The row number as Excel shows it (1-based)." }),
    kind: t.field({ type: ChangeKindEnum, resolve: (c) => c.kind }),
    key: t.field({
      type: "JSONObject",
      nullable: true,
      description: "The key columns' values, by column key; null on a template without key columns.",
      resolve: (c) => c.key as Record<string, unknown> | null,
    }),
    before: t.field({
      type: "JSONObject",
      nullable: true,
      description: "The record's values before (null when CREATED).",
      resolve: (c) => c.before as Record<string, unknown> | null,
    }),
    after: t.field({
      type: "JSONObject",
      description: "The record's values after, as the row gives them.",
      resolve: (c) => c.after as Record<string, unknown>,
    }),
  }),
});

const ImportChangeConnection = connectionType("ImportChange", ImportChangeRef, { totalCount: true });

const ImportOptionsInput = builder.inputType("ImportOptions", {
  description: "How to read an uploaded file, where the defaults do not fit.",
  fields: (t) => ({
    mode: t.field({
      type: ImportModeEnum,
      required: false,
      description:
        "On a template with key columns: which changes the import may make (default CREATE_OR_UPDATE). Rows " +
        "outside it are row errors. Other modes need key columns.",
    }),
    mapping: t.field({
      type: [ColumnMappingInput],
      required: false,
      description: "The file's column for some template columns; the others are matched by their headers.",
    }),
    dryRun: t.boolean({
      required: false,
      defaultValue: false,
      description:
        "Read and validate the whole file, save nothing, and stop at NEEDS_REVIEW with the counts, errors and " +
        "mapping; then confirmImport, updateImportMapping or cancelImport.",
    }),
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

const ImportRecordRef = builder.objectRef<ImportedRecord>("ImportRecord").implement({
  description: "An imported row.",
  interfaces: [NodeRef],
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

const ImportRowErrorConnection = connectionType("ImportRowError", ImportRowErrorRef, { totalCount: true });
const ImportRecordConnection = connectionType("ImportRecord", ImportRecordRef, { totalCount: true });

export const ImportRef = builder.objectRef<Import>("Import").implement({
  interfaces: [JobRef, NodeRef],
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
    dryRun: t.boolean({
      description: "Saves nothing and stops at NEEDS_REVIEW (see ImportOptions.dryRun).",
      resolve: (i) => (i.options as { dryRun?: boolean }).dryRun === true,
    }),
    sourceColumns: t.field({
      type: [SourceColumnRef],
      description: "The file's columns, with sample values; empty until the file has been opened.",
      resolve: (i) => i.sourceColumns as unknown as SourceColumn[],
    }),
    mapping: t.field({
      type: [ColumnMappingRef],
      description:
        "One entry per template column (as the import started with it), in template order: the file's column " +
        "that fills it. Empty until the file has been opened.",
      resolve: (i) => i.mapping as unknown as ColumnMapping[],
    }),
    rowsTotal: t.exposeInt("rowsTotal", { nullable: true, description: "Known once the whole file was read." }),
    rowsProcessed: t.exposeInt("rowsProcessed"),
    rowsImported: t.exposeInt("rowsImported", {
      description: "Rows saved; in NEEDS_REVIEW, the rows that confirmImport would save.",
    }),
    rowsFailed: t.exposeInt("rowsFailed"),
    mode: t.field({
      type: ImportModeEnum,
      resolve: (i) =>
        (i.options as { mode?: "CREATE_OR_UPDATE" | "CREATE_ONLY" | "UPDATE_ONLY" }).mode ?? "CREATE_OR_UPDATE",
    }),
    rowsCreated: t.exposeInt("rowsCreated", {
      description:
        "Rows that created a record (every saved row on a template without key columns); in NEEDS_REVIEW, would create.",
    }),
    rowsUpdated: t.exposeInt("rowsUpdated", { description: "Rows that changed the record with their key." }),
    rowsUnchanged: t.exposeInt("rowsUnchanged", {
      description: "Rows whose key's record already had their values: saved, nothing changed.",
    }),
    rowsDuplicate: t.exposeInt("rowsDuplicate", {
      description: "Rows repeating an earlier row of the file exactly, skipped (the template's duplicates: SKIP).",
    }),
    changes: t.field({
      type: ImportChangeConnection,
      description:
        "What each saved row did (in NEEDS_REVIEW: would do) to the template's records, in row order; `kind` " +
        "keeps one kind.",
      args: {
        first: t.arg.int({ required: false, defaultValue: 50 }),
        after: t.arg.string({ required: false }),
        kind: t.arg({ type: ChangeKindEnum, required: false }),
      },
      resolve: async (i, args, ctx) => {
        const first = pageSize(args.first, 50);
        const after = decodeCursor("ImportChange", args.after, ["int"]);
        const rows = await importChanges(ctx.db.pool, i, args.kind ?? null, after?.[0] ?? 0, first + 1);
        // the counts commit with the changes
        const counts = { CREATED: i.rowsCreated, UPDATED: i.rowsUpdated, UNCHANGED: i.rowsUnchanged };
        const total = args.kind ? counts[args.kind] : counts.CREATED + counts.UPDATED + counts.UNCHANGED;
        return toConnection("ImportChange", rows, { first, after, totalCount: async () => total }, (c) => [
          c.rowNumber,
        ]);
      },
    }),
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
        const after = decodeCursor("ImportRowError", args.after, ["int", "bigint"]);
        const rows = await ctx.prisma.importRowError.findMany({
          where: {
            importId: i.id,
            ...(after && {
              OR: [{ rowNumber: { gt: after[0] } }, { rowNumber: after[0], id: { gt: after[1] } }],
            }),
          },
          orderBy: [{ rowNumber: "asc" }, { id: "asc" }],
          take: first + 1,
        });
        const totalCount = () => ctx.prisma.importRowError.count({ where: { importId: i.id } });
        return toConnection("ImportRowError", rows, { first, after, totalCount }, (e) => [e.rowNumber, String(e.id)]);
      },
    }),
    records: t.field({
      type: ImportRecordConnection,
      description: "The imported rows, in row order.",
      args: { first: t.arg.int({ required: false, defaultValue: 50 }), after: t.arg.string({ required: false }) },
      resolve: async (i, args, ctx) => {
        const first = pageSize(args.first, 50);
        const after = decodeCursor("ImportRecord", args.after, ["int"]);
        const rows = await ctx.prisma.record.findMany({
          where: { importId: i.id, ...(after && { rowNumber: { gt: after[0] } }) },
          orderBy: { rowNumber: "asc" },
          take: first + 1,
        });
        // records exist once the import is saved, and then rowsImported counts them
        const totalCount = async () => (i.status === "COMPLETED" ? i.rowsImported : 0);
        return toConnection("ImportRecord", rows, { first, after, totalCount }, (r) => [r.rowNumber]);
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
      "watch it with jobStatus(id) or poll import(id). A required column the file lacks (after matching by " +
      "header, alias and similarity) fails it, or with dryRun stops it at NEEDS_REVIEW, with mapping and " +
      "sourceColumns filled in.",
    args: {
      templateId: t.arg.id({ required: true }),
      file: t.arg({ type: "Upload", required: true }),
      options: t.arg({ type: ImportOptionsInput, required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const userId = requireViewer(ctx).user.id;
      const template = await findOwnTemplate(ctx.prisma, userId, args.templateId);
      const options = validateImportOptions(args.options, parseColumns(template.columns), template.keyColumns);
      return startImport(ctx, userId, template, args.file, options);
    },
  }),
  retryImport: t.field({
    type: ImportRef,
    description:
      "Runs a FAILED import, one in NEEDS_REVIEW, or one left PROCESSING by a worker that stopped, again from its " +
      "stored file. Options given replace the ones it ran with (dryRun too: false unless given, but an import in " +
      "review stays a dry run); without options it runs as before. Returns it PENDING, QUEUED.",
    args: { id: t.arg.id({ required: true }), options: t.arg({ type: ImportOptionsInput, required: false }) },
    resolve: async (_root, { id, options }, ctx) => {
      const found = await findOwnJob(ctx, id, "Import");
      const columns = parseColumns(found.templateColumns);
      return retryImport(ctx, found, options ? validateImportOptions(options, columns, found.keyColumns) : null);
    },
  }),
  updateImportMapping: t.field({
    type: ImportRef,
    description:
      "Checks an import in NEEDS_REVIEW again with the file columns a person chose (template columns left out are " +
      "matched by header); it runs as a dry run and comes back to NEEDS_REVIEW.",
    args: {
      id: t.arg.id({ required: true }),
      mapping: t.arg({ type: [ColumnMappingInput], required: true }),
    },
    resolve: async (_root, { id, mapping }, ctx) =>
      updateImportMapping(ctx, await findOwnJob(ctx, id, "Import"), mapping),
  }),
  confirmImport: t.field({
    type: ImportRef,
    description:
      "Saves an import in NEEDS_REVIEW: exactly the rows the dry run counted (PENDING → PROCESSING → COMPLETED). " +
      "With rememberMapping, each header picked by hand becomes an alias of its template column.",
    args: {
      id: t.arg.id({ required: true }),
      rememberMapping: t.arg.boolean({ required: false, defaultValue: true }),
    },
    resolve: async (_root, { id, rememberMapping }, ctx) =>
      confirmImport(ctx, await findOwnJob(ctx, id, "Import"), rememberMapping ?? true),
  }),
}));
