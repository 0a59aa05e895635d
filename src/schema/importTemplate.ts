import { notFound } from "../errors.js";
import { isUuid } from "../db/isUuid.js";
import type { ImportTemplate } from "../generated/prisma/client.js";
import {
  COLUMN_TYPES,
  parseColumns,
  type StoredColumn,
  validateColumns,
  validateTemplate,
  validateTemplateName,
  MAX_ALIASES,
} from "../imports/templateColumns.js";
import {
  MAX_ALLOWED_VALUE_LENGTH,
  MAX_ALLOWED_VALUES,
  MAX_LENGTH_RULE,
  MAX_PATTERN_LENGTH,
  MAX_PATTERN_PROGRAM,
} from "../spreadsheet/columnRules.js";
import { builder } from "./builder.js";
import { connectionType, decodeCursor, pageSize, toConnection } from "./connection.js";
import { NodeRef } from "./node.js";
import { requireViewer, type Context } from "./context.js";
import { findOwnTemplate } from "../imports/findOwnTemplate.js";
import { checkKeyChange, MAX_KEY_COLUMNS, validateKeyColumns } from "../imports/templateKeys.js";

export const ColumnTypeEnum = builder.enumType("ColumnType", { values: COLUMN_TYPES });

const DecimalSeparatorEnum = builder.enumType("DecimalSeparator", {
  description: "How numbers written as text separate decimals; the other of . and , groups thousands.",
  values: {
    DOT: { description: "1,234.5 (and 1234.5)" },
    COMMA: { description: "1.234,5 (and 1234,5; a space also groups thousands)" },
  } as const,
});

const DateOrderEnum = builder.enumType("DateOrder", {
  description: "The order of day, month and year in dates written as text. ISO dates (2024-05-31) are always read.",
  values: {
    DMY: { description: "31/05/2024" },
    MDY: { description: "05/31/2024" },
    YMD: { description: "2024/05/31" },
  } as const,
});

/** What each column rule means, for the output and the input alike (see columnRules.ts). */
const RULE_DESCRIPTIONS = {
  allowedValues:
    "STRING only: the values a cell may hold, compared trimmed and ignoring case; the value is stored as " +
    `listed here. At most ${MAX_ALLOWED_VALUES}, each at most ${MAX_ALLOWED_VALUE_LENGTH} characters, none ` +
    "repeated (ignoring case). Null: any value.",
  min:
    'INTEGER, DECIMAL, DATE, DATETIME: the lowest value, written as the type stores its values ("0", "2.5", ' +
    '"2024-01-31", "2024-01-31T00:00:00.000Z"); other forms the type reads are accepted and stored that way. ' +
    "Null: none.",
  max: "INTEGER, DECIMAL, DATE, DATETIME: the highest value, written as for min. Null: none.",
  minLength: `STRING, EMAIL: the fewest characters (code points), 0 to ${MAX_LENGTH_RULE}. Null: none.`,
  maxLength: `STRING, EMAIL: the most characters (code points), 1 to ${MAX_LENGTH_RULE}. Null: none.`,
  pattern:
    "STRING, EMAIL: a regular expression in RE2 syntax (no backreferences or lookaround), searched in the " +
    "value as stored (text trimmed, addresses lower-cased); anchor it with ^ and $ to match the whole value. " +
    `At most ${MAX_PATTERN_LENGTH} characters, compiling to at most ${MAX_PATTERN_PROGRAM} steps. Null: none.`,
  unique: "No two rows of one file may hold the same value (blank cells excepted); the later row is an error.",
};

export const TemplateColumnRef = builder.objectRef<StoredColumn>("TemplateColumn").implement({
  fields: (t) => ({
    key: t.exposeString("key", { description: "The property name in each record's data." }),
    header: t.exposeString("header", { description: "The spreadsheet header it matches (so does key), any case." }),
    type: t.field({ type: ColumnTypeEnum, resolve: (c) => c.type }),
    required: t.exposeBoolean("required"),
    aliases: t.exposeStringList("aliases", {
      description:
        'Other headers that mean this column ("E-mail" for "Contact Email"), compared like the header. ' +
        "Confirming an import with a manual match adds its header here.",
    }),
    allowedValues: t.stringList({
      nullable: true,
      description: RULE_DESCRIPTIONS.allowedValues,
      resolve: (c) => (c.allowedValues == null ? null : [...c.allowedValues]),
    }),
    min: t.string({ nullable: true, description: RULE_DESCRIPTIONS.min, resolve: (c) => c.min ?? null }),
    max: t.string({ nullable: true, description: RULE_DESCRIPTIONS.max, resolve: (c) => c.max ?? null }),
    minLength: t.int({ nullable: true, description: RULE_DESCRIPTIONS.minLength, resolve: (c) => c.minLength ?? null }),
    maxLength: t.int({ nullable: true, description: RULE_DESCRIPTIONS.maxLength, resolve: (c) => c.maxLength ?? null }),
    pattern: t.string({ nullable: true, description: RULE_DESCRIPTIONS.pattern, resolve: (c) => c.pattern ?? null }),
    unique: t.boolean({ description: RULE_DESCRIPTIONS.unique, resolve: (c) => c.unique === true }),
  }),
});

