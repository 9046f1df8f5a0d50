import type { DecayFactors } from './decay.js';
import { grownCapacity, growFloat64, growInt32 } from './growth.js';
import { asArray, asRecord, integerInRange, recordFieldFromJson, recordFieldToJson, type RecordField } from './json-arrays.js';
import { ABSENT, PairIndex } from './pair-index.js';
import { INITIAL_WEIGHT, MEAN, PER_WINDOW as STREAM_PER_WINDOW, type StreamTable, VARIANCE, WINDOWS_AT } from './stream-table.js';

/**
 * A stream with this many link slots stops updating its links on every insert (it becomes "lazy").
 * Below it, the per-insert loop is cheaper than the closed-form bookkeeping. On the bench capture 4
 * does a little less work (7.4 link updates per packet against 8.8, as many decay rows) but runs
 * only a few percent faster, while more features differ from Kitsune-py in their last bits.
 */
export const LAZY_DEGREE = 16;

/** lazySide value of a link whose both sides apply their inserts at once. */
const NO_LAZY_SIDE = -1;

/*
 * Storage: records in a few typed arrays, so that an update touches a few adjacent cache lines
 * rather than one line per field, as one typed array per field would.
 * Link record (Float64, linkStride doubles): its time, the snapshot times and counts of both sides,
 * then per window k [cf3, w3, res0, res1] at EAGER_AT + 4k, then per window the snapshots
 * [snapA0, snapN0, snapA1, snapN1] (only lazy links read those). Fields of side x (0 or 1) are at
 * the side-0 offset + x (residual, snapshot time and count) or + 2x (snapshot sums).
 */
const L_TIME = 0;
const SNAP_T0 = 1;
const SNAP_SEQ0 = 3;
const EAGER_AT = 5;
const PER_LINK_WINDOW = 4;
const CF3 = 0;
const W3 = 1;
const RES0 = 2;
const SNAP_A0 = 0;
const SNAP_N0 = 1;
/** Link integers (Int32, LINK_INTS each): its streams, its lazy side, the next slot of each side in the chain and in the driven chain. */
const LINK_INTS = 8;
const FIRST = 0;
const SECOND = 1;
const LAZY_SIDE = 2;
const NEXT = 3;
const NEXT_DRIVEN = 5;
/** Stream integers (Int32, STREAM_INTS each): chain and driven-chain head and tail, degree, laziness, dirty mark. */
const STREAM_INTS = 8;
const HEAD = 0;
const DRIVEN_HEAD = 2;
/** A chain's tail follows its head. */
const TAIL = 1;
const DEGREE = 4;
const LAZY = 5;
const DIRTY = 6;
/** Stream accumulators (Float64, accStride each): latest time, insert count, then per window [A, N, last residual]. */
const ACC_TIME = 0;
const ACC_SEQ = 1;
const ACC_AT = 2;
const PER_ACC_WINDOW = 3;
const ACC_A = 0;
const ACC_N = 1;
const LAST_RES = 2;

/** JSON columns (the state format): name, offset, per window (offset within the window block) or not. */
const LINK_F64_COLUMNS: readonly [string, number, boolean][] = [
  ['time', L_TIME, false], ['cf3', CF3, true], ['w3', W3, true], ['res0', RES0, true], ['res1', RES0 + 1, true],
  ['snapT0', SNAP_T0, false], ['snapT1', SNAP_T0 + 1, false], ['snapSeq0', SNAP_SEQ0, false], ['snapSeq1', SNAP_SEQ0 + 1, false],
];
const LINK_SNAP_COLUMNS: readonly [string, number][] = [
  ['snapA0', SNAP_A0], ['snapN0', SNAP_N0], ['snapA1', SNAP_A0 + 2], ['snapN1', SNAP_N0 + 2],
];
const LINK_I32_COLUMNS: readonly [string, number][] = [['first', FIRST], ['second', SECOND], ['lazySide', LAZY_SIDE]];
const STREAM_F64_COLUMNS: readonly [string, number, boolean][] = [
  ['accA', ACC_A, true], ['accN', ACC_N, true], ['lastRes', LAST_RES, true], ['accTime', ACC_TIME, false], ['accSeq', ACC_SEQ, false],
];
const STREAM_I32_COLUMNS: readonly [string, number][] = [['degree', DEGREE], ['lazy', LAZY]];

