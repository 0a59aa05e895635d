import { inferTemplate, type InferredTemplate, validateInferOptions } from "../imports/inferTemplate.js";
import { builder } from "./builder.js";
import { requireViewer } from "./context.js";
import { TemplateColumnRef } from "./importTemplate.js";

const InferredTemplateRef = builder.objectRef<InferredTemplate>("InferredTemplate").implement({
  description:
    "A template proposed for a sample file, to edit and pass to createImportTemplate; nothing of it is saved.",
  fields: (t) => ({
    sheetName: t.exposeString("sheetName", { nullable: true, description: "The worksheet read; null for csv." }),
    sheets: t.exposeStringList("sheets", {
      nullable: true,
      description: "The workbook's visible sheets in workbook order; null for csv.",
    }),
    headerRow: t.exposeInt("headerRow", { description: "The header row as Excel numbers rows (1-based)." }),
    columns: t.field({
      type: [TemplateColumnRef],
      description:
        "One per non-blank header cell, in file order, at most 200 (a template's limit): a camelCase key, the " +
        "narrowest type every value read fits (STRING when the column is empty; text such as 007 stays STRING), " +
        "required when no row read left it blank.",
      resolve: (inferred) => inferred.columns,
    }),
    sampleRows: t.field({
      type: ["JSONObject"],
      description: "The first 10 data rows as the proposed template would store them, by column key.",
      resolve: (inferred) => inferred.sampleRows,
    }),
  }),
});

builder.mutationFields((t) => ({
  inferImportTemplate: t.field({
    type: InferredTemplateRef,
    description:
      "Reads a sample spreadsheet (multipart request) up to its first 1,000 data rows after the header and " +
      "proposes a template for it. Saves nothing. The header is row headerRow (1-based), else the first of the " +
      "top rows with two or more filled cells (a title above it is passed over); sheet picks a workbook's sheet, " +
      "else the first visible one with data.",
    args: {
      file: t.arg({ type: "Upload", required: true }),
      sheet: t.arg.string({ required: false }),
      headerRow: t.arg.int({ required: false }),
    },
    resolve: (_root, { file, sheet, headerRow }, ctx) => {
      const { user } = requireViewer(ctx);
      return inferTemplate(ctx, user.id, file, validateInferOptions(sheet, headerRow));
    },
  }),
}));
