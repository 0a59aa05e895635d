import { PermanentImportError } from "./permanentImportError.js";
import type { HeaderMatch, MatchedColumn, TemplateColumn } from "./types.js";

/** How a template column found its source column. */
export type MatchKind = "EXACT" | "ALIAS" | "FUZZY" | "MANUAL" | "NONE";

/** Which column of the file fills one template column, and why. */
export interface ColumnMapping {
  templateKey: string;
  templateHeader: string;
  required: boolean;
  /** 0-based index of the file's column, or `null` when the template column stays empty. */
  sourceIndex: number | null;
  /** That column's header as written (trimmed). */
  sourceHeader: string | null;
  match: MatchKind;
  /** How alike the headers are, 0 to 1: 1 for EXACT and ALIAS, the similarity for FUZZY, else null. */
  score: number | null;
}

/** A person's choice for one template column; `sourceIndex: null` leaves it empty. */
export interface ColumnPick {
  templateKey: string;
  sourceIndex: number | null;
}

/** Below this similarity a header is not offered as a FUZZY match. */
export const FUZZY_THRESHOLD = 0.7;
/** Below this similarity a header is not even named as the closest to a missing column. */
const CLOSEST_FLOOR = 0.4;
/**
 * Fuzzy matching compares every header with every name of every column (header, key, aliases);
 * past this many comparisons (a sheet thousands of columns wide) it is skipped.
 */
const MAX_FUZZY_PAIRS = 20_000;
/** Longer header text adds nothing to the comparison but time. */
const MAX_FUZZY_LENGTH = 100;

/**
 * Finds each template column in a header row, one-to-one (a file column fills at most one template
 * column), in rounds:
 * 1. ALIAS: one of the column's aliases equals a header cell after {@link normalizeHeader}. An
 *    alias is a person's word for the column (often remembered from their own choice), so it wins
 *    over a header that merely looks the same;
 * 2. EXACT: the column's header, then its key, does ("unit_price" = "Unit Price" = "unitPrice");
 *    a column's header beats another column's key;
 * 3. FUZZY: the most alike remaining pairs first, by {@link headerSimilarity}, down to
 *    {@link FUZZY_THRESHOLD}. A pair with a rival nearly as alike (two prices for one price
 *    column, one "Date" for two date columns) is left for a person to choose.
 * `picks` come first and win: such a column is MANUAL, unless the header picked would have
 * matched EXACT or ALIAS anyway.
 *
 * Nothing is thrown: `problem` says why the file cannot be imported with this mapping (required
 * columns unmatched, two header cells that both claim a column, a pick outside the file).
 *
 * @param headers The header row's cells as text, by 0-based column index (`null` for empty cells).
 * @param rowNumber The header's row number, recorded in the result and named in messages unless
 *   it is row 1, where everyone looks first.
 */
