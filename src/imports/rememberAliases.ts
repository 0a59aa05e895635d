import type pg from "pg";
import { normalizeHeader } from "../spreadsheet/matchHeaders.js";
import { MAX_ALIASES, parseColumns } from "./templateColumns.js";

/** A file's header the user picked for a template column. */
export interface AliasPick {
  templateKey: string;
  header: string;
}

/** The longest header a template accepts as an alias (see validateColumns). */
const MAX_ALIAS_LENGTH = 200;

/**
 * Adds each picked header to its column's aliases in the template as it is now (not an import's
 * snapshot), so the next file from the same source matches by itself. A pick is skipped, quietly,
 * when the template is deleted, its column is gone, the header already matches that column
 * (header, key or alias, compared as {@link normalizeHeader} compares them), another column
 * answers to it, or the column has {@link MAX_ALIASES} aliases: remembering is a convenience and
 * never fails the confirm it runs in.
 *
 * The row is locked (`for update`) for the rest of `tx`, so two imports confirmed at once each
 * add their alias instead of one overwriting the other's.
 *
 * @returns The picks that were added, trimmed.
 */
export async function rememberAliases(
  tx: pg.PoolClient,
  templateId: string,
  picks: readonly AliasPick[],
): Promise<AliasPick[]> {
  if (picks.length === 0) return [];
  const {
    rows: [template],
  } = await tx.query<{ columns: unknown }>(
    "select columns from import_templates where id = $1 and deleted_at is null for update",
    [templateId],
  );
  if (!template) return [];
  const columns = parseColumns(template.columns);
  /** Normalised header text → the column answering to it. */
  const claimed = new Map<string, string>();
  for (const column of columns) {
    for (const text of [column.key, column.header, ...column.aliases]) claimed.set(normalizeHeader(text), column.key);
  }

  const added: AliasPick[] = [];
  for (const pick of picks) {
    const header = pick.header.trim();
    const column = columns.find((candidate) => candidate.key === pick.templateKey);
    const normalized = normalizeHeader(header);
    if (!column || !normalized || header.length > MAX_ALIAS_LENGTH || claimed.has(normalized)) continue;
    if (column.aliases.length >= MAX_ALIASES) continue;
    column.aliases.push(header);
    claimed.set(normalized, column.key);
    added.push({ templateKey: column.key, header });
  }
  if (added.length > 0) {
    await tx.query("update import_templates set columns = $2 where id = $1", [templateId, JSON.stringify(columns)]);
  }
  return added;
}
