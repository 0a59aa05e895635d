import { cancelExport } from "../exports/cancelExport.js";
import { cancelImport } from "../imports/cancelImport.js";
import { builder } from "./builder.js";
import { ExportRef } from "./export.js";
import { ImportRef } from "./import.js";
import { findOwnJob } from "./job.js";

builder.mutationFields((t) => ({
  cancelImport: t.field({
    type: ImportRef,
    description:
      "Stops a PENDING, PROCESSING or NEEDS_REVIEW import and keeps nothing of it (no records, row errors or " +
      "file). Returns it CANCELLED; a running import's worker stops within a second. BAD_USER_INPUT in any " +
      "other state.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => cancelImport(ctx, await findOwnJob(ctx, id, "Import")),
  }),
  cancelExport: t.field({
    type: ExportRef,
    description:
      "Stops a PENDING or PROCESSING export; no file is kept. Returns it CANCELLED. BAD_USER_INPUT in any other " +
      "state.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, ctx) => cancelExport(ctx, await findOwnJob(ctx, id, "Export")),
  }),
}));
