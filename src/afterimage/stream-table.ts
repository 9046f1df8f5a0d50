import type { ComponentInterner } from './component-interner.js';
import type { DecayFactors } from './decay.js';
import { grownCapacity, growFloat64, growInt32 } from './growth.js';
import { asArray, asRecord, integerInRange, int32FromJson, int32ToJson, recordFieldFromJson, recordFieldToJson, type RecordField } from './json-arrays.js';
import { ABSENT, PairIndex } from './pair-index.js';

/** A new statistic's weight (Kitsune-py incStat.__init__: w = 1e-20, so mean = 0/1e-20 = 0). */
export const INITIAL_WEIGHT = 1e-20;

/** Offsets in a stream record: its time, then per window k the five values below at WINDOWS_AT + k·PER_WINDOW. */
const TIME = 0;
export const WINDOWS_AT = 1;
export const PER_WINDOW = 5;
const CF1 = 0;
const CF2 = 1;
const WEIGHT = 2;
export const MEAN = 3;
export const VARIANCE = 4;

/** Record fields as toJSON writes them (one column each). */
const FIELDS: readonly [string, number, boolean][] = [
  ['time', TIME, false],
  ['cf1', CF1, true],
  ['cf2', CF2, true],
  ['weight', WEIGHT, true],
  ['mean', MEAN, true],
  ['variance', VARIANCE, true],
];

/**
 * One of netStat's stream tables (Kitsune-py AfterImage.py, incStatDB): for every key, one incremental
 * statistic per decay window λ_k. A statistic is (CF1 = Σ decayed v, CF2 = Σ decayed v², w = Σ decays
 * + 1e-20, last time); insert(v, t) first decays all three by 2^(-λ(t - last)) when t > last, then
 * adds v. mean = CF1/w and variance = |CF2/w - mean²| are cached at insert, as Kitsune-py's
 * cur_mean/cur_var (partners in a link read the cached values, not values recomputed from decayed sums).
 *
 * Storage: one record of `stride` doubles per stream in one Float64Array (time, then the five values
 * of each window): an update reads and writes a few adjacent cache lines instead of one per field.
 * The time is per stream, not per window: every window of a key sees the same insert/decay times.
 *
 * Keys: Kitsune-py concatenates two strings (e.g. srcMAC + srcIP). Here the pair of component ids is
 * looked up in a numeric index; only on a miss is the concatenated string consulted, so that two
 * pairs spelling the same string ("10.0.0.1"+"23" and "10.0.0.12"+"3") share one stream, as in
 * Kitsune-py (key-collision quirk).
 */
export class StreamTable {
  count = 0;
  capacity = 0;
  /** Doubles per stream record. */
  readonly stride: number;
  /** Component ids of the pair that created the stream (its key is their concatenation). */
  comp1 = new Int32Array(0);
  comp2 = new Int32Array(0);
  /** Stream records (see the offsets above); TIME is Kitsune-py's lastTimestamp. */
  stats = new Float64Array(0);
  private readonly index = new PairIndex();
  /**
   * Key text hash -> stream, as pairs (n, hash) -> stream for the n-th stream with that hash
   * (n = 0, 1, ... for distinct texts whose 32-bit hashes collide; n first, as the index reserves
   * a first value of -1).
   */
  private readonly byKeyHash = new PairIndex();

  constructor(
    readonly windows: number,
    private readonly decay: DecayFactors,
    private readonly interner: ComponentInterner,
  ) {
    this.stride = WINDOWS_AT + PER_WINDOW * windows;
  }

  /** Last time stream s was decayed to. */
  time(s: number): number {
    return this.stats[s * this.stride + TIME];
  }

  /** The stream of key text(c1) + text(c2), created at time t if new (Kitsune-py incStatDB.register). */
  lookup(c1: number, c2: number, t: number): number {
    const found = this.index.get(c1, c2);
    if (found !== ABSENT) return found;
    const hash = this.interner.concatHash(c1, c2);
    let n = 0;
    let s = this.byKeyHash.get(n, hash);
    while (s !== ABSENT && !this.interner.concatEquals(this.comp1[s], this.comp2[s], c1, c2)) {
      s = this.byKeyHash.get(++n, hash);
    }
    if (s === ABSENT) {
      s = this.create(c1, c2, t);
      this.byKeyHash.set(n, hash, s);
    }
    this.index.set(c1, c2, s);
    return s;
  }

  private create(c1: number, c2: number, t: number): number {
    const s = this.count;
    if (s === this.capacity) this.grow(s + 1);
    this.count = s + 1;
    this.comp1[s] = c1;
    this.comp2[s] = c2;
    const stats = this.stats;
    const at = s * this.stride;
    stats.fill(0, at, at + this.stride);
    stats[at + TIME] = t;
    for (let k = 0; k < this.windows; k++) stats[at + WINDOWS_AT + k * PER_WINDOW + WEIGHT] = INITIAL_WEIGHT;
    return s;
  }

  private grow(needed: number): void {
    const cap = grownCapacity(this.capacity, needed);
    this.comp1 = growInt32(this.comp1, cap);
    this.comp2 = growInt32(this.comp2, cap);
    this.stats = growFloat64(this.stats, cap * this.stride);
    this.capacity = cap;
  }

