import type { DecayFactors } from './decay.js';
import { grownCapacity, growFloat64, growInt32 } from './growth.js';
import { asRecord, float64FromJson, float64ToJson, int32FromJson, int32ToJson } from './json-arrays.js';
import { ABSENT, PairIndex } from './pair-index.js';
import { INITIAL_WEIGHT, type StreamTable } from './stream-table.js';

/**
 * A stream with this many link slots stops updating its links on every insert (it becomes "lazy").
 * Below it, the per-insert loop is cheaper than the closed-form bookkeeping. On the bench capture 4
 * does a little less work (7.4 link updates per packet against 8.8, as many decay rows) but runs
 * only a few percent faster, while more features differ from Kitsune-py in their last bits.
 */
export const LAZY_DEGREE = 16;

/** lazySide value of a link whose both sides apply their inserts at once. */
const NO_LAZY_SIDE = -1;

type LinkF64 = 'time' | 'cf3' | 'w3' | 'res0' | 'res1' | 'snapA0' | 'snapN0' | 'snapA1' | 'snapN1' | 'snapT0' | 'snapT1' | 'snapSeq0' | 'snapSeq1';
type LinkI32 = 'first' | 'second' | 'lazySide';
type StreamF64 = 'accA' | 'accN' | 'lastRes' | 'accTime' | 'accSeq';
type StreamI32 = 'degree' | 'lazy';
/** Per-window fields (windows values per element) versus one value per element. */
const LINK_F64: readonly [LinkF64, boolean][] = [
  ['time', false], ['cf3', true], ['w3', true], ['res0', true], ['res1', true],
  ['snapA0', true], ['snapN0', true], ['snapA1', true], ['snapN1', true],
  ['snapT0', false], ['snapT1', false], ['snapSeq0', false], ['snapSeq1', false],
];
const LINK_I32: readonly LinkI32[] = ['first', 'second', 'lazySide'];
const STREAM_F64: readonly [StreamF64, boolean][] = [['accA', true], ['accN', true], ['lastRes', true], ['accTime', false], ['accSeq', false]];
const STREAM_I32: readonly StreamI32[] = ['degree', 'lazy'];