const TemplateColumnInput = builder.inputType("TemplateColumnInput", {
  fields: (t) => ({
    key: t.string(),
    header: t.string(),
    type: t.field({ type: ColumnTypeEnum }),
    required: t.boolean({ required: false, defaultValue: false }),
    aliases: t.stringList({
      required: false,
      defaultValue: [],
      description: `Other headers that mean this column: at most ${MAX_ALIASES}, each claimed by one column only.`,
    }),
    allowedValues: t.stringList({ required: false, description: RULE_DESCRIPTIONS.allowedValues }),
    min: t.string({ required: false, description: RULE_DESCRIPTIONS.min }),
    max: t.string({ required: false, description: RULE_DESCRIPTIONS.max }),
    minLength: t.int({ required: false, description: RULE_DESCRIPTIONS.minLength }),
    maxLength: t.int({ required: false, description: RULE_DESCRIPTIONS.maxLength }),
    pattern: t.string({ required: false, description: RULE_DESCRIPTIONS.pattern }),
    unique: t.boolean({ required: false, defaultValue: false, description: RULE_DESCRIPTIONS.unique }),
  }),
});

const DuplicateRowsEnum = builder.enumType("DuplicateRows", {
  description:
    "On a template without key columns: what a row that repeats an earlier row of the same file exactly does.",
  values: {
    IMPORT: { description: "It is imported again." },
    SKIP: { description: "It is skipped and counted in Import.rowsDuplicate (the default)." },
    REJECT: { description: "It is a row error naming the earlier row." },
  } as const,
});

const KEY_COLUMNS_DESCRIPTION =
  `Column keys whose values identify a record (at most ${MAX_KEY_COLUMNS}, each a required column). With key ` +
  "columns the template has one current dataset: a row with a new key creates a record, one with a known key " +
  "and other values updates it, one with the same values leaves it unchanged; a key repeated within a file is " +
  "a row error. They cannot change once an import of the template was saved.";

const CreateImportTemplateInput = builder.inputType("CreateImportTemplateInput", {
  fields: (t) => ({
    name: t.string(),
    columns: t.field({ type: [TemplateColumnInput] }),
    keyColumns: t.stringList({ required: false, defaultValue: [], description: KEY_COLUMNS_DESCRIPTION }),
    duplicates: t.field({ type: DuplicateRowsEnum, required: false, defaultValue: "SKIP" }),
    decimalSeparator: t.field({ type: DecimalSeparatorEnum, required: false, defaultValue: "DOT" }),
    dateOrder: t.field({ type: DateOrderEnum, required: false, defaultValue: "YMD" }),
  }),
});

const UpdateImportTemplateInput = builder.inputType("UpdateImportTemplateInput", {
  description: "What to change; fields left out (or null) stay as they are. columns replaces all columns.",
  fields: (t) => ({
    name: t.string({ required: false }),
    columns: t.field({ type: [TemplateColumnInput], required: false }),
    keyColumns: t.stringList({ required: false, description: KEY_COLUMNS_DESCRIPTION }),
    duplicates: t.field({ type: DuplicateRowsEnum, required: false }),
    decimalSeparator: t.field({ type: DecimalSeparatorEnum, required: false }),
    dateOrder: t.field({ type: DateOrderEnum, required: false }),
  }),
});

