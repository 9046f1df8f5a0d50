import type { PacketFields } from '../decode/fields.js';
import { ComponentInterner } from './component-interner.js';
import { DecayFactors } from './decay.js';
import { MIN_SWEEP_INTERVAL, sweep, type EvictableTable } from './eviction.js';
import { featureNames } from './feature-names.js';
import { asArray, asRecord, integerInRange } from './json-arrays.js';
import { LAZY_DEGREE, LinkTable } from './link-table.js';
import { ABSENT } from './pair-index.js';
import { StreamTable } from './stream-table.js';

export interface AfterImageOptions {
  /** Decay rates λ of the damped windows (per second). */
  lambdas?: readonly number[];
  /** Non-faithful: drop streams and links whose weight fell below this in every window. */
  evictBelow?: number;
  /** Non-faithful: keep at most about this many streams per table (least recently updated dropped). */
  maxStreams?: number;
  /**
   * Tuning: link-slot count from which a stream updates its links lazily (default LAZY_DEGREE).
   * Features are the same up to rounding (a few ulps) whatever the value.
   */
  lazyDegree?: number;
}

/** Kitsune-py netStat's default windows. */
export const DEFAULT_LAMBDAS: readonly number[] = [5, 3, 1, 0.1, 0.01];

/** Features per window: MI 3, HH 7, HH_jit 3, HpHp 7. */
const MI_STATS = 3;
const HH_STATS = 7;
const JIT_STATS = 3;
const HPHP_STATS = 7;
export const FEATURES_PER_WINDOW = MI_STATS + HH_STATS + JIT_STATS + HPHP_STATS;
/** The 1-D part of a 2-D group (weight, mean, variance) precedes the link's four statistics. */
const ONE_D_STATS = 3;
/** Kitsune-py's protocol value for ARP, whose HpHp keys are the MACs. */
const ARP = 'arp';
const STATE_VERSION = 1;

/**
 * AfterImage (Kitsune paper §IV-B; Kitsune-py netStat.updateGetStats): per packet, damped incremental
 * statistics over four kinds of streams, for every window λ (λ-major within each group):
 * - MI: key srcMAC+srcIP, value = size: weight, mean, variance;
 * - HH: stream srcIP (value size) and its link with stream dstIP: the 1-D stats, then radius,
 *   magnitude, covariance, pcc;
 * - HH_jit: key srcIP+dstIP, value = time since the key's last packet (0 when first or Δt <= 0);
 * - HpHp: as HH with keys srcIP+srcProtocol and dstIP+dstProtocol (srcMAC and dstMAC for ARP).
 * The column Kitsune-py calls `std` holds the variance; see stream-table.ts and link-table.ts.
 */
export class AfterImage {
  readonly featureCount: number;
  readonly featureNames: readonly string[];
  /** Decay rates λ of the damped windows (per second). */
  readonly lambdas: readonly number[];
  private readonly evictBelow: number;
  private readonly maxStreams: number;
  private readonly lazyDegree: number;
  private readonly interner: ComponentInterner;
  private readonly decay: DecayFactors;
  private readonly mi: StreamTable;
  private readonly hh: StreamTable;
  private readonly hhLinks: LinkTable;
  private readonly jit: StreamTable;
  private readonly hp: StreamTable;
  private readonly hpLinks: LinkTable;
  private readonly tables: readonly EvictableTable[];
  private readonly empty: number;
  private readonly evicting: boolean;
  /** Latest timestamp seen (eviction decays weights to it; a saved state ends there). */
  private now = -Infinity;
  private sinceSweep = 0;
  /** Streams left by the last sweep: the next one waits at least that many packets (amortised). */
  private liveAfterSweep = 0;

