import { describe, expect, it } from 'vitest';
import { FeatureMapper } from '../src/kitnet/feature-mapper.js';
import { singleLinkage, splitClusters } from '../src/kitnet/single-linkage.js';

/** Condensed matrix (pairs i < j, row-major) from a symmetric distance function. */
function condensed(n: number, d: (i: number, j: number) => number): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push(d(i, j));
  return Float64Array.from(out);
}

describe('single linkage (scipy 1.10 mst_single_linkage + label)', () => {
  // Four points, every MST edge tied at 0.2:
  // d(0,1)=.5 d(0,2)=.2 d(0,3)=.2 d(1,2)=.2 d(1,3)=.9 d(2,3)=.7.
  // Prim from 0: D = [., .5, .2, .2] -> first strictly smallest is 2: edge (0, 2, .2).
  // x = 2: D1 = min(.5, .2) = .2, D3 = min(.2, .7) = .2 -> 1 (first): edge (2, 1, .2).
  // x = 1: D3 = min(.2, .9) = .2: edge (1, 3, .2). Stable sort keeps this order.
  // Labels: (0,2) -> 4 (size 2); roots 4 and 1 -> row (1, 4) -> 5 (size 3); roots 5 and 3 -> (3, 5) -> 6.
  const tied = [0.5, 0.2, 0.2, 0.2, 0.9, 0.7];
  const tiedZ = () => singleLinkage(Float64Array.from(tied), 4);

  it('breaks ties as scipy does', () => {
    const z = tiedZ();
    expect(Array.from(z.left)).toEqual([0, 1, 3]);
    expect(Array.from(z.right)).toEqual([2, 4, 5]);
    expect(Array.from(z.distance)).toEqual([0.2, 0.2, 0.2]);
    expect(Array.from(z.size)).toEqual([2, 3, 4]);
  });

  it('splits the dendrogram into clusters of at most maxClust leaves, in pre-order', () => {
    // Tree: 6 = (3, 5), 5 = (1, 4), 4 = (0, 2); pre-order 3, 1, 0, 2.
    expect(splitClusters(tiedZ(), 4, 2)).toEqual([[3], [1], [0, 2]]);
    expect(splitClusters(tiedZ(), 4, 3)).toEqual([[3], [1, 0, 2]]);
    expect(splitClusters(tiedZ(), 4, 4)).toEqual([[3, 1, 0, 2]]);
    expect(splitClusters(tiedZ(), 4, 1)).toEqual([[3], [1], [0], [2]]);
  });

  it('sorts the MST edges by distance before labelling', () => {
    // Points on a line at 0, 4, 6, 7: Prim visits 0, 1, 2, 3 with edges 4, 2, 1.
    // Sorted: (2,3,1) -> 4; (1,2,2): roots 1 and 4 -> (1, 4) -> 5; (0,1,4): roots 0 and 5 -> (0, 5) -> 6.
    const at = [0, 4, 6, 7];
    const z = singleLinkage(condensed(4, (i, j) => Math.abs(at[i] - at[j])), 4);
    expect(Array.from(z.left)).toEqual([2, 1, 0]);
    expect(Array.from(z.right)).toEqual([3, 4, 5]);
    expect(Array.from(z.distance)).toEqual([1, 2, 4]);
    expect(splitClusters(z, 4, 2)).toEqual([[0], [1], [2, 3]]);
  });

  it('keeps equal distances in Prim order (stable sort), all-zero matrix', () => {
    // All distances 0: Prim takes 1, 2, 3, 4 in turn from 0: edges (0,1) (1,2) (2,3) (3,4).
    // Labels: 5 = (0,1); 6 = (2,5); 7 = (3,6); 8 = (4,7): pre-order 4, 3, 2, 0, 1.
    const z = singleLinkage(new Float64Array(10), 5);
    expect(Array.from(z.left)).toEqual([0, 2, 3, 4]);
    expect(Array.from(z.right)).toEqual([1, 5, 6, 7]);
    expect(splitClusters(z, 5, 5)).toEqual([[4, 3, 2, 0, 1]]);
    expect(splitClusters(z, 5, 3)).toEqual([[4], [3], [2, 0, 1]]);
  });
});

