import type { DecayFactors } from './decay.js';
import { grownCapacity, growFloat64, growInt32 } from './growth.js';
import { asRecord, float64FromJson, float64ToJson, int32FromJson, int32ToJson } from './json-arrays.js';
import { ABSENT, PairIndex } from './pair-index.js';
import { INITIAL_WEIGHT, type StreamTable } from './stream-table.js';

/**
 * The covariance links between streams of one 2-D table (Kitsune-py AfterImage.py, incStat_cov), one
 * per window λ_k: CF3 (decayed sum of residual products), w3 (starts 1e-20), the link's own last time,
 * and the last residual of each side (start 0).
 *
 * update from side x (value v, time t; x already holds v):
 *   decay the partner stream to t; if t > last: f = 2^(-λ(t - last)), CF3 *= f, w3 *= f, last = t;
 *   res = v - mean_x; CF3 += res * lastRes_partner; w3 += 1; lastRes_x = res.
 * (Kitsune-py also decays lastRes_x by f, but then overwrites it with res: that product is skipped.)
 *
 * Every stream keeps the list of links it joined, in creation order, as a chain of slots
 * (slot 2l = link l seen from its first side, 2l + 1 from its second). A self-link (a, a) is in a's
 * chain twice, so an insert of a updates it twice (Kitsune-py appends it to a.covs twice), both times
 * as side 0 (Kitsune-py picks the side by comparing IDs, and side 0 matches first), so its side-1
 * residual stays 0.
 */
export class LinkTable {
  count = 0;
  capacity = 0;
  /** The link's streams: first = the src that created it (Kitsune-py incStats[0]). */
  first = new Int32Array(0);
  second = new Int32Array(0);
  time = new Float64Array(0);
  cf3 = new Float64Array(0);
  w3 = new Float64Array(0);
  res0 = new Float64Array(0);
  res1 = new Float64Array(0);
  /** Next slot in the owning stream's chain, or ABSENT. */
  nextSlot = new Int32Array(0);
  /** First and last slot of each stream's chain (indexed by stream id), or ABSENT. */
  head = new Int32Array(0);
  tail = new Int32Array(0);
  private readonly index = new PairIndex();

  constructor(
    private readonly streams: StreamTable,
    private readonly decay: DecayFactors,
  ) {}

  private get windows(): number {
    return this.streams.windows;
  }

  /**
   * Kitsune-py incStatDB.register_cov's search: the FIRST link of src whose either end is dst.
   * For src != dst that is the (src, dst) link, found in the pair index; for src == dst it is src's
   * first link whoever the partner is (lookup quirk), else none.
   */
  find(src: number, dst: number): number {
    if (src === dst) {
      const slot = src < this.head.length ? this.head[src] : ABSENT;
      return slot === ABSENT ? ABSENT : slot >> 1;
    }
    return src < dst ? this.index.get(src, dst) : this.index.get(dst, src);
  }

  /** A new link (src, dst) created at time t, appended to both streams' chains. */
  create(src: number, dst: number, t: number): number {
    const l = this.count;
    if (l === this.capacity) this.grow(l + 1);
    if (this.head.length < this.streams.capacity) {
      this.head = growInt32(this.head, this.streams.capacity, ABSENT);
      this.tail = growInt32(this.tail, this.streams.capacity, ABSENT);
    }
    this.count = l + 1;
    this.first[l] = src;
    this.second[l] = dst;
    this.time[l] = t;
    const base = l * this.windows;
    for (let k = 0; k < this.windows; k++) {
      this.cf3[base + k] = 0;
      this.w3[base + k] = INITIAL_WEIGHT;
      this.res0[base + k] = 0;
      this.res1[base + k] = 0;
    }
    if (src !== dst) this.index.set(Math.min(src, dst), Math.max(src, dst), l);
    this.append(src, 2 * l);
    this.append(dst, 2 * l + 1);
    return l;
  }

  private append(s: number, slot: number): void {
    this.nextSlot[slot] = ABSENT;
    const last = this.tail[s];
    if (last === ABSENT) this.head[s] = slot;
    else this.nextSlot[last] = slot;
    this.tail[s] = slot;
  }