  constructor(opts: AfterImageOptions = {}, interner = new ComponentInterner()) {
    this.lambdas = [...(opts.lambdas ?? DEFAULT_LAMBDAS)];
    if (this.lambdas.length === 0 || this.lambdas.some((l) => !(l > 0) || !Number.isFinite(l))) {
      throw new RangeError('AfterImage: lambdas must be positive finite numbers');
    }
    this.evictBelow = opts.evictBelow ?? 0;
    this.maxStreams = opts.maxStreams ?? Infinity;
    if (!(this.evictBelow >= 0) || !(this.maxStreams >= 1)) {
      throw new RangeError('AfterImage: evictBelow must be >= 0 and maxStreams >= 1');
    }
    this.evicting = this.evictBelow > 0 || Number.isFinite(this.maxStreams);
    const windows = this.lambdas.length;
    this.featureCount = FEATURES_PER_WINDOW * windows;
    this.featureNames = featureNames(this.lambdas);
    this.interner = interner;
    this.empty = interner.id('');
    this.decay = new DecayFactors(this.lambdas);
    this.mi = new StreamTable(windows, this.decay, interner);
    this.hh = new StreamTable(windows, this.decay, interner);
    const lazyDegree = opts.lazyDegree ?? LAZY_DEGREE;
    if (!(lazyDegree >= 1)) throw new RangeError('AfterImage: lazyDegree must be >= 1');
    this.lazyDegree = lazyDegree;
    this.hhLinks = new LinkTable(this.hh, this.decay, lazyDegree);
    this.jit = new StreamTable(windows, this.decay, interner);
    this.hp = new StreamTable(windows, this.decay, interner);
    this.hpLinks = new LinkTable(this.hp, this.decay, lazyDegree);
    this.tables = [
      { streams: this.mi },
      { streams: this.hh, links: this.hhLinks },
      { streams: this.jit },
      { streams: this.hp, links: this.hpLinks },
    ];
  }

  /** Updates the statistics with one packet and writes its featureCount features to out[offset..]. */
  update(p: PacketFields, out: Float64Array, offset = 0): void {
    const t = p.timestamp;
    const v = p.datagramSize;
    const windows = this.lambdas.length;
    const interner = this.interner;
    const srcMAC = interner.id(p.srcMAC);
    const srcIP = interner.id(p.srcIP);
    const dstIP = interner.id(p.dstIP);

    const mi = this.mi.lookup(srcMAC, srcIP, t);
    this.mi.insert(mi, v, t);
    this.mi.write1D(mi, out, offset, MI_STATS);

    const hhOffset = offset + MI_STATS * windows;
    this.update2D(this.hh, this.hhLinks, srcIP, this.empty, dstIP, this.empty, v, t, out, hhOffset);

    const jitOffset = hhOffset + HH_STATS * windows;
    const jit = this.jit.lookup(srcIP, dstIP, t);
    // Kitsune-py isTypeDiff: the value is the time since the stream's last time, 0 unless positive
    // (a new stream is created at t, so its first value is 0).
    const gap = t - this.jit.time(jit);
    this.jit.insert(jit, gap > 0 ? gap : 0, t);
    this.jit.write1D(jit, out, jitOffset, JIT_STATS);

    const hpOffset = jitOffset + JIT_STATS * windows;
    if (p.srcProtocol === ARP) {
      // Kitsune-py keys ARP's HpHp streams by MAC alone; srcMAC + '' is the same key as a non-IP
      // frame's eth.src + '' fallback (key quirk), which the shared (id, '') pair reproduces.
      const dstMAC = interner.id(p.dstMAC);
      this.update2D(this.hp, this.hpLinks, srcMAC, this.empty, dstMAC, this.empty, v, t, out, hpOffset);
    } else {
      const srcPort = interner.id(p.srcProtocol);
      const dstPort = interner.id(p.dstProtocol);
      this.update2D(this.hp, this.hpLinks, srcIP, srcPort, dstIP, dstPort, v, t, out, hpOffset);
    }

    if (t > this.now) this.now = t;
    if (this.evicting) this.maybeSweep();
  }

  /** The latest packet time the statistics have seen (-Infinity before the first). */
  get latestTime(): number {
    return this.now;
  }

