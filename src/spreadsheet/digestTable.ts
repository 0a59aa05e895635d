/** Slots a table may grow to: 2,097,152 digests, 80 MB (and 40 MB more while it grows). */
export const MAX_SLOTS = 1 << 22;

/** Thrown by {@link DigestTable.claim} for one digest more than the table holds (half its `maxSlots`). */
export class DigestTableFull extends Error {
  constructor(readonly digests: number) {
    super(`A table of ${digests} digests is full.`);
  }
}

/**
 * A set of 128-bit digests, each with the row number that added it first, kept in typed arrays
 * (open addressing, linear probing, at most half full). A `Map` of a million digest strings made
 * the file reader 40–50% slower, its garbage collector walking the map again and again; here the
 * table is two flat buffers the collector does not look into: 20 bytes a slot, about 40 MB for a
 * million distinct rows. Being outside V8's heap, they are not bounded by the reader's heap cap, so
 * the table bounds itself: at most `maxSlots` slots, half of them used.
 */
export class DigestTable {
  private words: Uint32Array;
  /** per slot, the row number that claimed it; 0 for an empty slot (data rows are numbered from 1) */
  private rows: Uint32Array;
  private mask: number;
  private size = 0;

  constructor(
    slots = 1 << 16,
    private readonly maxSlots = MAX_SLOTS,
  ) {
    this.words = new Uint32Array(slots * 4);
    this.rows = new Uint32Array(slots);
    this.mask = slots - 1;
  }

  /**
   * The row number that claimed `digest` first; or, when none did, claims it for `rowNumber` and
   * returns 0. `digest` is a binary string of at least 16 characters (its first 16 bytes count).
   *
   * @throws {DigestTableFull} once the table holds as many digests as `maxSlots` allows
   */
  claim(digest: string, rowNumber: number): number {
    const a = word(digest, 0);
    const b = word(digest, 4);
    const c = word(digest, 8);
    const d = word(digest, 12);
    for (let slot = a & this.mask; ; slot = (slot + 1) & this.mask) {
      const claimed = this.rows[slot]!;
      if (claimed === 0) {
        this.put(slot, a, b, c, d, rowNumber);
        if (++this.size * 2 > this.rows.length) this.grow();
        return 0;
      }
      const at = slot * 4;
      const { words } = this;
      if (words[at] === a && words[at + 1] === b && words[at + 2] === c && words[at + 3] === d) return claimed;
    }
  }

  private put(slot: number, a: number, b: number, c: number, d: number, rowNumber: number) {
    const at = slot * 4;
    this.words[at] = a;
    this.words[at + 1] = b;
    this.words[at + 2] = c;
    this.words[at + 3] = d;
    this.rows[slot] = rowNumber;
  }

  private grow() {
    const { words, rows } = this;
    if (rows.length * 2 > this.maxSlots) throw new DigestTableFull(this.maxSlots / 2);
    this.words = new Uint32Array(words.length * 2);
    this.rows = new Uint32Array(rows.length * 2);
    this.mask = this.rows.length - 1;
    for (let old = 0; old < rows.length; old++) {
      if (rows[old] === 0) continue;
      const at = old * 4;
      let slot = words[at]! & this.mask;
      while (this.rows[slot] !== 0) slot = (slot + 1) & this.mask;
      this.put(slot, words[at]!, words[at + 1]!, words[at + 2]!, words[at + 3]!, rows[old]!);
    }
  }
}

function word(digest: string, at: number): number {
  return (
    (digest.charCodeAt(at) |
      (digest.charCodeAt(at + 1) << 8) |
      (digest.charCodeAt(at + 2) << 16) |
      (digest.charCodeAt(at + 3) << 24)) >>>
    0
  );
}