  private grow(needed: number): void {
    const cap = grownCapacity(this.capacity, needed);
    const n = cap * this.windows;
    this.first = growInt32(this.first, cap);
    this.second = growInt32(this.second, cap);
    this.time = growFloat64(this.time, cap);
    this.cf3 = growFloat64(this.cf3, n);
    this.w3 = growFloat64(this.w3, n);
    this.res0 = growFloat64(this.res0, n);
    this.res1 = growFloat64(this.res1, n);
    this.nextSlot = growInt32(this.nextSlot, 2 * cap, ABSENT);
    this.capacity = cap;
  }

  /** Updates every link stream s has joined after s was inserted with (v, t) (incStat.insert's loop). */
  updateAll(s: number, v: number, t: number): void {
    if (s >= this.head.length) return;
    for (let slot = this.head[s]; slot !== ABSENT; slot = this.nextSlot[slot]) this.update(slot >> 1, s, v, t);
  }

  /** Kitsune-py incStat_cov.update_cov(ID of s, v, t). */
  update(l: number, s: number, v: number, t: number): void {
    const sideZero = this.first[l] === s;
    this.streams.decayTo(sideZero ? this.second[l] : this.first[l], t);
    const w = this.windows;
    const base = l * w;
    const cf3 = this.cf3;
    const w3 = this.w3;
    const last = this.time[l];
    if (t > last) {
      const factors = this.decay.factors;
      const row = this.decay.row(t - last);
      for (let k = 0; k < w; k++) {
        cf3[base + k] *= factors[row + k];
        w3[base + k] *= factors[row + k];
      }
      this.time[l] = t;
    }
    const mean = this.streams.mean;
    const sBase = s * w;
    const mine = sideZero ? this.res0 : this.res1;
    const theirs = sideZero ? this.res1 : this.res0;
    for (let k = 0; k < w; k++) {
      const res = v - mean[sBase + k];
      cf3[base + k] += res * theirs[base + k];
      w3[base + k] += 1;
      mine[base + k] = res;
    }
  }

  /**
   * Writes radius, magnitude, covariance, pcc of every window to out[offset + k*stride ..]
   * (Kitsune-py incStat_cov.get_stats2), from the cached mean/variance of both streams.
   */
  write2D(l: number, out: Float64Array, offset: number, stride: number): void {
    const w = this.windows;
    const aBase = this.first[l] * w;
    const bBase = this.second[l] * w;
    const mean = this.streams.mean;
    const variance = this.streams.variance;
    for (let k = 0; k < w; k++) {
      const o = offset + k * stride;
      const varA = variance[aBase + k];
      const varB = variance[bBase + k];
      const meanA = mean[aBase + k];
      const meanB = mean[bBase + k];
      const cov = this.cf3[l * w + k] / this.w3[l * w + k];
      const ss = Math.sqrt(varA) * Math.sqrt(varB);
      out[o] = Math.sqrt(varA * varA + varB * varB);
      out[o + 1] = Math.sqrt(meanA * meanA + meanB * meanB);
      out[o + 2] = cov;
      // Kitsune-py incStat_cov.pcc: 0 when the product of standard deviations is exactly 0.
      out[o + 3] = ss !== 0 ? cov / ss : 0;
    }
  }

  /** Largest w3 over the windows of link l once decayed to time t (for eviction). */
  maxDecayedWeight(l: number, t: number): number {
    const last = this.time[l];
    const base = l * this.windows;
    let max = 0;
    const decays = t > last;
    const row = decays ? this.decay.row(t - last) : 0;
    for (let k = 0; k < this.windows; k++) {
      max = Math.max(max, this.w3[base + k] * (decays ? this.decay.factors[row + k] : 1));
    }
    return max;
  }