  /** Decays every window of s to time t if t is later (Kitsune-py incStat.processDecay). */
  decayTo(s: number, t: number): void {
    const stats = this.stats;
    const at = s * this.stride;
    const last = stats[at + TIME];
    if (!(t > last)) return;
    const factors = this.decay.factors;
    const row = this.decay.row(t - last);
    for (let k = 0, i = at + WINDOWS_AT; k < this.windows; k++, i += PER_WINDOW) {
      const f = factors[row + k];
      stats[i + CF1] *= f;
      stats[i + CF2] *= f;
      stats[i + WEIGHT] *= f;
    }
    stats[at + TIME] = t;
  }

  /** Kitsune-py incStat.insert without the link updates: decay, add v, cache mean and variance. */
  insert(s: number, v: number, t: number): void {
    this.decayTo(s, t);
    const stats = this.stats;
    const vv = v * v;
    for (let k = 0, i = s * this.stride + WINDOWS_AT; k < this.windows; k++, i += PER_WINDOW) {
      const cf1 = stats[i + CF1] + v;
      const cf2 = stats[i + CF2] + vv;
      const w = stats[i + WEIGHT] + 1;
      stats[i + CF1] = cf1;
      stats[i + CF2] = cf2;
      stats[i + WEIGHT] = w;
      const mean = cf1 / w;
      stats[i + MEAN] = mean;
      stats[i + VARIANCE] = Math.abs(cf2 / w - mean * mean);
    }
  }

  /** Writes (weight, mean, variance) of every window: out[offset + k·stride ..]. Kitsune-py allstats_1D. */
  write1D(s: number, out: Float64Array, offset: number, stride: number): void {
    const stats = this.stats;
    for (let k = 0, i = s * this.stride + WINDOWS_AT; k < this.windows; k++, i += PER_WINDOW) {
      const o = offset + k * stride;
      out[o] = stats[i + WEIGHT];
      out[o + 1] = stats[i + MEAN];
      out[o + 2] = stats[i + VARIANCE];
    }
  }

  /** Largest weight over the windows of s once decayed to time t (for eviction; no state change). */
  maxDecayedWeight(s: number, t: number): number {
    const stats = this.stats;
    const at = s * this.stride;
    const last = stats[at + TIME];
    const decays = t > last;
    const row = decays ? this.decay.row(t - last) : 0;
    let max = 0;
    for (let k = 0, i = at + WINDOWS_AT; k < this.windows; k++, i += PER_WINDOW) {
      max = Math.max(max, stats[i + WEIGHT] * (decays ? this.decay.factors[row + k] : 1));
    }
    return max;
  }

  /**
   * Keeps the streams with keep[s] = 1, renumbered in order, with component ids passed through
   * `componentRemap`; returns old id -> new id (-1 if dropped). Rebuilds the key indexes.
   */
  compact(keep: Uint8Array, componentRemap: Int32Array): Int32Array {
    const remap = new Int32Array(this.count).fill(-1);
    const stride = this.stride;
    let n = 0;
    for (let s = 0; s < this.count; s++) {
      if (keep[s] !== 1) continue;
      remap[s] = n;
      this.comp1[n] = componentRemap[this.comp1[s]];
      this.comp2[n] = componentRemap[this.comp2[s]];
      if (n !== s) this.stats.copyWithin(n * stride, s * stride, s * stride + stride);
      n++;
    }
    this.count = n;
    this.rebuildIndexes();
    return remap;
  }

  /** Marks used[c] = 1 for every component the key of a kept stream (keep[s] = 1) uses. */
  markComponents(keep: Uint8Array, used: Uint8Array): void {
    for (let s = 0; s < this.count; s++) {
      if (keep[s] !== 1) continue;
      used[this.comp1[s]] = 1;
      used[this.comp2[s]] = 1;
    }
  }

  private rebuildIndexes(): void {
    this.index.clear();
    this.byKeyHash.clear();
    for (let s = 0; s < this.count; s++) {
      const c1 = this.comp1[s];
      const c2 = this.comp2[s];
      this.index.set(c1, c2, s);
      const hash = this.interner.concatHash(c1, c2);
      let n = 0;
      while (this.byKeyHash.get(n, hash) !== ABSENT) n++;
      this.byKeyHash.set(n, hash, s);
    }
  }

  toJSON(): Record<string, unknown> {
    const n = this.count;
    const state: Record<string, unknown> = {
      count: n,
      comp1: int32ToJson(this.comp1, n),
      comp2: int32ToJson(this.comp2, n),
    };
    for (const [name, offset, perWindow] of FIELDS) {
      state[name] = recordFieldToJson(this.stats, this.stride, n, this.field(offset, perWindow));
    }
    return state;
  }

  /** Restores the state written by toJSON into this (empty) table. */
  load(json: unknown): void {
    const state = asRecord(json);
    const n = integerInRange(state.count, asArray(state.comp1).length);
    const cap = grownCapacity(0, n);
    const components = this.interner.size;
    this.comp1 = int32FromJson(state.comp1, n, cap, components);
    this.comp2 = int32FromJson(state.comp2, n, cap, components);
    this.stats = new Float64Array(cap * this.stride);
    for (const [name, offset, perWindow] of FIELDS) {
      recordFieldFromJson(state[name], this.stats, this.stride, this.field(offset, perWindow), n);
    }
    this.capacity = cap;
    this.count = n;
    this.rebuildIndexes();
  }

  private field(offset: number, perWindow: boolean): RecordField {
    return perWindow
      ? { offset: WINDOWS_AT + offset, count: this.windows, step: PER_WINDOW }
      : { offset, count: 1, step: 1 };
  }
}