/**
 * The covariance links between streams of one 2-D table (Kitsune-py AfterImage.py, incStat_cov), one
 * per window λ_k: CF3 (decayed sum of residual products), w3 (starts 1e-20), the link's own last time,
 * and the last residual of each side (start 0).
 *
 * Kitsune-py's update from side x (value v, time t; x already holds v), run on EVERY link of x at each
 * insert of x, plus once more on the queried link:
 *   decay the partner stream to t; if t > last: f = 2^(-λ(t - last)), CF3 *= f, w3 *= f, last = t;
 *   res = v - mean_x; CF3 += res * lastRes_partner; w3 += 1; lastRes_x = res.
 * (Kitsune-py also decays lastRes_x by f, but then overwrites it with res: that product is skipped.)
 *
 * Lazy links (same values, without the per-insert cost of a server's hundreds of links): a stream
 * with LAZY_DEGREE slots or more becomes lazy. A lazy stream y does not touch its links on insert; it
 * keeps, per window, A = Σ res_i 2^(-λ(T - t_i)) and N = Σ 2^(-λ(T - t_i)) over its inserts (T = its
 * latest insert), and each link keeps a snapshot (A, N, T, count) of y taken when it was last brought
 * up to date. Each link has at most one such lazy side y; the other side x "drives" it: x updates the
 * link at each of its inserts, after bringing it up to date, so x's residual is constant while y's
 * inserts are pending, and they add in closed form:
 *   CF3 = CF3·2^(-λ(T - last)) + lastRes_x · (A - A_snap·2^(-λ(T - T_snap))),
 *   w3  = w3 ·2^(-λ(T - last)) + (N - N_snap·2^(-λ(T - T_snap))),   lastRes_y = y's latest residual.
 * An eager stream drives all its links; a lazy one drives (second chain) its self-links and its links
 * to streams that were lazy before it or, for a link created between two lazy streams, that have
 * more links: a server's clients drive their links to it, the server drives none.
 * This equals Kitsune-py's step-by-step updates when every pending insert is at or after the link's
 * last time, which holds while the packets are in time order. A packet older than the latest time seen
 * first brings every pending link up to date (and decays the partners to the lazy streams' latest
 * times, as Kitsune-py's updates would have), then is applied eagerly.
 * A partner stream is decayed in one step where Kitsune-py decays it at each of a lazy stream's
 * inserts: equal in exact arithmetic, a few ulps apart in rounding.
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
  /** The side (0 or 1) whose inserts may be pending on the link, or NO_LAZY_SIDE. */
  lazySide = new Int32Array(0);
  time = new Float64Array(0);
  cf3 = new Float64Array(0);
  w3 = new Float64Array(0);
  res0 = new Float64Array(0);
  res1 = new Float64Array(0);
  /** Snapshots of side 0's and side 1's accumulators (used when that side is lazy). */
  snapA0 = new Float64Array(0);
  snapN0 = new Float64Array(0);
  snapA1 = new Float64Array(0);
  snapN1 = new Float64Array(0);
  snapT0 = new Float64Array(0);
  snapT1 = new Float64Array(0);
  snapSeq0 = new Float64Array(0);
  snapSeq1 = new Float64Array(0);
  /** Next slot in the owning stream's chain / driven chain, or ABSENT. */
  nextSlot = new Int32Array(0);
  nextEagerSlot = new Int32Array(0);
  /** Per stream (indexed by stream id): chains, degree, laziness, accumulators. */
  head = new Int32Array(0);
  tail = new Int32Array(0);
  eagerHead = new Int32Array(0);
  eagerTail = new Int32Array(0);
  degree = new Int32Array(0);
  lazy = new Int32Array(0);
  accA = new Float64Array(0);
  accN = new Float64Array(0);
  lastRes = new Float64Array(0);
  accTime = new Float64Array(0);
  accSeq = new Float64Array(0);
  /** Lazy streams inserted since the last flush. */
  private dirty: number[] = [];
  private dirtyMark = new Uint8Array(0);
  /** Latest packet time seen by this table. */
  private maxTime = -Infinity;
  /** Whether the current packet is at or after every earlier one (set by beforeInsert). */
  private inOrder = true;
  private readonly index = new PairIndex();

  constructor(
    private readonly streams: StreamTable,
    private readonly decay: DecayFactors,
    private readonly lazyDegree = LAZY_DEGREE,
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

  private ensureStreams(): void {
    const cap = this.streams.capacity;
    if (this.head.length >= cap) return;
    const w = this.windows;
    this.head = growInt32(this.head, cap, ABSENT);
    this.tail = growInt32(this.tail, cap, ABSENT);
    this.eagerHead = growInt32(this.eagerHead, cap, ABSENT);
    this.eagerTail = growInt32(this.eagerTail, cap, ABSENT);
    for (const key of STREAM_I32) this[key] = growInt32(this[key], cap);
    for (const [key, perWindow] of STREAM_F64) this[key] = growFloat64(this[key], perWindow ? cap * w : cap);
    const mark = new Uint8Array(cap);
    mark.set(this.dirtyMark);
    this.dirtyMark = mark;
  }

  /** A new link (src, dst) created at time t, appended to both streams' chains. */
  create(src: number, dst: number, t: number): number {
    const l = this.count;
    if (l === this.capacity) this.grow(l + 1);
    this.ensureStreams();
    this.count = l + 1;
    this.first[l] = src;
    this.second[l] = dst;
    this.time[l] = t;
    const w = this.windows;
    const base = l * w;
    for (let k = 0; k < w; k++) {
      this.cf3[base + k] = 0;
      this.w3[base + k] = INITIAL_WEIGHT;
      this.res0[base + k] = 0;
      this.res1[base + k] = 0;
    }
    if (src !== dst) this.index.set(Math.min(src, dst), Math.max(src, dst), l);
    append(this.head, this.tail, this.nextSlot, src, 2 * l);
    append(this.head, this.tail, this.nextSlot, dst, 2 * l + 1);
    this.degree[src]++;
    this.degree[dst]++;
    this.lazySide[l] = NO_LAZY_SIDE;
    const srcLazy = this.lazy[src] === 1;
    const dstLazy = this.lazy[dst] === 1;
    if (src === dst) {
      if (srcLazy) {
        append(this.eagerHead, this.eagerTail, this.nextEagerSlot, src, 2 * l);
        append(this.eagerHead, this.eagerTail, this.nextEagerSlot, src, 2 * l + 1);
      }
    } else if (srcLazy && (!dstLazy || this.degree[src] > this.degree[dst])) {
      this.setLazySide(l, src, 0);
      if (dstLazy) append(this.eagerHead, this.eagerTail, this.nextEagerSlot, dst, 2 * l + 1);
    } else if (dstLazy) {
      this.setLazySide(l, dst, 1);
      if (srcLazy) append(this.eagerHead, this.eagerTail, this.nextEagerSlot, src, 2 * l);
    }
    if (this.lazy[src] === 0 && this.degree[src] >= this.lazyDegree) this.makeLazy(src);
    if (this.lazy[dst] === 0 && this.degree[dst] >= this.lazyDegree) this.makeLazy(dst);
    return l;
  }

  private grow(needed: number): void {
    const cap = grownCapacity(this.capacity, needed);
    const w = this.windows;
    for (const key of LINK_I32) this[key] = growInt32(this[key], cap);
    for (const [key, perWindow] of LINK_F64) this[key] = growFloat64(this[key], perWindow ? cap * w : cap);
    this.nextSlot = growInt32(this.nextSlot, 2 * cap, ABSENT);
    this.nextEagerSlot = growInt32(this.nextEagerSlot, 2 * cap, ABSENT);
    this.capacity = cap;
  }

  /** Makes s (on `side` of link l) the link's lazy side, from a snapshot of its accumulators. */
  private setLazySide(l: number, s: number, side: number): void {
    this.lazySide[l] = side;
    this.snapshot(l, s, side === 0);
  }

  /** Records stream s's accumulators as link l's snapshot for its side. */
  private snapshot(l: number, s: number, sideZero: boolean): void {
    const w = this.windows;
    const snapA = sideZero ? this.snapA0 : this.snapA1;
    const snapN = sideZero ? this.snapN0 : this.snapN1;
    for (let k = 0; k < w; k++) {
      snapA[l * w + k] = this.accA[s * w + k];
      snapN[l * w + k] = this.accN[s * w + k];
    }
    (sideZero ? this.snapT0 : this.snapT1)[l] = this.accTime[s];
    (sideZero ? this.snapSeq0 : this.snapSeq1)[l] = this.accSeq[s];
  }

  /** Stream x becomes lazy: its links to lazy streams become eager links, the others get snapshots. */
  private makeLazy(x: number): void {
    this.lazy[x] = 1;
    const w = this.windows;
    for (let k = 0; k < w; k++) {
      this.accA[x * w + k] = 0;
      this.accN[x * w + k] = 0;
    }
    this.accTime[x] = this.streams.time[x];
    this.accSeq[x] = 0;
    for (let slot = this.head[x]; slot !== ABSENT; slot = this.nextSlot[slot]) {
      const l = slot >> 1;
      if (this.first[l] === this.second[l] || this.lazySide[l] !== NO_LAZY_SIDE) {
        // A self-link, or the partner is lazy already: x drives the link from now on.
        append(this.eagerHead, this.eagerTail, this.nextEagerSlot, x, slot);
      } else {
        this.setLazySide(l, x, slot & 1);
      }
    }
  }

  /**
   * Before a packet at time t touches this table's streams: a packet older than the latest time seen
   * first flushes the pending links, so that the partners' last times are Kitsune-py's when its
   * insert decides whether to decay.
   */
  beforeInsert(t: number): void {
    this.inOrder = t >= this.maxTime;
    if (this.inOrder) this.maxTime = t;
    else this.flush();
  }

  /**
   * After stream s was inserted with (v, t): Kitsune-py incStat.insert's loop over s.covs, eagerly
   * or lazily (see the class comment).
   */
  afterInsert(s: number, v: number, t: number): void {
    const inOrder = this.inOrder;
    if (s >= this.head.length) return;
    if (this.lazy[s] === 1) {
      this.accumulate(s, v, t);
      if (inOrder) {
        if (this.dirtyMark[s] === 0) {
          this.dirtyMark[s] = 1;
          this.dirty.push(s);
        }
        for (let slot = this.eagerHead[s]; slot !== ABSENT; slot = this.nextEagerSlot[slot]) this.drive(slot, s, v, t);
      } else {
        for (let slot = this.head[s]; slot !== ABSENT; slot = this.nextSlot[slot]) {
          const l = slot >> 1;
          this.update(l, s, v, t);
          if (this.lazySide[l] === (slot & 1) && this.first[l] !== this.second[l]) this.snapshot(l, s, (slot & 1) === 0);
        }
      }
      return;
    }
    for (let slot = this.head[s]; slot !== ABSENT; slot = this.nextSlot[slot]) this.drive(slot, s, v, t);
  }

  /** Update of link slot>>1 by its non-lazy side s, after catching up the lazy side's pending inserts. */
  private drive(slot: number, s: number, v: number, t: number): void {
    const l = slot >> 1;
    const partnerSide = (slot & 1) ^ 1;
    if (this.lazySide[l] === partnerSide) this.catchUp(l, partnerSide === 0 ? this.first[l] : this.second[l], partnerSide === 0);
    this.update(l, s, v, t);
  }

  /** Adds insert (v - mean, t) of lazy stream s to its accumulators. */
  private accumulate(s: number, v: number, t: number): void {
    const w = this.windows;
    const base = s * w;
    const mean = this.streams.mean;
    const last = this.accTime[s];
    const factors = this.decay.factors;
    const row = t > last ? this.decay.row(t - last) : -1;
    for (let k = 0; k < w; k++) {
      const f = row < 0 ? 1 : factors[row + k];
      const res = v - mean[base + k];
      this.accA[base + k] = this.accA[base + k] * f + res;
      this.accN[base + k] = this.accN[base + k] * f + 1;
      this.lastRes[base + k] = res;
    }
    if (t > last) this.accTime[s] = t;
    this.accSeq[s]++;
  }

  /** Brings link l up to date with the pending inserts of its lazy side s (closed form). */
  private catchUp(l: number, s: number, sideZero: boolean): void {
    const seq = this.accSeq[s];
    const snapSeq = sideZero ? this.snapSeq0 : this.snapSeq1;
    if (snapSeq[l] === seq) return;
    const w = this.windows;
    const at = this.accTime[s];
    const snapTime = sideZero ? this.snapT0 : this.snapT1;
    const snapA = sideZero ? this.snapA0 : this.snapA1;
    const snapN = sideZero ? this.snapN0 : this.snapN1;
    const mine = sideZero ? this.res0 : this.res1;
    const theirs = sideZero ? this.res1 : this.res0;
    const factors = this.decay.factors;
    const snapRow = at > snapTime[l] ? this.decay.row(at - snapTime[l]) : -1;
    const linkRow = at > this.time[l] ? this.decay.row(at - this.time[l]) : -1;
    const lb = l * w;
    const sb = s * w;
    for (let k = 0; k < w; k++) {
      const fs = snapRow < 0 ? 1 : factors[snapRow + k];
      const fl = linkRow < 0 ? 1 : factors[linkRow + k];
      const pendingA = this.accA[sb + k] - snapA[lb + k] * fs;
      const pendingN = this.accN[sb + k] - snapN[lb + k] * fs;
      this.cf3[lb + k] = this.cf3[lb + k] * fl + pendingA * theirs[lb + k];
      this.w3[lb + k] = this.w3[lb + k] * fl + pendingN;
      mine[lb + k] = this.lastRes[sb + k];
      snapA[lb + k] = this.accA[sb + k];
      snapN[lb + k] = this.accN[sb + k];
    }
    if (at > this.time[l]) this.time[l] = at;
    snapTime[l] = at;
    snapSeq[l] = seq;
  }

  /**
   * Brings every pending link up to date and decays the partners of lazy streams to those streams'
   * latest times (Kitsune-py's per-insert updates would have): needed before an out-of-order packet.
   */
  flush(): void {
    for (const s of this.dirty) {
      this.dirtyMark[s] = 0;
      for (let slot = this.head[s]; slot !== ABSENT; slot = this.nextSlot[slot]) {
        const l = slot >> 1;
        const sideZero = (slot & 1) === 0;
        if (this.lazySide[l] === (slot & 1)) this.catchUp(l, s, sideZero);
        this.streams.decayTo(sideZero ? this.second[l] : this.first[l], this.accTime[s]);
      }
    }
    this.dirty.length = 0;
  }

  /**
   * Kitsune-py update_get_2D_Stats' extra update of the queried link l by src with (v, t), after
   * bringing it up to date.
   */
  query(l: number, src: number, v: number, t: number): void {
    const side = this.lazySide[l];
    if (side !== NO_LAZY_SIDE) this.catchUp(l, side === 0 ? this.first[l] : this.second[l], side === 0);
    this.update(l, src, v, t);
  }

  /** Kitsune-py incStat_cov.update_cov(ID of s, v, t), applied at once. */
  private update(l: number, s: number, v: number, t: number): void {
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

  /** Largest w3 over the windows of link l once decayed to time t (for eviction; after a flush). */
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
   * dropped), renumbered in order; rebuilds the chains in the same relative order. Call flush() first
   * (the streams are already compacted: per-stream fields move here by streamRemap).
   */
  compact(keep: Uint8Array, streamRemap: Int32Array): void {
    const w = this.windows;
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
      n++;
    }
    this.count = n;
    for (const key of ['lazySide'] as const) moveElements(this[key], linkRemap, 1);
    for (const [key, perWindow] of LINK_F64) moveElements(this[key], linkRemap, perWindow ? w : 1);
    const streams = Math.min(streamRemap.length, this.head.length);
    const streamMoves = streamRemap.subarray(0, streams);
    moveElements(this.lazy, streamMoves, 1);
    for (const [key, perWindow] of STREAM_F64) moveElements(this[key], streamMoves, perWindow ? w : 1);
    const oldHead = this.head;
    const oldNext = this.nextSlot;
    const oldEagerHead = this.eagerHead;
    const oldEagerNext = this.nextEagerSlot;
    this.resetChains();
    this.index.clear();
    for (let l = 0; l < n; l++) {
      if (this.first[l] !== this.second[l]) {
        this.index.set(Math.min(this.first[l], this.second[l]), Math.max(this.first[l], this.second[l]), l);
      }
    }
    this.degree.fill(0);
    for (let s = 0; s < streamRemap.length && s < oldHead.length; s++) {
      const ns = streamRemap[s];
      if (ns < 0) continue;
      for (let slot = oldHead[s]; slot !== ABSENT; slot = oldNext[slot]) {
        const nl = linkRemap[slot >> 1];
        if (nl === ABSENT) continue;
        append(this.head, this.tail, this.nextSlot, ns, 2 * nl + (slot & 1));
        this.degree[ns]++;
      }
      for (let slot = oldEagerHead[s]; slot !== ABSENT; slot = oldEagerNext[slot]) {
        const nl = linkRemap[slot >> 1];
        if (nl !== ABSENT) append(this.eagerHead, this.eagerTail, this.nextEagerSlot, ns, 2 * nl + (slot & 1));
      }
    }
  }

  private resetChains(): void {
    const cap = Math.max(this.streams.capacity, this.head.length);
    this.nextSlot = new Int32Array(2 * this.capacity).fill(ABSENT);
    this.nextEagerSlot = new Int32Array(2 * this.capacity).fill(ABSENT);
    this.head = new Int32Array(cap).fill(ABSENT);
    this.tail = new Int32Array(cap).fill(ABSENT);
    this.eagerHead = new Int32Array(cap).fill(ABSENT);
    this.eagerTail = new Int32Array(cap).fill(ABSENT);
  }

  /** Full state; chains as lists of slots so that fromJSON restores the exact order. */
  toJSON(): Record<string, unknown> {
    const n = this.count;
    const w = this.windows;
    const streams = Math.min(this.streams.count, this.head.length);
    const chain = (head: Int32Array, next: Int32Array, s: number): number[] => {
      const slots: number[] = [];
      for (let slot = head[s]; slot !== ABSENT; slot = next[slot]) slots.push(slot);
      return slots;
    };
    const state: Record<string, unknown> = {
      count: n,
      streams,
      maxTime: Number.isFinite(this.maxTime) ? this.maxTime : null,
      dirty: this.dirty.slice(),
      chains: Array.from({ length: streams }, (_, s) => chain(this.head, this.nextSlot, s)),
      eagerChains: Array.from({ length: streams }, (_, s) => chain(this.eagerHead, this.nextEagerSlot, s)),
    };
    for (const key of LINK_I32) state[key] = int32ToJson(this[key], n);
    for (const [key, perWindow] of LINK_F64) state[key] = float64ToJson(this[key], perWindow ? n * w : n);
    for (const key of STREAM_I32) state[key] = int32ToJson(this[key], streams);
    for (const [key, perWindow] of STREAM_F64) state[key] = float64ToJson(this[key], perWindow ? streams * w : streams);
    return state;
  }

  /** Restores the state written by toJSON into this (empty) table; the stream table is loaded first. */
  load(json: unknown): void {
    const state = asRecord(json);
    const n = Number(state.count);
    const w = this.windows;
    const cap = grownCapacity(0, n);
    const streamCap = Math.max(this.streams.capacity, Number(state.streams));
    for (const key of LINK_I32) this[key] = int32FromJson(state[key], cap);
    for (const [key, perWindow] of LINK_F64) this[key] = float64FromJson(state[key], perWindow ? cap * w : cap);
    for (const key of STREAM_I32) this[key] = int32FromJson(state[key], streamCap);
    for (const [key, perWindow] of STREAM_F64) this[key] = float64FromJson(state[key], perWindow ? streamCap * w : streamCap);
    this.capacity = cap;
    this.count = n;
    this.maxTime = state.maxTime === null ? -Infinity : Number(state.maxTime);
    this.dirtyMark = new Uint8Array(streamCap);
    this.dirty = (state.dirty as number[]).slice();
    for (const s of this.dirty) this.dirtyMark[s] = 1;
    this.resetChains();
    for (let l = 0; l < n; l++) {
      if (this.first[l] !== this.second[l]) {
        this.index.set(Math.min(this.first[l], this.second[l]), Math.max(this.first[l], this.second[l]), l);
      }
    }
    (state.chains as number[][]).forEach((slots, s) => {
      for (const slot of slots) append(this.head, this.tail, this.nextSlot, s, slot);
    });
    (state.eagerChains as number[][]).forEach((slots, s) => {
      for (const slot of slots) append(this.eagerHead, this.eagerTail, this.nextEagerSlot, s, slot);
    });
  }
}

/** Moves element i (of `width` values) to remap[i] where remap[i] >= 0; remap is increasing. */
function moveElements(array: Float64Array | Int32Array, remap: Int32Array, width: number): void {
  for (let i = 0; i < remap.length; i++) {
    const to = remap[i];
    if (to < 0 || to === i) continue;
    if (width === 1) array[to] = array[i];
    else array.copyWithin(to * width, i * width, i * width + width);
  }
}

/** Appends `slot` to stream s's chain (head/tail per stream, next per slot). */
function append(head: Int32Array, tail: Int32Array, next: Int32Array, s: number, slot: number): void {
  next[slot] = ABSENT;
  const last = tail[s];
  if (last === ABSENT) head[s] = slot;
  else next[last] = slot;
  tail[s] = slot;
}