  /**
   * Keeps links with keep[l] = 1 whose streams survive `streamRemap` (old -> new stream id, -1 if
   * dropped), renumbered in order; rebuilds the chains in the same relative order.
   */
  compact(keep: Uint8Array, streamRemap: Int32Array): void {
    const w = this.windows;
    const oldHead = this.head;
    const oldNext = this.nextSlot;
    const oldCount = this.count;
    const linkRemap = new Int32Array(oldCount).fill(ABSENT);
    let n = 0;
    for (let l = 0; l < oldCount; l++) {
      const a = streamRemap[this.first[l]];
      const b = streamRemap[this.second[l]];
      if (keep[l] !== 1 || a < 0 || b < 0) continue;
      linkRemap[l] = n;
      this.first[n] = a;
      this.second[n] = b;
      this.time[n] = this.time[l];
      this.cf3.copyWithin(n * w, l * w, l * w + w);
      this.w3.copyWithin(n * w, l * w, l * w + w);
      this.res0.copyWithin(n * w, l * w, l * w + w);
      this.res1.copyWithin(n * w, l * w, l * w + w);
      n++;
    }
    this.count = n;
    this.nextSlot = new Int32Array(this.nextSlot.length).fill(ABSENT);
    this.head = new Int32Array(this.streams.capacity).fill(ABSENT);
    this.tail = new Int32Array(this.streams.capacity).fill(ABSENT);
    this.index.clear();
    for (let l = 0; l < n; l++) {
      if (this.first[l] !== this.second[l]) {
        this.index.set(Math.min(this.first[l], this.second[l]), Math.max(this.first[l], this.second[l]), l);
      }
    }
    for (let s = 0; s < streamRemap.length; s++) {
      const ns = streamRemap[s];
      if (ns < 0 || s >= oldHead.length) continue;
      for (let slot = oldHead[s]; slot !== ABSENT; slot = oldNext[slot]) {
        const nl = linkRemap[slot >> 1];
        if (nl !== ABSENT) this.append(ns, 2 * nl + (slot & 1));
      }
    }
  }

  /** Stream chains as lists of slots, so that fromJSON restores the exact order. */
  toJSON(): Record<string, unknown> {
    const n = this.count;
    const nw = n * this.windows;
    const chains: number[][] = [];
    for (let s = 0; s < this.streams.count; s++) {
      const chain: number[] = [];
      if (s < this.head.length) for (let slot = this.head[s]; slot !== ABSENT; slot = this.nextSlot[slot]) chain.push(slot);
      chains.push(chain);
    }
    return {
      count: n,
      first: int32ToJson(this.first, n),
      second: int32ToJson(this.second, n),
      time: float64ToJson(this.time, n),
      cf3: float64ToJson(this.cf3, nw),
      w3: float64ToJson(this.w3, nw),
      res0: float64ToJson(this.res0, nw),
      res1: float64ToJson(this.res1, nw),
      chains,
    };
  }

  /** Restores the state written by toJSON into this (empty) table; the stream table is loaded first. */
  load(json: unknown): void {
    const state = asRecord(json);
    const n = Number(state.count);
    const cap = grownCapacity(0, n);
    const nw = cap * this.windows;
    this.first = int32FromJson(state.first, cap);
    this.second = int32FromJson(state.second, cap);
    this.time = float64FromJson(state.time, cap);
    this.cf3 = float64FromJson(state.cf3, nw);
    this.w3 = float64FromJson(state.w3, nw);
    this.res0 = float64FromJson(state.res0, nw);
    this.res1 = float64FromJson(state.res1, nw);
    this.nextSlot = new Int32Array(2 * cap).fill(ABSENT);
    this.head = new Int32Array(this.streams.capacity).fill(ABSENT);
    this.tail = new Int32Array(this.streams.capacity).fill(ABSENT);
    this.capacity = cap;
    this.count = n;
    for (let l = 0; l < n; l++) {
      if (this.first[l] !== this.second[l]) {
        this.index.set(Math.min(this.first[l], this.second[l]), Math.max(this.first[l], this.second[l]), l);
      }
    }
    const chains = state.chains as number[][];
    chains.forEach((chain, s) => {
      for (const slot of chain) this.append(s, slot);
    });
  }
}