export function matchHeaders(
  headers: readonly (string | null | undefined)[],
  columns: readonly TemplateColumn[],
  rowNumber = 1,
  picks: readonly ColumnPick[] = [],
): HeaderMatch {
  const sources: Source[] = headers.flatMap((text, index) => {
    const header = text?.trim();
    return header ? [{ index, header, key: normalizeHeader(header) }] : [];
  });
  const byKey = new Map<string, Source[]>();
  for (const source of sources) {
    const list = byKey.get(source.key);
    if (list) list.push(source);
    else byKey.set(source.key, [source]);
  }
  const mapping: ColumnMapping[] = columns.map((column) => ({
    templateKey: column.key,
    templateHeader: column.header,
    required: column.required,
    sourceIndex: null,
    sourceHeader: null,
    match: "NONE",
    score: null,
  }));
  const taken = new Set<number>();
  const assign = (at: number, source: Source, match: MatchKind, score: number | null) => {
    mapping[at] = { ...mapping[at]!, sourceIndex: source.index, sourceHeader: source.header, match, score };
    taken.add(source.index);
  };
  let problem: PermanentImportError | null = null;

  const picked = new Set<number>();
  for (const pick of picks) {
    const at = columns.findIndex((column) => column.key === pick.templateKey);
    if (at < 0) continue; // checked where the picks come in; a template edited since has dropped it
    picked.add(at);
    if (pick.sourceIndex === null) {
      mapping[at] = { ...mapping[at]!, match: "MANUAL" };
      continue;
    }
    const source = sources.find((s) => s.index === pick.sourceIndex);
    if (!source) {
      problem ??= new PermanentImportError(
        "BAD_MAPPING",
        `The mapping puts column ${columnLetter(pick.sourceIndex)} into “${columns[at]!.header}”, ` +
          `but the file has no header in column ${columnLetter(pick.sourceIndex)}. ` +
          `Its headers are: ${describeHeaders(sources)}.`,
      );
      continue;
    }
    const kind = exactOrAlias(columns[at]!, source.key);
    assign(at, source, kind ?? "MANUAL", kind ? 1 : null);
  }

  const rounds: Array<[MatchKind, (column: TemplateColumn) => readonly string[]]> = [
    ["ALIAS", (column) => column.aliases ?? []],
    ["EXACT", (column) => [column.header]],
    ["EXACT", (column) => [column.key]],
  ];
  // the header cells each column answers to, by kind: two of one kind make the column ambiguous
  const claims = new Map<string, Set<number>>();
  for (const [kind, texts] of rounds) {
    columns.forEach((column, at) => {
      if (picked.has(at)) return;
      const claim = `${kind} ${at}`;
      for (const text of texts(column)) {
        for (const source of byKey.get(normalizeHeader(text)) ?? []) {
          if (!claims.has(claim)) claims.set(claim, new Set());
          claims.get(claim)!.add(source.index);
          if (mapping[at]!.match === "NONE" && !taken.has(source.index)) assign(at, source, kind, 1);
        }
      }
    });
  }
  columns.forEach((column, at) => {
    const { match, sourceIndex } = mapping[at]!;
    const rivals = [...(claims.get(`${match} ${at}`) ?? [])].filter((index) => index !== sourceIndex);
    const rival = rivals.find((index) => !taken.has(index));
    if (picked.has(at) || sourceIndex === null || rival === undefined) return;
    const [first, second] = sourceIndex < rival ? [sourceIndex, rival] : [rival, sourceIndex];
    problem ??= new PermanentImportError(
      "DUPLICATE_COLUMN",
      `The column “${column.header}” appears twice in the header row ` +
        `(columns ${columnLetter(first)} and ${columnLetter(second)}). ` +
        "Remove or rename one of them, or choose one in the mapping.",
    );
  });

  const candidates = fuzzyCandidates(
    columns,
    sources.filter((source) => !taken.has(source.index)),
    (at) => mapping[at]!.match === "NONE" && !picked.has(at),
  );
  for (const { at, source, score } of unambiguous(candidates, mapping, taken))
    assign(at, source, "FUZZY", round(score));

  if (columns.length > 0 && mapping.every((m) => m.sourceIndex === null) && picks.length === 0) {
    problem = new PermanentImportError(
      "MISSING_COLUMNS",
      `None of the expected columns were found in the header row (row ${rowNumber}). ` +
        `Expected: ${columns.map((column) => column.header).join(", ")}. ` +
        `The row holds: ${describeHeaders(sources)}.`,
    );
  }
  const missing = mapping.filter((m) => m.required && m.sourceIndex === null);
  if (missing.length > 0 && !problem) {
    const sentences: string[] = [];
    const notFound = missing.filter((m) => m.match === "NONE");
    if (notFound.length > 0) {
      const where = rowNumber === 1 ? "" : ` in the header row (row ${rowNumber})`;
      const closest = notFound.flatMap((m) => {
        const best = candidates.find((c) => columns[c.at]!.key === m.templateKey && c.score >= CLOSEST_FLOOR);
        return best ? [`“${best.source.header}” for ${m.templateHeader} (${Math.round(best.score * 100)}% alike)`] : [];
      });
      sentences.push(
        `Missing required column(s)${where}: ${notFound.map((m) => m.templateHeader).join(", ")}.`,
        `The file's headers are: ${describeHeaders(sources)}.`,
        ...(closest.length > 0 ? [`Closest: ${closest.join("; ")}.`] : []),
      );
    }
    const leftEmpty = missing.filter((m) => m.match === "MANUAL");
    if (leftEmpty.length > 0) {
      sentences.push(
        `The mapping leaves required column(s) empty: ${leftEmpty.map((m) => m.templateHeader).join(", ")}.`,
      );
    }
    problem = new PermanentImportError("MISSING_COLUMNS", sentences.join(" "));
  }

  const matched: MatchedColumn[] = columns.map((column, at) => ({
    column,
    index: mapping[at]!.sourceIndex,
    sourceHeader: mapping[at]!.sourceHeader,
  }));
  const ignoredHeaders = sources.filter((source) => !taken.has(source.index)).map((source) => source.header);
  return { rowNumber, columns: matched, ignoredHeaders, mapping, problem };
}

