import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { withTransaction } from "../db/withTransaction.js";
import { UserError } from "../errors.js";
import type { Import } from "../generated/prisma/client.js";
import type { ColumnMapping, SourceColumn } from "../spreadsheet/index.js";
import type { ChangeKind } from "./datasetChanges.js";
import { validateMapping, type ImportOptionsInput } from "./importOptions.js";
import { rememberAliases } from "./rememberAliases.js";
import { parseColumns } from "./templateColumns.js";
import { notRequeued, requeueImport } from "./retryImport.js";

type Deps = { db: Database; config: Config };

const IN_REVIEW: readonly Import["status"][] = ["NEEDS_REVIEW"];

/**
 * Runs an import in review again as a dry run with the mapping a person chose (the template
 * columns it leaves out are matched by header again); it comes back to NEEDS_REVIEW.
 */
export function updateImportMapping(
  { db, config }: Deps,
  found: Import,
  input: NonNullable<ImportOptionsInput["mapping"]>,
): Promise<Import> {
  const columns = parseColumns(found.templateColumns);
  const sources = found.sourceColumns as unknown as SourceColumn[];
  // the file's columns are known once it was read; until then matchHeaders checks them
  const indexes = sources.length > 0 ? new Set(sources.map((source) => source.index)) : undefined;
  const mapping = validateMapping(input, columns, "mapping", indexes);
  return withTransaction(db.pool, async (tx) => {
    const queued = await requeueImport(tx, config, found.id, IN_REVIEW, "options || $2::jsonb", {
      mapping,
      dryRun: true,
    });
    if (!queued) throw await notRequeued(tx, found.id, "re-mapped", IN_REVIEW);
    return queued;
  });
}

/**
 * Saves an import in review: the same file, template snapshot and mapping run again without
 * `dryRun`, and must give the counts the dry run showed (see importJob), so the rows saved are the
 * rows previewed. With `rememberMapping`, each header the person picked by hand (MANUAL) becomes
 * an alias of its template column, so the next file from the same source maps itself.
 */
export function confirmImport({ db, config }: Deps, found: Import, rememberMapping: boolean): Promise<Import> {
  return withTransaction(db.pool, async (tx) => {
    const {
      rows: [review],
    } = await tx.query<{
      rows_total: number | null;
      rows_imported: number;
      error_message: string | null;
      changes: Record<ChangeKind, number>;
    }>(
      `select rows_total, rows_imported, error_message,
         json_build_object('CREATED', rows_created, 'UPDATED', rows_updated, 'UNCHANGED', rows_unchanged) as changes
       from imports where id = $1 and status = 'NEEDS_REVIEW' for update`,
      [found.id],
    );
    if (review && (review.rows_total === null || review.rows_imported === 0)) {
      throw new UserError(
        "BAD_USER_INPUT",
        `There is nothing to import yet. ${review.error_message ?? "No row is valid."} Fix the mapping and check again.`,
      );
    }
    const confirmed = await requeueImport(tx, config, found.id, IN_REVIEW, "options || $2::jsonb", {
      dryRun: false,
      preview: review && { rowsTotal: review.rows_total, rowsImported: review.rows_imported, changes: review.changes },
    });
    if (!confirmed) throw await notRequeued(tx, found.id, "confirmed", IN_REVIEW);
    if (rememberMapping) {
      const picks = (confirmed.mapping as unknown as ColumnMapping[]).flatMap((m) =>
        m.match === "MANUAL" && m.sourceHeader !== null ? [{ templateKey: m.templateKey, header: m.sourceHeader }] : [],
      );
      await rememberAliases(tx, confirmed.templateId, picks);
    }
    return confirmed;
  });
}