export const ImportTemplateRef = builder.objectRef<ImportTemplate>("ImportTemplate").implement({
  description: "What a spreadsheet must look like: its columns, their types, and which are required.",
  interfaces: [NodeRef],
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    columns: t.field({ type: [TemplateColumnRef], resolve: (template) => parseColumns(template.columns) }),
    decimalSeparator: t.field({ type: DecimalSeparatorEnum, resolve: (template) => template.decimalSeparator }),
    dateOrder: t.field({ type: DateOrderEnum, resolve: (template) => template.dateOrder }),
    keyColumns: t.exposeStringList("keyColumns", { description: KEY_COLUMNS_DESCRIPTION }),
    duplicates: t.field({ type: DuplicateRowsEnum, resolve: (template) => template.duplicates }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

/** The template a job was made with; deleted templates too, since their jobs keep them. */
export function templateOf(ctx: Context, job: { templateId: string }): Promise<ImportTemplate> {
  return ctx.prisma.importTemplate.findUniqueOrThrow({ where: { id: job.templateId } });
}

const ImportTemplateConnection = connectionType("ImportTemplate", ImportTemplateRef, { totalCount: true });

builder.queryFields((t) => ({
  importTemplates: t.field({
    type: ImportTemplateConnection,
    description: "The viewer's templates (deleted ones left out), oldest first.",
    args: {
      first: t.arg.int({ required: false, defaultValue: 50 }),
      after: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, ctx) => {
      const first = pageSize(args.first, 50);
      const after = decodeCursor("ImportTemplate", args.after, ["timestamp", "uuid"]);
      const filter = { userId: requireViewer(ctx).user.id, deletedAt: null };
      const rows = await ctx.prisma.importTemplate.findMany({
        where: {
          ...filter,
          ...(after && { OR: [{ createdAt: { gt: after[0] } }, { createdAt: after[0], id: { gt: after[1] } }] }),
        },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: first + 1,
      });
      // one user's templates, on the (user_id, created_at) index
      const totalCount = () => ctx.prisma.importTemplate.count({ where: filter });
      return toConnection("ImportTemplate", rows, { first, after, totalCount }, (template) => [
        template.createdAt.toISOString(),
        template.id,
      ]);
    },
  }),
  importTemplate: t.field({
    type: ImportTemplateRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    description: "One of the viewer's templates; NOT_FOUND for a missing id, a deleted template or someone else's.",
    resolve: (_root, { id }, ctx) => findOwnTemplate(ctx.prisma, requireViewer(ctx).user.id, id),
  }),
}));

builder.mutationFields((t) => ({
  createImportTemplate: t.field({
    type: ImportTemplateRef,
    args: { input: t.arg({ type: CreateImportTemplateInput, required: true }) },
    resolve: (_root, { input }, ctx) => {
      const viewer = requireViewer(ctx);
      const { name, columns } = validateTemplate(input.name, input.columns);
      const keyColumns = validateKeyColumns(input.keyColumns ?? [], columns);
      return ctx.prisma.importTemplate.create({
        data: {
          userId: viewer.user.id,
          name,
          columns: columns.map((c) => ({ ...c })),
          keyColumns,
          duplicates: input.duplicates ?? "SKIP",
          decimalSeparator: input.decimalSeparator ?? "DOT",
          dateOrder: input.dateOrder ?? "YMD",
        },
      });
    },
  }),
  updateImportTemplate: t.field({
    type: ImportTemplateRef,
    description:
      "Changes one of the viewer's templates, checked as createImportTemplate checks it. Imports already " +
      "started keep the columns and locale they started with. NOT_FOUND for a missing id, a deleted " +
      "template or someone else's.",
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: UpdateImportTemplateInput, required: true }),
    },
    resolve: async (_root, { id, input }, ctx) => {
      const viewer = requireViewer(ctx);
      const template = await findOwnTemplate(ctx.prisma, viewer.user.id, id);
      const columns = input.columns != null ? validateColumns(input.columns) : parseColumns(template.columns);
      const keyColumns = validateKeyColumns(input.keyColumns ?? template.keyColumns, columns);
      await checkKeyChange(ctx.db.pool, template, { keyColumns, columns });
      const { count } = await ctx.prisma.importTemplate.updateMany({
        where: { id: template.id, deletedAt: null },
        data: {
          ...(input.name != null && { name: validateTemplateName(input.name) }),
          ...(input.columns != null && { columns: columns.map((c) => ({ ...c })) }),
          keyColumns,
          ...(input.duplicates != null && { duplicates: input.duplicates }),
          ...(input.decimalSeparator != null && { decimalSeparator: input.decimalSeparator }),
          ...(input.dateOrder != null && { dateOrder: input.dateOrder }),
        },
      });
      // deleted between the two statements
      if (count === 0) throw notFound("Template");
      return ctx.prisma.importTemplate.findUniqueOrThrow({ where: { id: template.id } });
    },
  }),
  deleteImportTemplate: t.boolean({
    description: "Removes a template from use. Imports made with it keep it, and their records.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => {
      const viewer = requireViewer(ctx);
      const { count } = isUuid(id)
        ? await ctx.prisma.importTemplate.updateMany({
            where: { id, userId: viewer.user.id, deletedAt: null },
            data: { deletedAt: new Date() },
          })
        : { count: 0 };
      if (count === 0) throw notFound("Template");
      return true;
    },
  }),
}));