/** A non-blank header cell. */
interface Source {
  index: number;
  header: string;
  /** The header as {@link normalizeHeader} compares it. */
  key: string;
}

/** Letters at least this alike, taken as a whole, are the same header mistyped. */
const TYPO_SIMILARITY = 0.85;

/** How much more alike the best pair must be than its rival to be taken without asking. */
const AMBIGUITY_MARGIN = 0.05;

/**
 * The FUZZY pairs to take, best first, each above {@link FUZZY_THRESHOLD} and clear of rivals: a
 * column with another free header nearly as alike, or a header nearly as alike to another open
 * column, is skipped (the column stays NONE, and the header stays free for nobody else's sake).
 */
function unambiguous(candidates: readonly Candidate[], mapping: readonly ColumnMapping[], taken: ReadonlySet<number>) {
  const byColumn = new Map<number, Candidate[]>();
  const bySource = new Map<number, Candidate[]>();
  for (const candidate of candidates) {
    if (candidate.score < FUZZY_THRESHOLD - AMBIGUITY_MARGIN) break;
    for (const [map, key] of [
      [byColumn, candidate.at],
      [bySource, candidate.source.index],
    ] as const) {
      const list = map.get(key);
      if (list) list.push(candidate);
      else map.set(key, [candidate]);
    }
  }
  const usedSources = new Set(taken);
  const doneColumns = new Set<number>();
  const blockedSources = new Set<number>();
  const chosen: Candidate[] = [];
  const open = (c: Candidate) =>
    mapping[c.at]!.match === "NONE" &&
    !doneColumns.has(c.at) &&
    !usedSources.has(c.source.index) &&
    !blockedSources.has(c.source.index);
  for (const candidate of candidates) {
    if (candidate.score < FUZZY_THRESHOLD) break;
    if (!open(candidate)) continue;
    const near = (other: Candidate) =>
      other !== candidate && other.score >= candidate.score - AMBIGUITY_MARGIN && open(other);
    if (byColumn.get(candidate.at)!.some(near)) {
      doneColumns.add(candidate.at); // two headers fit this column about equally
      continue;
    }
    if (bySource.get(candidate.source.index)!.some(near)) {
      blockedSources.add(candidate.source.index); // this header fits two columns about equally
      continue;
    }
    chosen.push(candidate);
    doneColumns.add(candidate.at);
    usedSources.add(candidate.source.index);
  }
  return chosen;
}

/** How well a row would do as the header, see {@link scoreHeaders}. */
export interface HeaderScore {
  /** Each template column the row has counts 1, a required one 2. */
  score: number;
  /** The row has every required column, and at least one column: {@link matchHeaders} takes it. */
  complete: boolean;
}

