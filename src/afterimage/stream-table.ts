import type { ComponentInterner } from './component-interner.js';
import type { DecayFactors } from './decay.js';
import { grownCapacity, growFloat64, growInt32 } from './growth.js';
import { asRecord, float64FromJson, float64ToJson, int32FromJson, int32ToJson } from './json-arrays.js';
import { ABSENT, PairIndex } from './pair-index.js';

/** A new statistic's weight (Kitsune-py incStat.__init__: w = 1e-20, so mean = 0/1e-20 = 0). */
export const INITIAL_WEIGHT = 1e-20;

/**
 * One of netStat's stream tables (Kitsune-py AfterImage.py, incStatDB): for every key, one incremental
 * statistic per decay window λ_k, stored struct-of-arrays with all windows of a stream together
 * (index s * windows + k). A statistic is (CF1 = Σ decayed v, CF2 = Σ decayed v², w = Σ decays + 1e-20,
 * last time); insert(v, t) first decays all three by 2^(-λ(t - last)) when t > last, then adds v.
 * mean = CF1/w and variance = |CF2/w - mean²| are cached at insert, as Kitsune-py's cur_mean/cur_var
 * (partners in a link read the cached values, not values recomputed from decayed sums).
 *
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
  /** Component ids of the pair that created the stream (its key is their concatenation). */
  comp1 = new Int32Array(0);
  comp2 = new Int32Array(0);
  /** Last time the stream was decayed to (Kitsune-py lastTimestamp). */
  time = new Float64Array(0);
  cf1 = new Float64Array(0);
  cf2 = new Float64Array(0);
  weight = new Float64Array(0);
  mean = new Float64Array(0);
  variance = new Float64Array(0);
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
  ) {}

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
    this.time[s] = t;
    const base = s * this.windows;
    for (let k = 0; k < this.windows; k++) {
      this.cf1[base + k] = 0;
      this.cf2[base + k] = 0;
      this.weight[base + k] = INITIAL_WEIGHT;
      this.mean[base + k] = 0;
      this.variance[base + k] = 0;
    }
    return s;
  }

  private grow(needed: number): void {
    const cap = grownCapacity(this.capacity, needed);
    const n = cap * this.windows;
    this.comp1 = growInt32(this.comp1, cap);
    this.comp2 = growInt32(this.comp2, cap);
    this.time = growFloat64(this.time, cap);
    this.cf1 = growFloat64(this.cf1, n);
    this.cf2 = growFloat64(this.cf2, n);
    this.weight = growFloat64(this.weight, n);
    this.mean = growFloat64(this.mean, n);
    this.variance = growFloat64(this.variance, n);
    this.capacity = cap;
  }

  /** Decays every window of s to time t if t is later (Kitsune-py incStat.processDecay). */
  decayTo(s: number, t: number): void {
    const last = this.time[s];
    if (!(t > last)) return;
    const factors = this.decay.factors;
    const row = this.decay.row(t - last);
    const base = s * this.windows;
    for (let k = 0; k < this.windows; k++) {
      const f = factors[row + k];
      this.cf1[base + k] *= f;
      this.cf2[base + k] *= f;
      this.weight[base + k] *= f;
    }
    this.time[s] = t;
  }

  /** Kitsune-py incStat.insert without the link updates: decay, add v, cache mean and variance. */
  insert(s: number, v: number, t: number): void {
    this.decayTo(s, t);
    const base = s * this.windows;
    const vv = v * v;
    for (let k = 0; k < this.windows; k++) {
      const i = base + k;
      const cf1 = this.cf1[i] + v;
      const cf2 = this.cf2[i] + vv;
      const w = this.weight[i] + 1;
      this.cf1[i] = cf1;
      this.cf2[i] = cf2;
      this.weight[i] = w;
      const mean = cf1 / w;
      this.mean[i] = mean;
      this.variance[i] = Math.abs(cf2 / w - mean * mean);
    }
  }

  /** Writes (weight, mean, variance) of every window: out[offset + 3k ..]. Kitsune-py allstats_1D. */
  write1D(s: number, out: Float64Array, offset: number, stride: number): void {
    const base = s * this.windows;
    for (let k = 0; k < this.windows; k++) {
      const o = offset + k * stride;
      out[o] = this.weight[base + k];
      out[o + 1] = this.mean[base + k];
      out[o + 2] = this.variance[base + k];
    }
  }

  /** Largest weight over the windows of s once decayed to time t (for eviction; no state change). */
  maxDecayedWeight(s: number, t: number): number {
    const last = this.time[s];
    const base = s * this.windows;
    let max = 0;
    if (t > last) {
      const factors = this.decay.factors;
      const row = this.decay.row(t - last);
      for (let k = 0; k < this.windows; k++) max = Math.max(max, this.weight[base + k] * factors[row + k]);
    } else {
      for (let k = 0; k < this.windows; k++) max = Math.max(max, this.weight[base + k]);
    }
    return max;
  }

  /**
   * Keeps the streams with keep[s] = 1, renumbered in order, with component ids passed through
   * `componentRemap`; returns old id -> new id (-1 if dropped). Rebuilds the key indexes.
   */
  compact(keep: Uint8Array, componentRemap: Int32Array): Int32Array {
    const remap = new Int32Array(this.count).fill(-1);
    const w = this.windows;
    let n = 0;
    for (let s = 0; s < this.count; s++) {
      if (keep[s] !== 1) continue;
      remap[s] = n;
      this.comp1[n] = componentRemap[this.comp1[s]];
      this.comp2[n] = componentRemap[this.comp2[s]];
      this.time[n] = this.time[s];
      this.cf1.copyWithin(n * w, s * w, s * w + w);
      this.cf2.copyWithin(n * w, s * w, s * w + w);
      this.weight.copyWithin(n * w, s * w, s * w + w);
      this.mean.copyWithin(n * w, s * w, s * w + w);
      this.variance.copyWithin(n * w, s * w, s * w + w);
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
    const nw = n * this.windows;
    return {
      count: n,
      comp1: int32ToJson(this.comp1, n),
      comp2: int32ToJson(this.comp2, n),
      time: float64ToJson(this.time, n),
      cf1: float64ToJson(this.cf1, nw),
      cf2: float64ToJson(this.cf2, nw),
      weight: float64ToJson(this.weight, nw),
      mean: float64ToJson(this.mean, nw),
      variance: float64ToJson(this.variance, nw),
    };
  }

  /** Restores the state written by toJSON into this (empty) table. */
  load(json: unknown): void {
    const state = asRecord(json);
    const n = Number(state.count);
    const cap = grownCapacity(0, n);
    const nw = cap * this.windows;
    this.comp1 = int32FromJson(state.comp1, cap);
    this.comp2 = int32FromJson(state.comp2, cap);
    this.time = float64FromJson(state.time, cap);
    this.cf1 = float64FromJson(state.cf1, nw);
    this.cf2 = float64FromJson(state.cf2, nw);
    this.weight = float64FromJson(state.weight, nw);
    this.mean = float64FromJson(state.mean, nw);
    this.variance = float64FromJson(state.variance, nw);
    this.capacity = cap;
    this.count = n;
    this.rebuildIndexes();
  }
}