/** A JSON column: a field of one record pool, per link or per stream. */
interface Column extends RecordField {
  pool: Float64Array | Int32Array;
  stride: number;
  streams: boolean;
}

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
 * An eager stream drives all its links; a lazy one drives (its driven chain) its self-links and its links
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
  /** Decay windows per statistic. */
  private readonly windows: number;
  /** Doubles per link record and per stream accumulator record. */
  private readonly linkStride: number;
  private readonly accStride: number;
  /** Offset in a link record of the per-window snapshot blocks. */
  private readonly snapsAt: number;
  private links = new Float64Array(0);
  private linkInts = new Int32Array(0);
  /** Per stream of the stream table (indexed by stream id), grown with it. */
  private streamInts = new Int32Array(0);
  private acc = new Float64Array(0);
  /** Streams covered by streamInts and acc. */
  private streamCapacity = 0;
  /** Lazy streams inserted since the last flush. */
  private dirty: number[] = [];
  /** Latest packet time seen by this table. */
  private maxTime = -Infinity;
  /** Whether the current packet is at or after every earlier one (set by beforeInsert). */
  private inOrder = true;
  private readonly index = new PairIndex();

  constructor(
    private readonly streams: StreamTable,
    private readonly decay: DecayFactors,
    private readonly lazyDegree = LAZY_DEGREE,
  ) {
    const w = streams.windows;
    this.windows = w;
    this.snapsAt = EAGER_AT + PER_LINK_WINDOW * w;
    this.linkStride = this.snapsAt + PER_LINK_WINDOW * w;
    this.accStride = ACC_AT + PER_ACC_WINDOW * w;
  }


  /** The link's first stream (the src that created it, Kitsune-py incStats[0]). */
  first(l: number): number {
    return this.linkInts[l * LINK_INTS + FIRST];
  }

  second(l: number): number {
    return this.linkInts[l * LINK_INTS + SECOND];
  }

  /**
   * Kitsune-py incStatDB.register_cov's search: the FIRST link of src whose either end is dst.
   * For src != dst that is the (src, dst) link, found in the pair index; for src == dst it is src's
   * first link whoever the partner is (lookup quirk), else none.
   */
  find(src: number, dst: number): number {
    if (src === dst) {
      const slot = src < this.streamCapacity ? this.streamInts[src * STREAM_INTS + HEAD] : ABSENT;
      return slot === ABSENT ? ABSENT : slot >> 1;
    }
    return src < dst ? this.index.get(src, dst) : this.index.get(dst, src);
  }

  private ensureStreams(): void {
    const cap = this.streams.capacity;
    if (this.streamCapacity >= cap) return;
    this.streamInts = growInt32(this.streamInts, cap * STREAM_INTS);
    this.emptyChains(this.streamCapacity, cap);
    this.acc = growFloat64(this.acc, cap * this.accStride);
    this.streamCapacity = cap;
  }

  /** Streams from..to-1 get empty chains and driven chains. */
  private emptyChains(from: number, to: number): void {
    for (let s = from; s < to; s++) this.streamInts.fill(ABSENT, s * STREAM_INTS + HEAD, s * STREAM_INTS + DRIVEN_HEAD + TAIL + 1);
  }

  /** Rebuilds the pair index of links 0..count-1 (self-links are found through their stream's chain). */
  private rebuildIndex(): void {
    this.index.clear();
    for (let l = 0; l < this.count; l++) this.indexLink(l);
  }

  private indexLink(l: number): void {
    const a = this.first(l);
    const b = this.second(l);
    if (a !== b) this.index.set(Math.min(a, b), Math.max(a, b), l);
  }

  /** The next slot after `slot` in its chain (nextAt = NEXT) or driven chain (NEXT_DRIVEN). */
  private next(slot: number, nextAt: number): number {
    return this.linkInts[(slot >> 1) * LINK_INTS + nextAt + (slot & 1)];
  }

  /** Appends `slot` to stream s's chain (headAt = HEAD, nextAt = NEXT) or driven chain. */
  private append(s: number, slot: number, headAt: number, nextAt: number): void {
    const ints = this.linkInts;
    const streamInts = this.streamInts;
    ints[(slot >> 1) * LINK_INTS + nextAt + (slot & 1)] = ABSENT;
    const last = streamInts[s * STREAM_INTS + headAt + TAIL];
    if (last === ABSENT) streamInts[s * STREAM_INTS + headAt] = slot;
    else ints[(last >> 1) * LINK_INTS + nextAt + (last & 1)] = slot;
    streamInts[s * STREAM_INTS + headAt + TAIL] = slot;
  }

  private appendDriven(s: number, slot: number): void {
    this.append(s, slot, DRIVEN_HEAD, NEXT_DRIVEN);
  }

  private isLazy(s: number): boolean {
    return this.streamInts[s * STREAM_INTS + LAZY] === 1;
  }

  /** A new link (src, dst) created at time t, appended to both streams' chains. */
  create(src: number, dst: number, t: number): number {
    const l = this.count;
    if (l === this.capacity) this.grow(l + 1);
    this.ensureStreams();
    this.count = l + 1;
    const ints = this.linkInts;
    ints[l * LINK_INTS + FIRST] = src;
    ints[l * LINK_INTS + SECOND] = dst;
    ints[l * LINK_INTS + LAZY_SIDE] = NO_LAZY_SIDE;
    const links = this.links;
    const at = l * this.linkStride;
    links.fill(0, at, at + this.linkStride);
    links[at + L_TIME] = t;
    for (let k = 0; k < this.windows; k++) links[at + EAGER_AT + k * PER_LINK_WINDOW + W3] = INITIAL_WEIGHT;
    this.indexLink(l);
    this.append(src, 2 * l, HEAD, NEXT);
    this.append(dst, 2 * l + 1, HEAD, NEXT);
    const streamInts = this.streamInts;
    streamInts[src * STREAM_INTS + DEGREE]++;
    streamInts[dst * STREAM_INTS + DEGREE]++;
    const srcLazy = this.isLazy(src);
    const dstLazy = this.isLazy(dst);
    if (src === dst) {
      if (srcLazy) {
        this.appendDriven(src, 2 * l);
        this.appendDriven(src, 2 * l + 1);
      }
    } else if (srcLazy && (!dstLazy || streamInts[src * STREAM_INTS + DEGREE] > streamInts[dst * STREAM_INTS + DEGREE])) {
      this.setLazySide(l, src, 0);
      if (dstLazy) this.appendDriven(dst, 2 * l + 1);
    } else if (dstLazy) {
      this.setLazySide(l, dst, 1);
      if (srcLazy) this.appendDriven(src, 2 * l);
    }
    if (!this.isLazy(src) && streamInts[src * STREAM_INTS + DEGREE] >= this.lazyDegree) this.makeLazy(src);
    if (!this.isLazy(dst) && streamInts[dst * STREAM_INTS + DEGREE] >= this.lazyDegree) this.makeLazy(dst);
    return l;
  }

  private grow(needed: number): void {
    const cap = grownCapacity(this.capacity, needed);
    this.links = growFloat64(this.links, cap * this.linkStride);
    this.linkInts = growInt32(this.linkInts, cap * LINK_INTS);
    this.capacity = cap;
  }

  /** Makes s (on `side` of link l) the link's lazy side, from a snapshot of its accumulators. */
  private setLazySide(l: number, s: number, side: number): void {
    this.linkInts[l * LINK_INTS + LAZY_SIDE] = side;
    this.snapshot(l, s, side);
  }

  /** Records stream s's accumulators as link l's snapshot for its `side`. */
  private snapshot(l: number, s: number, side: number): void {
    const links = this.links;
    const acc = this.acc;
    const at = l * this.linkStride;
    const sa = s * this.accStride;
    for (let k = 0; k < this.windows; k++) {
      const snap = at + this.snapsAt + k * PER_LINK_WINDOW + 2 * side;
      links[snap + SNAP_A0] = acc[sa + ACC_AT + k * PER_ACC_WINDOW + ACC_A];
      links[snap + SNAP_N0] = acc[sa + ACC_AT + k * PER_ACC_WINDOW + ACC_N];
    }
    links[at + SNAP_T0 + side] = acc[sa + ACC_TIME];
    links[at + SNAP_SEQ0 + side] = acc[sa + ACC_SEQ];
  }

  /** Stream x becomes lazy: its links to lazy streams become eager links, the others get snapshots. */
  private makeLazy(x: number): void {
    this.streamInts[x * STREAM_INTS + LAZY] = 1;
    const sa = x * this.accStride;
    this.acc.fill(0, sa, sa + this.accStride);
    this.acc[sa + ACC_TIME] = this.streams.time(x);
    for (let slot = this.streamInts[x * STREAM_INTS + HEAD]; slot !== ABSENT; slot = this.next(slot, NEXT)) {
      const l = slot >> 1;
      if (this.first(l) === this.second(l) || this.linkInts[l * LINK_INTS + LAZY_SIDE] !== NO_LAZY_SIDE) {
        // A self-link, or the partner is lazy already: x drives the link from now on.
        this.appendDriven(x, slot);
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
    if (s >= this.streamCapacity) return;
    const streamInts = this.streamInts;
    if (streamInts[s * STREAM_INTS + LAZY] === 1) {
      this.accumulate(s, v, t);
      if (this.inOrder) {
        if (streamInts[s * STREAM_INTS + DIRTY] === 0) {
          streamInts[s * STREAM_INTS + DIRTY] = 1;
          this.dirty.push(s);
        }
        for (let slot = streamInts[s * STREAM_INTS + DRIVEN_HEAD]; slot !== ABSENT; slot = this.next(slot, NEXT_DRIVEN)) {
          this.drive(slot, v, t);
        }
      } else {
        for (let slot = streamInts[s * STREAM_INTS + HEAD]; slot !== ABSENT; slot = this.next(slot, NEXT)) {
          const l = slot >> 1;
          const side = slot & 1;
          this.update(l, side, v, t);
          if (this.linkInts[l * LINK_INTS + LAZY_SIDE] === side && this.first(l) !== this.second(l)) this.snapshot(l, s, side);
        }
      }
      return;
    }
    for (let slot = streamInts[s * STREAM_INTS + HEAD]; slot !== ABSENT; slot = this.next(slot, NEXT)) this.drive(slot, v, t);
  }

  /** Update of link slot>>1 by its non-lazy side (slot & 1), after catching up the lazy side's pending inserts. */
  private drive(slot: number, v: number, t: number): void {
    const l = slot >> 1;
    const partnerSide = (slot & 1) ^ 1;
    if (this.linkInts[l * LINK_INTS + LAZY_SIDE] === partnerSide) this.catchUp(l, partnerSide);
    this.update(l, slot & 1, v, t);
  }

  /** Adds insert (v - mean, t) of lazy stream s to its accumulators. */
  private accumulate(s: number, v: number, t: number): void {
    const acc = this.acc;
    const sa = s * this.accStride;
    const stats = this.streams.stats;
    const meanAt = s * this.streams.stride + WINDOWS_AT + MEAN;
    const last = acc[sa + ACC_TIME];
    const factors = this.decay.factors;
    const row = t > last ? this.decay.row(t - last) : -1;
    for (let k = 0; k < this.windows; k++) {
      const f = row < 0 ? 1 : factors[row + k];
      const res = v - stats[meanAt + k * STREAM_PER_WINDOW];
      const i = sa + ACC_AT + k * PER_ACC_WINDOW;
      acc[i + ACC_A] = acc[i + ACC_A] * f + res;
      acc[i + ACC_N] = acc[i + ACC_N] * f + 1;
      acc[i + LAST_RES] = res;
    }
    if (t > last) acc[sa + ACC_TIME] = t;
    acc[sa + ACC_SEQ]++;
  }

  /** Brings link l up to date with the pending inserts of its lazy side (0 or 1) (closed form). */
  private catchUp(l: number, side: number): void {
    const s = this.linkInts[l * LINK_INTS + FIRST + side];
    const links = this.links;
    const acc = this.acc;
    const at = l * this.linkStride;
    const sa = s * this.accStride;
    const seq = acc[sa + ACC_SEQ];
    if (links[at + SNAP_SEQ0 + side] === seq) return;
    const accTime = acc[sa + ACC_TIME];
    const snapTime = links[at + SNAP_T0 + side];
    const linkTime = links[at + L_TIME];
    const factors = this.decay.factors;
    const snapRow = accTime > snapTime ? this.decay.row(accTime - snapTime) : -1;
    const linkRow = accTime > linkTime ? this.decay.row(accTime - linkTime) : -1;
    for (let k = 0; k < this.windows; k++) {
      const fs = snapRow < 0 ? 1 : factors[snapRow + k];
      const fl = linkRow < 0 ? 1 : factors[linkRow + k];
      const e = at + EAGER_AT + k * PER_LINK_WINDOW;
      const snap = at + this.snapsAt + k * PER_LINK_WINDOW + 2 * side;
      const a = sa + ACC_AT + k * PER_ACC_WINDOW;
      const pendingA = acc[a + ACC_A] - links[snap + SNAP_A0] * fs;
      const pendingN = acc[a + ACC_N] - links[snap + SNAP_N0] * fs;
      links[e + CF3] = links[e + CF3] * fl + pendingA * links[e + RES0 + (side ^ 1)];
      links[e + W3] = links[e + W3] * fl + pendingN;
      links[e + RES0 + side] = acc[a + LAST_RES];
      links[snap + SNAP_A0] = acc[a + ACC_A];
      links[snap + SNAP_N0] = acc[a + ACC_N];
    }
    if (accTime > linkTime) links[at + L_TIME] = accTime;
    links[at + SNAP_T0 + side] = accTime;
    links[at + SNAP_SEQ0 + side] = seq;
  }

  /**
   * Brings every pending link up to date and decays the partners of lazy streams to those streams'
   * latest times (Kitsune-py's per-insert updates would have): needed before an out-of-order packet.
   */
  flush(): void {
    for (const s of this.dirty) {
      this.streamInts[s * STREAM_INTS + DIRTY] = 0;
      const accTime = this.acc[s * this.accStride + ACC_TIME];
      for (let slot = this.streamInts[s * STREAM_INTS + HEAD]; slot !== ABSENT; slot = this.next(slot, NEXT)) {
        const l = slot >> 1;
        const side = slot & 1;
        if (this.linkInts[l * LINK_INTS + LAZY_SIDE] === side) this.catchUp(l, side);
        this.streams.decayTo(this.linkInts[l * LINK_INTS + FIRST + (side ^ 1)], accTime);
      }
    }
    this.dirty.length = 0;
  }

  /**
   * Kitsune-py update_get_2D_Stats' extra update of the queried link l by src with (v, t), after
   * bringing it up to date.
   */
  query(l: number, src: number, v: number, t: number): void {
    const side = this.linkInts[l * LINK_INTS + LAZY_SIDE];
    if (side !== NO_LAZY_SIDE) this.catchUp(l, side);
    this.update(l, this.first(l) === src ? 0 : 1, v, t);
  }

  /**
   * Kitsune-py incStat_cov.update_cov(ID of the stream on `side`, v, t), applied at once. The side
   * is the one Kitsune-py matches: side 0 whenever the stream is the link's first (so a self-link is
   * always updated as side 0).
   */
  private update(l: number, slotSide: number, v: number, t: number): void {
    const ints = this.linkInts;
    const s = ints[l * LINK_INTS + FIRST + slotSide];
    const side = ints[l * LINK_INTS + FIRST] === s ? 0 : 1;
    this.streams.decayTo(ints[l * LINK_INTS + FIRST + (side ^ 1)], t);
    const links = this.links;
    const at = l * this.linkStride;
    const last = links[at + L_TIME];
    if (t > last) {
      const factors = this.decay.factors;
      const row = this.decay.row(t - last);
      for (let k = 0, e = at + EAGER_AT; k < this.windows; k++, e += PER_LINK_WINDOW) {
        links[e + CF3] *= factors[row + k];
        links[e + W3] *= factors[row + k];
      }
      links[at + L_TIME] = t;
    }
    const stats = this.streams.stats;
    const meanAt = s * this.streams.stride + WINDOWS_AT + MEAN;
    for (let k = 0, e = at + EAGER_AT; k < this.windows; k++, e += PER_LINK_WINDOW) {
      const res = v - stats[meanAt + k * STREAM_PER_WINDOW];
      links[e + CF3] += res * links[e + RES0 + (side ^ 1)];
      links[e + W3] += 1;
      links[e + RES0 + side] = res;
    }
  }

  /**
   * Writes radius, magnitude, covariance, pcc of every window to out[offset + k*stride ..]
   * (Kitsune-py incStat_cov.get_stats2), from the cached mean/variance of both streams.
   */
  write2D(l: number, out: Float64Array, offset: number, stride: number): void {
    const stats = this.streams.stats;
    const aAt = this.first(l) * this.streams.stride + WINDOWS_AT;
    const bAt = this.second(l) * this.streams.stride + WINDOWS_AT;
    const links = this.links;
    for (let k = 0, e = l * this.linkStride + EAGER_AT; k < this.windows; k++, e += PER_LINK_WINDOW) {
      const o = offset + k * stride;
      const varA = stats[aAt + k * STREAM_PER_WINDOW + VARIANCE];
      const varB = stats[bAt + k * STREAM_PER_WINDOW + VARIANCE];
      const meanA = stats[aAt + k * STREAM_PER_WINDOW + MEAN];
      const meanB = stats[bAt + k * STREAM_PER_WINDOW + MEAN];
      const cov = links[e + CF3] / links[e + W3];
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
    const links = this.links;
    const at = l * this.linkStride;
    const last = links[at + L_TIME];
    const decays = t > last;
    const row = decays ? this.decay.row(t - last) : 0;
    let max = 0;
    for (let k = 0, e = at + EAGER_AT; k < this.windows; k++, e += PER_LINK_WINDOW) {
      max = Math.max(max, links[e + W3] * (decays ? this.decay.factors[row + k] : 1));
    }
    return max;
  }

  /**
   * Keeps links with keep[l] = 1 whose streams survive `streamRemap` (old -> new stream id, -1 if
   * dropped), renumbered in order; rebuilds the chains in the same relative order. Call flush() first
   * (the streams are already compacted: per-stream fields move here by streamRemap).
   */
  compact(keep: Uint8Array, streamRemap: Int32Array): void {
    const oldCount = this.count;
    const oldLinkInts = this.linkInts.slice(0, oldCount * LINK_INTS);
    const oldStreamInts = this.streamInts.slice();
    const linkRemap = new Int32Array(oldCount).fill(ABSENT);
    const ls = this.linkStride;
    let n = 0;
    for (let l = 0; l < oldCount; l++) {
      const a = streamRemap[oldLinkInts[l * LINK_INTS + FIRST]];
      const b = streamRemap[oldLinkInts[l * LINK_INTS + SECOND]];
      if (keep[l] !== 1 || a < 0 || b < 0) continue;
      linkRemap[l] = n;
      this.linkInts[n * LINK_INTS + FIRST] = a;
      this.linkInts[n * LINK_INTS + SECOND] = b;
      this.linkInts[n * LINK_INTS + LAZY_SIDE] = oldLinkInts[l * LINK_INTS + LAZY_SIDE];
      if (n !== l) this.links.copyWithin(n * ls, l * ls, l * ls + ls);
      n++;
    }
    this.count = n;
    const as = this.accStride;
    const streams = Math.min(streamRemap.length, this.streamCapacity);
    this.streamInts.fill(0);
    this.emptyChains(0, this.streamCapacity);
    for (let s = 0; s < streams; s++) {
      const ns = streamRemap[s];
      if (ns < 0) continue;
      this.streamInts[ns * STREAM_INTS + LAZY] = oldStreamInts[s * STREAM_INTS + LAZY];
      if (ns !== s) this.acc.copyWithin(ns * as, s * as, s * as + as);
    }
    this.rebuildIndex();
    const oldNext = (slot: number, nextAt: number) => oldLinkInts[(slot >> 1) * LINK_INTS + nextAt + (slot & 1)];
    for (let s = 0; s < streams; s++) {
      const ns = streamRemap[s];
      if (ns < 0) continue;
      for (let slot = oldStreamInts[s * STREAM_INTS + HEAD]; slot !== ABSENT; slot = oldNext(slot, NEXT)) {
        const nl = linkRemap[slot >> 1];
        if (nl === ABSENT) continue;
        this.append(ns, 2 * nl + (slot & 1), HEAD, NEXT);
        this.streamInts[ns * STREAM_INTS + DEGREE]++;
      }
      for (let slot = oldStreamInts[s * STREAM_INTS + DRIVEN_HEAD]; slot !== ABSENT; slot = oldNext(slot, NEXT_DRIVEN)) {
        const nl = linkRemap[slot >> 1];
        if (nl !== ABSENT) this.appendDriven(ns, 2 * nl + (slot & 1));
      }
    }
  }

  /** Full state; chains as lists of slots so that load restores the exact order. */
  toJSON(): Record<string, unknown> {
    const n = this.count;
    const streams = Math.min(this.streams.count, this.streamCapacity);
    const chain = (s: number, headAt: number, nextAt: number): number[] => {
      const slots: number[] = [];
      for (let slot = this.streamInts[s * STREAM_INTS + headAt]; slot !== ABSENT; slot = this.next(slot, nextAt)) slots.push(slot);
      return slots;
    };
    const state: Record<string, unknown> = {
      count: n,
      streams,
      maxTime: Number.isFinite(this.maxTime) ? this.maxTime : null,
      dirty: this.dirty.slice(),
      chains: Array.from({ length: streams }, (_, s) => chain(s, HEAD, NEXT)),
      eagerChains: Array.from({ length: streams }, (_, s) => chain(s, DRIVEN_HEAD, NEXT_DRIVEN)),
    };
    for (const [name, field] of this.columns()) state[name] = recordFieldToJson(field.pool, field.stride, field.streams ? streams : n, field);
    return state;
  }

  /** Restores the state written by toJSON into this (empty) table; the stream table is loaded first. */
  load(json: unknown): void {
    const state = asRecord(json);
    const n = integerInRange(state.count, asArray(state.first).length);
    this.grow(n);
    this.streamCapacity = 0;
    this.streamInts = new Int32Array(0);
    this.acc = new Float64Array(0);
    this.ensureStreams();
    const streams = integerInRange(state.streams, Math.min(this.streams.count, this.streamCapacity));
    for (const [name, field] of this.columns()) {
      recordFieldFromJson(state[name], field.pool, field.stride, field, field.streams ? streams : n);
    }
    this.count = n;
    this.checkRecords(streams);
    this.maxTime = state.maxTime === null ? -Infinity : Number(state.maxTime);
    this.dirty = asArray(state.dirty).map((s) => integerInRange(s, streams - 1));
    for (const s of this.dirty) {
      if (this.streamInts[s * STREAM_INTS + DIRTY] === 1) throw new TypeError('AfterImage state: a stream listed twice as dirty');
      this.streamInts[s * STREAM_INTS + DIRTY] = 1;
    }
    this.rebuildIndex();
    this.loadChains(state.chains, streams, HEAD, NEXT);
    this.loadChains(state.eagerChains, streams, DRIVEN_HEAD, NEXT_DRIVEN);
  }

  /** Links join streams 0..streams-1 and have a lazy side of -1, 0 or 1; streams are lazy or not. */
  private checkRecords(streams: number): void {
    const isStream = (s: number) => s >= 0 && s < streams;
    for (let l = 0; l < this.count; l++) {
      const side = this.linkInts[l * LINK_INTS + LAZY_SIDE];
      if (!isStream(this.first(l)) || !isStream(this.second(l)) || side < NO_LAZY_SIDE || side > 1) {
        throw new TypeError('AfterImage state: a link out of range');
      }
    }
    for (let s = 0; s < streams; s++) {
      const lazy = this.streamInts[s * STREAM_INTS + LAZY];
      if (lazy !== 0 && lazy !== 1) throw new TypeError('AfterImage state: a stream neither lazy nor eager');
    }
  }

  /**
   * Rebuilds each stream's chain (or driven chain) from its list of slots. Every slot must belong to
   * that stream and appear once at most: a slot linked twice would make the chain a cycle.
   */
  private loadChains(json: unknown, streams: number, headAt: number, nextAt: number): void {
    const lists = asArray(json);
    if (lists.length !== streams) throw new TypeError('AfterImage state: chain count does not match the streams');
    const seen = new Uint8Array(2 * this.count);
    lists.forEach((slots, s) => {
      for (const value of asArray(slots)) {
        const slot = integerInRange(value, 2 * this.count - 1);
        if (seen[slot] === 1 || this.linkInts[(slot >> 1) * LINK_INTS + FIRST + (slot & 1)] !== s) {
          throw new TypeError('AfterImage state: a chain slot that is not its stream\'s or is listed twice');
        }
        seen[slot] = 1;
        this.append(s, slot, headAt, nextAt);
      }
    });
  }

  /** The JSON columns and where each lives in the records. */
  private columns(): [string, Column][] {
    const w = this.windows;
    const field = (offset: number, blockAt: number, step: number, perWindow: boolean): RecordField =>
      perWindow ? { offset: blockAt + offset, count: w, step } : { offset, count: 1, step: 1 };
    const links = { pool: this.links, stride: this.linkStride, streams: false };
    const linkInts = { pool: this.linkInts, stride: LINK_INTS, streams: false };
    const streamInts = { pool: this.streamInts, stride: STREAM_INTS, streams: true };
    const acc = { pool: this.acc, stride: this.accStride, streams: true };
    return [
      ...LINK_I32_COLUMNS.map(([name, offset]): [string, Column] => [name, { ...linkInts, ...field(offset, 0, 1, false) }]),
      ...LINK_F64_COLUMNS.map(([name, offset, pw]): [string, Column] => [name, { ...links, ...field(offset, EAGER_AT, PER_LINK_WINDOW, pw) }]),
      ...LINK_SNAP_COLUMNS.map(([name, offset]): [string, Column] => [name, { ...links, ...field(offset, this.snapsAt, PER_LINK_WINDOW, true) }]),
      ...STREAM_I32_COLUMNS.map(([name, offset]): [string, Column] => [name, { ...streamInts, ...field(offset, 0, 1, false) }]),
      ...STREAM_F64_COLUMNS.map(([name, offset, pw]): [string, Column] => [name, { ...acc, ...field(offset, ACC_AT, PER_ACC_WINDOW, pw) }]),
    ];
  }
}