/**
 * Rates a row as the header, for finding it below a title: the columns {@link matchHeaders} finds
 * in it, required ones counting double.
 */
export function scoreHeaders(
  headers: readonly (string | null | undefined)[],
  columns: readonly TemplateColumn[],
): HeaderScore {
  const { mapping } = matchHeaders(headers, columns);
  let score = 0;
  let complete = true;
  for (const m of mapping) {
    if (m.sourceIndex !== null) score += m.required ? 2 : 1;
    else if (m.required) complete = false;
  }
  return { score, complete: complete && score > 0 };
}

function exactOrAlias(column: TemplateColumn, key: string): "EXACT" | "ALIAS" | null {
  if (normalizeHeader(column.header) === key || normalizeHeader(column.key) === key) return "EXACT";
  if ((column.aliases ?? []).some((alias) => normalizeHeader(alias) === key)) return "ALIAS";
  return null;
}

interface Candidate {
  at: number;
  source: Source;
  score: number;
}

/** Every (column, header) pair's similarity, most alike first; ties keep template, then file order. */
function fuzzyCandidates(
  columns: readonly TemplateColumn[],
  sources: readonly Source[],
  open: (at: number) => boolean,
): Candidate[] {
  const names = columns.map((column) => [column.header, column.key, ...(column.aliases ?? [])].map(meaningfulWords));
  if (sources.length * names.reduce((sum, list) => sum + list.length, 0) > MAX_FUZZY_PAIRS) return [];
  const texts = sources.map((source) => comparable(source.header.slice(0, MAX_FUZZY_LENGTH)));
  const candidates: Candidate[] = [];
  columns.forEach((_column, at) => {
    if (!open(at)) return;
    sources.forEach((source, i) => {
      const score = Math.max(...names[at]!.map((name) => similarityTo(texts[i]!, name)));
      if (score > 0) candidates.push({ at, source, score });
    });
  });
  return candidates.sort((a, b) => b.score - a.score || a.at - b.at || a.source.index - b.source.index);
}

/**
 * How alike two headers are, 0 to 1: the better of comparing their words (each word matched to
 * its most alike word, allowing typos and abbreviations like "Qty" for "Quantity") and comparing
 * their letters as a whole. Text in brackets is a unit or a note ("Price (USD)"), so the header
 * is also tried without it, at a small discount.
 */
export function headerSimilarity(a: string, b: string): number {
  return similarityTo(comparable(a), meaningfulWords(b));
}

/** A header's words, and its words without what is in brackets when that differs. */
function comparable(text: string): { words: string[]; plain: string[] | null } {
  const plain = text.replace(/\([^)]*\)|\[[^\]]*\]/g, " ");
  return { words: meaningfulWords(text), plain: plain === text ? null : meaningfulWords(plain) };
}

function similarityTo(text: { words: string[]; plain: string[] | null }, target: string[]): number {
  const whole = similarity(text.words, target);
  return text.plain ? Math.max(whole, 0.95 * similarity(text.plain, target)) : whole;
}

/**
 * How well header words `a` stand for column words `b`: the words matched, weighted towards how
 * much of `a` they explain. A header with words the column lacks ("SKU Description" for "SKU") is
 * likely another thing; one that lacks some of the column's words ("Price" for "Unit Price") is
 * likely the same thing said shorter.
 */
function similarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const [joinedA, joinedB] = [a.join(""), b.join("")];
  // letters as a whole catch a typo across words; a few letters off in a short header ("Net price"
  // for "Unit Price") is another word, not a typo
  const lettersAlike = 1 - editDistance(joinedA, joinedB) / Math.max(joinedA.length, joinedB.length);
  const letters = lettersAlike >= TYPO_SIMILARITY ? lettersAlike : 0;
  // each word of the shorter side takes its most alike free word of the other
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const free = [...long];
  let matched = 0;
  for (const word of short) {
    let best = 0;
    let bestAt = -1;
    free.forEach((other, at) => {
      const score = wordSimilarity(word, other);
      if (score > best) [best, bestAt] = [score, at];
    });
    if (bestAt >= 0) {
      matched += best;
      free.splice(bestAt, 1);
    }
  }
  if (matched === 0) return letters;
  // F-measure with β = ½: explaining the header counts four times as much as covering the column
  const precision = matched / a.length;
  const recall = matched / b.length;
  return Math.max(letters, (1.25 * precision * recall) / (0.25 * precision + recall));
}

/** 1 for equal words, 0.8 for an abbreviation, else by typos; 0 below three-quarters alike. */
function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  // an abbreviation: "Qty" for "quantity", "Desc" for "description" (two letters say too little)
  if (short.length >= 3 && short[0] === long[0] && isSubsequence(short, long)) return 0.8;
  // at least a quarter of the longer word would have to be inserted
  if (long.length - short.length > long.length / 4) return 0;
  const score = 1 - editDistance(a, b) / long.length;
  return score >= 0.75 ? score : 0;
}

function isSubsequence(short: string, long: string): boolean {
  let at = 0;
  for (const char of long) if (char === short[at]) at++;
  return at === short.length;
}

/** The longest text {@link editDistance} compares; template headers and aliases are at most 200 characters. */
const MAX_EDIT_LENGTH = 256;
// three rows of the distance table, reused: the comparison runs thousands of times per header row
const rows = [0, 1, 2].map(() => new Uint16Array(MAX_EDIT_LENGTH + 1));

/** Edits (insert, delete, replace, swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  if (a.length > MAX_EDIT_LENGTH) a = a.slice(0, MAX_EDIT_LENGTH);
  if (b.length > MAX_EDIT_LENGTH) b = b.slice(0, MAX_EDIT_LENGTH);
  let [before, previous, row] = rows as [Uint16Array, Uint16Array, Uint16Array];
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row[j] = d;
    }
    [before, previous, row] = [previous, row, before];
  }
  return previous[b.length]!;
}

/**
 * A header's words: accents dropped, camelCase split, lower-cased, split at anything but letters
 * and digits; a hyphen or apostrophe inside a word joins ("E-mail" is "email").
 */
function headerWords(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2")
    .replace(/(\p{L})[-'’](\p{L})/gu, "$1$2")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** Words that say nothing about what a column holds ("Price per unit" is "Price unit"). */
const FILLER_WORDS = new Set(["a", "an", "and", "by", "for", "in", "of", "per", "the"]);

/** A header's words as fuzzy matching weighs them: without {@link FILLER_WORDS}, unless that is all. */
function meaningfulWords(text: string): string[] {
  const words = headerWords(text);
  const meaningful = words.filter((word) => !FILLER_WORDS.has(word));
  return meaningful.length > 0 ? meaningful : words;
}

/**
 * How headers are compared for EXACT and ALIAS matches: case, accents, spaces and punctuation do
 * not count, so "Unit Price", "unit_price", "unitPrice" and "UNIT-PRICE" are all "unitprice";
 * a header with no letter or digit is compared as written ("#").
 */
export function normalizeHeader(text: string): string {
  // a header of punctuation only ("#") is compared as written, or every such header would be equal
  return headerWords(text).join("") || text.trim().replace(/\s+/g, " ");
}

function describeHeaders(sources: ReadonlyArray<{ header: string }>): string {
  if (sources.length === 0) return "(none)";
  const shown = sources.slice(0, 30).map((source) => source.header);
  return shown.join(", ") + (sources.length > shown.length ? ` and ${sources.length - shown.length} more` : "");
}

const round = (score: number) => Math.round(score * 1000) / 1000;

/** The spreadsheet column name for a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}
