import { singleLinkage, splitClusters } from './single-linkage.js';

/**
 * KitNET's feature mapper (paper section IV-C; Kitsune-py KitNET/corClust.py): incremental correlation
 * statistics over the grace period, then features grouped by single-linkage clustering of the
 * correlation distance into clusters of at most maxAE features.
 *
 * Per x: N += 1; c += x; r = x - c/N; c_rs += r^2; C += outer(r, r).
 * Distance D = 1 - C / outer(sqrt(c_rs), sqrt(c_rs)), zero denominators replaced by 1e-100, D[D < 0] = 0.
 * Only the strict upper triangle of C is kept: it is all the condensed distance matrix reads, and
 * C is exactly symmetric (r_i r_j == r_j r_i). corClust's `c_r` sum is never read, so it is not kept.
 */

/** corClust.corrDist's stand-in for a zero denominator (a constant feature). */
const ZERO_DENOMINATOR = 1e-100;

export interface FeatureMapperState {
  n: number;
  count: number;
  c: Float64Array;
  cRs: Float64Array;
  /** Strict upper triangle of C, row-major (pairs i < j), scipy's condensed order. */
  cUpper: Float64Array;
}

export class FeatureMapper {
  readonly n: number;
  /** N: the number of updates. */
  count = 0;
  readonly c: Float64Array;
  readonly cRs: Float64Array;
  readonly cUpper: Float64Array;
  private readonly residual: Float64Array;

  constructor(n: number) {
    this.n = n;
    this.c = new Float64Array(n);
    this.cRs = new Float64Array(n);
    this.cUpper = new Float64Array((n * (n - 1)) / 2);
    this.residual = new Float64Array(n);
  }

  /** corClust.update(x). */
  update(x: Float64Array): void {
    const n = this.n;
    const c = this.c;
    const cRs = this.cRs;
    const r = this.residual;
    const count = ++this.count;
    for (let i = 0; i < n; i++) {
      c[i] += x[i];
      const ri = x[i] - c[i] / count;
      r[i] = ri;
      cRs[i] += ri * ri;
    }
    const cu = this.cUpper;
    // Pair (i, j) sits at base + j, where row i's pairs (i, i+1..n-1) start at base + i + 1.
    for (let i = 0, base = -1; i < n - 1; base += n - 2 - i, i++) {
      const ri = r[i];
      for (let j = i + 1; j < n; j++) cu[base + j] += ri * r[j];
    }
  }

  /** corClust.corrDist() in condensed form (pairs i < j, row-major). */
  condensedDistance(): Float64Array {
    const n = this.n;
    const root = this.cRs.map(Math.sqrt);
    const d = new Float64Array(this.cUpper.length);
    let k = 0;
    for (let i = 0; i < n - 1; i++) {
      for (let j = i + 1; j < n; j++, k++) {
        let denominator = root[i] * root[j];
        if (denominator === 0) denominator = ZERO_DENOMINATOR;
        const distance = 1 - this.cUpper[k] / denominator;
        // Kitsune-py quirk: small negatives from the incremental mean are clamped (D[D < 0] = 0).
        d[k] = distance < 0 ? 0 : distance;
      }
    }
    return d;
  }

  /**
   * corClust.cluster(maxClust): scipy single linkage + to_tree, split into clusters of at most
   * maxClust leaves (clamped to [1, n]), each listing its features in pre-order.
   */
  cluster(maxClust: number): number[][] {
    const n = this.n;
    if (n === 1) return [[0]];
    const limit = Math.min(Math.max(maxClust, 1), n);
    const d = this.condensedDistance();
    for (let k = 0; k < d.length; k++) {
      if (!Number.isFinite(d[k])) {
        // scipy's linkage rejects such a matrix too ("must contain only finite values").
        throw new Error('feature mapper: a correlation distance is not finite (a feature value is NaN or infinite)');
      }
    }
    return splitClusters(singleLinkage(d, n), n, limit);
  }

  state(): FeatureMapperState {
    return { n: this.n, count: this.count, c: this.c, cRs: this.cRs, cUpper: this.cUpper };
  }

  static fromState(s: FeatureMapperState): FeatureMapper {
    const fm = new FeatureMapper(s.n);
    fm.count = s.count;
    fm.c.set(s.c);
    fm.cRs.set(s.cRs);
    fm.cUpper.set(s.cUpper);
    return fm;
  }
}