  /** Kitsune-py incStatDB.update_get_1D2D_Stats: insert src (updating its links), then the (src, dst) link. */
  private update2D(
    streams: StreamTable,
    links: LinkTable,
    src1: number,
    src2: number,
    dst1: number,
    dst2: number,
    v: number,
    t: number,
    out: Float64Array,
    offset: number,
  ): void {
    links.beforeInsert(t);
    const src = streams.lookup(src1, src2, t);
    streams.insert(src, v, t);
    links.afterInsert(src, v, t);
    streams.write1D(src, out, offset, HH_STATS);
    const dst = streams.lookup(dst1, dst2, t);
    let link = links.find(src, dst);
    if (link === ABSENT) link = links.create(src, dst, t);
    // The queried link is updated once more with the same (v, t): Kitsune-py update_get_2D_Stats.
    links.query(link, src, v, t);
    links.write2D(link, out, offset + ONE_D_STATS, HH_STATS);
  }

  private maybeSweep(): void {
    this.sinceSweep++;
    const overflow =
      this.mi.count > this.maxStreams ||
      this.hh.count > this.maxStreams ||
      this.jit.count > this.maxStreams ||
      this.hp.count > this.maxStreams;
    if (overflow || this.sinceSweep >= Math.max(MIN_SWEEP_INTERVAL, this.liveAfterSweep)) {
      sweep(this.tables, this.interner, this.now, this.evictBelow, this.maxStreams);
      this.sinceSweep = 0;
      this.liveAfterSweep = this.sizes.streams;
    }
  }

  /** Number of streams and links held (for memory reports and tests). */
  get sizes(): { streams: number; links: number; components: number } {
    return {
      streams: this.mi.count + this.hh.count + this.jit.count + this.hp.count,
      links: this.hhLinks.count + this.hpLinks.count,
      components: this.interner.size,
    };
  }

  toJSON(): unknown {
    return {
      version: STATE_VERSION,
      lambdas: this.lambdas,
      evictBelow: this.evictBelow,
      maxStreams: Number.isFinite(this.maxStreams) ? this.maxStreams : null,
      lazyDegree: this.lazyDegree,
      now: Number.isFinite(this.now) ? this.now : null,
      sinceSweep: this.sinceSweep,
      liveAfterSweep: this.liveAfterSweep,
      components: this.interner.toJSON(),
      mi: this.mi.toJSON(),
      hh: this.hh.toJSON(),
      hhLinks: this.hhLinks.toJSON(),
      jit: this.jit.toJSON(),
      hp: this.hp.toJSON(),
      hpLinks: this.hpLinks.toJSON(),
    };
  }

  static fromJSON(state: unknown): AfterImage {
    const s = asRecord(state);
    if (s.version !== STATE_VERSION) throw new TypeError(`AfterImage state: unknown version ${String(s.version)}`);
    const lambdas = asArray(s.lambdas).map(Number);
    const interner = ComponentInterner.fromJSON(asArray(s.components).map(String));
    const image = new AfterImage(
      {
        lambdas,
        evictBelow: Number(s.evictBelow),
        maxStreams: s.maxStreams === null ? undefined : Number(s.maxStreams),
        lazyDegree: Number(s.lazyDegree),
      },
      interner,
    );
    if (s.now !== null && typeof s.now !== 'number') throw new TypeError('AfterImage state: "now" must be a number or null');
    image.now = s.now === null ? -Infinity : s.now;
    image.sinceSweep = integerInRange(s.sinceSweep, Number.MAX_SAFE_INTEGER);
    image.liveAfterSweep = integerInRange(s.liveAfterSweep, Number.MAX_SAFE_INTEGER);
    image.mi.load(s.mi);
    image.hh.load(s.hh);
    image.hhLinks.load(s.hhLinks);
    image.jit.load(s.jit);
    image.hp.load(s.hp);
    image.hpLinks.load(s.hpLinks);
    return image;
  }
}
