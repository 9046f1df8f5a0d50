import { describe, expect, it } from 'vitest';
import { equalErrorRate, precisionRecall, rocCurve, tprAtFpr } from '../src/eval/metrics.js';

const f64 = (values: number[]) => Float64Array.from(values);
const u8 = (values: number[]) => Uint8Array.from(values);

/** Mann-Whitney by brute force: every (attack, benign) pair, 1 if the attack scores higher, ½ if tied. */
function bruteForceAuc(scores: Float64Array, labels: Uint8Array): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

describe('rocCurve and AUC', () => {
  it('hand case: attacks 0.35, 0.8 vs benign 0.1, 0.4', () => {
    const roc = rocCurve(f64([0.1, 0.4, 0.35, 0.8]), u8([0, 0, 1, 1]));
    // Pairs: 0.35>0.1 (1), 0.35<0.4 (0), 0.8 beats both (2): AUC = 3/4.
    expect(roc.auc).toBe(0.75);
    // Thresholds 0.8, 0.4, 0.35, 0.1 from the top: (0,½), (½,½), (½,1), (1,1).
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 0.5, 1, 1]);
  });

  it('counts ties ½: attacks 1, 2 vs benign 1, 2 give 0.5', () => {
    // (1 vs 1) ½ + (1 vs 2) 0 + (2 vs 1) 1 + (2 vs 2) ½ = 2 of 4 pairs.
    const roc = rocCurve(f64([1, 1, 2, 2]), u8([0, 1, 0, 1]));
    expect(roc.auc).toBe(0.5);
    // Ties share a point: threshold 2 takes one of each, (½,½); then (1,1).
    expect(Array.from(roc.fpr)).toEqual([0, 0.5, 1]);
    expect(Array.from(roc.tpr)).toEqual([0, 0.5, 1]);
  });

  it('equals brute-force pair counting on a deterministic table with many ties', () => {
    let seed = 12345;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const n = 600;
    const labels = new Uint8Array(n);
    const scores = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = next() < 0.3 ? 1 : 0;
      // Scores on a grid of 40 values, attacks shifted up: plenty of ties within and across classes.
      scores[i] = Math.floor((next() + 0.3 * labels[i]) * 30) / 30;
    }
    const roc = rocCurve(scores, labels);
    expect(roc.auc).toBe(bruteForceAuc(scores, labels));
    expect(roc.auc).toBeGreaterThan(0.5);
  });

  it('leaves out NaN scores and is NaN without both classes', () => {
    expect(rocCurve(f64([NaN, 1, 2]), u8([1, 0, 1])).auc).toBe(1);
    expect(rocCurve(f64([1, 2]), u8([1, 1])).auc).toBeNaN();
    expect(equalErrorRate(rocCurve(f64([1, 2]), u8([0, 0])))).toBeNaN();
  });
});

describe('equalErrorRate and tprAtFpr', () => {
  // Attacks 10, 9, 8, 1; benign 7, 2, 0.5, 0.4, 0.3. ROC from the top:
  // (0,0) (0,¼) (0,½) (0,¾) (0.2,¾) (0.4,¾) (0.4,1) (0.6,1) (0.8,1) (1,1).
  const roc = rocCurve(f64([10, 9, 8, 1, 7, 2, 0.5, 0.4, 0.3]), u8([1, 1, 1, 1, 0, 0, 0, 0, 0]));

  it('AUC: attacks 10, 9, 8 beat all 5 benign, 1 beats 3: 18/20', () => {
    expect(roc.auc).toBe(0.9);
  });

  it('EER interpolates where FPR + TPR − 1 changes sign', () => {
    // FPR+TPR−1 is −0.05 at (0.2,¾) and +0.15 at (0.4,¾): a quarter of the way, FPR = 0.25,
    // where FNR = 1 − ¾ = 0.25 too.
    expect(equalErrorRate(roc)).toBeCloseTo(0.25, 15);
  });

  it('EER lands exactly on a point where FPR = FNR', () => {
    // (½,½) of the first hand case: FPR ½, FNR ½.
    expect(equalErrorRate(rocCurve(f64([0.1, 0.4, 0.35, 0.8]), u8([0, 0, 1, 1])))).toBe(0.5);
  });

  it('TPR at FPR <= target takes the best threshold inside the budget', () => {
    expect(tprAtFpr(roc, 0.001)).toBe(0.75);
    expect(tprAtFpr(roc, 0.01)).toBe(0.75);
    expect(tprAtFpr(roc, 0.39)).toBe(0.75);
    expect(tprAtFpr(roc, 0.4)).toBe(1);
    // No benign packet at all above the first attack: TPR 0 when even one false positive is too many.
    expect(tprAtFpr(rocCurve(f64([5, 1]), u8([0, 1])), 0.001)).toBe(0);
  });
});

describe('precisionRecall', () => {
  it('counts alerts against labels', () => {
    // Alerts on rows 0, 1, 2; attacks rows 1, 2, 3: TP 2, FP 1, attacks 3.
    const pr = precisionRecall(u8([1, 1, 1, 0, 0]), u8([0, 1, 1, 1, 0]));
    expect(pr).toEqual({ truePositives: 2, falsePositives: 1, precision: 2 / 3, recall: 2 / 3 });
    expect(precisionRecall(u8([0, 0]), u8([0, 1])).precision).toBeNaN();
    expect(precisionRecall(u8([1, 0]), u8([0, 0])).recall).toBeNaN();
  });
});