describe('FeatureMapper (corClust)', () => {
  // Rows (1, 2, 5), (2, 4, 5), (3, 6, 5). Residuals r = x - c/N:
  // N=1: (0, 0, 0); N=2: c = (3, 6, 10), r = (.5, 1, 0); N=3: c = (6, 12, 15), r = (1, 2, 0).
  // c_rs = (1.25, 5, 0); C01 = .5*1 + 1*2 = 2.5; C02 = C12 = 0.
  const mapper = () => {
    const fm = new FeatureMapper(3);
    for (const row of [[1, 2, 5], [2, 4, 5], [3, 6, 5]]) fm.update(Float64Array.from(row));
    return fm;
  };

  it('accumulates the incremental correlation statistics', () => {
    const fm = mapper();
    expect(fm.count).toBe(3);
    expect(Array.from(fm.cRs)).toEqual([1.25, 5, 0]);
    expect(Array.from(fm.cUpper)).toEqual([2.5, 0, 0]);
  });

  it('computes D = 1 - C / outer(sqrt(c_rs)), zero denominators as 1e-100, negatives clamped', () => {
    // D01 = 1 - 2.5 / (sqrt(1.25) sqrt(5)): the product rounds to 2.5000000000000004, so D01 is
    // 2.2e-16, not 0. Feature 2 is constant: its denominators are 0 -> 1e-100, C = 0, D = 1.
    const d = mapper().condensedDistance();
    expect(Array.from(d)).toEqual([1 - 2.5 / (Math.sqrt(1.25) * Math.sqrt(5)), 1, 1]);
    expect(d[0]).toBeGreaterThan(0);
    // Anti-correlated features: r = (.5, -.5) then (1, -1): c_rs = (1.25, 1.25), C01 = -1.25,
    // D = 1 + 1.25 / (sqrt(1.25) sqrt(1.25)) = 1.9999999999999998 (the product rounds up).
    const anti = new FeatureMapper(2);
    for (const row of [[0, 0], [1, -1], [2, -2]]) anti.update(Float64Array.from(row));
    expect(Array.from(anti.condensedDistance())).toEqual([1 - -1.25 / (Math.sqrt(1.25) * Math.sqrt(1.25))]);
    // Identical features with c_rs = 3: sqrt(3)^2 rounds to 2.9999999999999996, so 1 - C/den is
    // -2.2e-16, which Kitsune-py clamps to 0.
    const same = FeatureMapper.fromState({
      n: 2,
      count: 3,
      c: new Float64Array(2),
      cRs: Float64Array.from([3, 3]),
      cUpper: Float64Array.from([3]),
    });
    expect(1 - 3 / (Math.sqrt(3) * Math.sqrt(3))).toBeLessThan(0);
    expect(Array.from(same.condensedDistance())).toEqual([0]);
  });

  it('clusters the features: the correlated pair together', () => {
    // Prim from 0: D = [., 2.2e-16, 1] -> edge (0, 1); then (1, 2, 1). Tree 4 = (2, 3), 3 = (0, 1).
    expect(mapper().cluster(2)).toEqual([[2], [0, 1]]);
    expect(mapper().cluster(10)).toEqual([[2, 0, 1]]);
    expect(mapper().cluster(0)).toEqual([[2], [0], [1]]);
  });

  it('maps a single feature to one cluster and rejects non-finite distances', () => {
    const one = new FeatureMapper(1);
    one.update(Float64Array.from([3]));
    expect(one.cluster(10)).toEqual([[0]]);
    const bad = new FeatureMapper(2);
    bad.update(Float64Array.from([Infinity, 1]));
    expect(() => bad.cluster(10)).toThrow(/not finite/);
  });
});
