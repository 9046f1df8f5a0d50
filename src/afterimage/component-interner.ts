/** Multiplier of the polynomial string hash (as Java's String.hashCode). */
const HASH_BASE = 31;

/**
 * Interns the strings AfterImage keys are made of (MACs, IPs, ports, 'arp', 'icmp', '') as small
 * integer ids, shared by all four stream tables. The decoder mostly hands over the same string
 * objects again (cached), whose hash V8 keeps, so one Map lookup per component is cheap; stream keys
 * are then found from a pair of ids without concatenating strings (see StreamTable.lookup).
 *
 * Each component also gets a polynomial hash h(s) = Σ s[i]·31^(n-1-i) (mod 2^32) and its length, so
 * that the hash of a concatenation is h(a + b) = h(a)·31^|b| + h(b) without building a + b
 * (concatHash): stream tables index keys by that hash to find Kitsune-py's colliding keys.
 */
export class ComponentInterner {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly hashes: number[] = [];
  /** 31^|text| (mod 2^32) per component. */
  private readonly shifts: number[] = [];

  /** The id of `text`, assigning the next one if new. */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.add(text);
      this.ids.set(text, id);
    }
    return id;
  }

  private add(text: string): void {
    let hash = 0;
    let shift = 1;
    for (let i = 0; i < text.length; i++) {
      hash = (Math.imul(hash, HASH_BASE) + text.charCodeAt(i)) | 0;
      shift = Math.imul(shift, HASH_BASE);
    }
    this.texts.push(text);
    this.hashes.push(hash);
    this.shifts.push(shift);
  }

  text(id: number): string {
    return this.texts[id];
  }

  /** h(text(a) + text(b)) (see the class comment). */
  concatHash(a: number, b: number): number {
    return (Math.imul(this.hashes[a], this.shifts[b]) + this.hashes[b]) | 0;
  }

  /** Whether text(a) + text(b) === text(c) + text(d), without concatenating. */
  concatEquals(a: number, b: number, c: number, d: number): boolean {
    const ta = this.texts[a];
    const tc = this.texts[c];
    if (ta.length + this.texts[b].length !== tc.length + this.texts[d].length) return false;
    return ta + this.texts[b] === tc + this.texts[d];
  }

  get size(): number {
    return this.texts.length;
  }

  /**
   * Keeps only the components with keep[id] = 1, renumbered in order; returns old id -> new id
   * (-1 for dropped ones). Used by eviction so that spoofed addresses do not pile up here.
   */
  compact(keep: Uint8Array): Int32Array {
    const remap = new Int32Array(this.texts.length).fill(-1);
    this.ids.clear();
    let n = 0;
    for (let id = 0; id < this.texts.length; id++) {
      if (keep[id] !== 1) continue;
      remap[id] = n;
      this.ids.set(this.texts[id], n);
      this.texts[n] = this.texts[id];
      this.hashes[n] = this.hashes[id];
      this.shifts[n] = this.shifts[id];
      n++;
    }
    this.texts.length = n;
    this.hashes.length = n;
    this.shifts.length = n;
    return remap;
  }

  toJSON(): string[] {
    return this.texts.slice();
  }

  static fromJSON(texts: readonly string[]): ComponentInterner {
    const interner = new ComponentInterner();
    for (const text of texts) interner.id(text);
    return interner;
  }
}
