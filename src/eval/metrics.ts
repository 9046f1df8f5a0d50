/**
 * Detection metrics over scores (higher = more anomalous) and 0/1 labels (1 = attack), for
 * `kitsune eval`. Sorting is O(n log n) on typed arrays (attack and benign scores sorted apart,
 * natively); NaN scores are left out.
 *
 * ROC curve: one point per distinct score s, alerting on score >= s, walked from the highest s
 * down, plus (0,0) first; the last point is (1,1). Ties share one point.
 * AUC: the area under that curve by trapezoids, which equals the Mann-Whitney statistic
 * U / (n_attack · n_benign), each (attack, benign) pair counting 1 when the attack scores higher
 * and ½ when tied. Computed in integer half-counts (exact up to 2^53).
 * EER: the error rate where FPR = FNR (= 1 − TPR), on the straight segment between the two
 * adjacent ROC points where FPR + TPR − 1 changes sign (linear interpolation along the curve).
 * TPR at FPR = t: the highest TPR among ROC points (thresholds) whose FPR <= t.
 */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  positives: number;
  negatives: number;
  /** NaN when there are no attacks or no benign packets. */
  auc: number;
}

function sortedScores(scores: Float64Array, labels: Uint8Array, label: number): Float64Array {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (labels[i] === label && !Number.isNaN(scores[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < scores.length; i++) if (labels[i] === label && !Number.isNaN(scores[i])) out[k++] = scores[i];
  return out.sort();
}

export function rocCurve(scores: Float64Array, labels: Uint8Array): RocCurve {
  const pos = sortedScores(scores, labels, 1);
  const neg = sortedScores(scores, labels, 0);
  const positives = pos.length;
  const negatives = neg.length;
  const fpr = new Float64Array(positives + negatives + 1);
  const tpr = new Float64Array(positives + negatives + 1);
  let points = 1;
  let i = positives - 1;
  let j = negatives - 1;
  let tp = 0;
  let fp = 0;
  let twiceArea = 0;
  while (i >= 0 || j >= 0) {
    const s = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    let dp = 0;
    let dn = 0;
    while (i >= 0 && pos[i] === s) { i--; dp++; }
    while (j >= 0 && neg[j] === s) { j--; dn++; }
    twiceArea += dn * (2 * tp + dp);
    tp += dp;
    fp += dn;
    fpr[points] = negatives === 0 ? 0 : fp / negatives;
    tpr[points] = positives === 0 ? 0 : tp / positives;
    points++;
  }
  const auc = positives === 0 || negatives === 0 ? NaN : twiceArea / (2 * positives * negatives);
  return { fpr: fpr.slice(0, points), tpr: tpr.slice(0, points), positives, negatives, auc };
}

/** Equal error rate (see the module comment); NaN without both classes. */
export function equalErrorRate(roc: RocCurve): number {
  if (roc.positives === 0 || roc.negatives === 0) return NaN;
  const { fpr, tpr } = roc;
  for (let k = 0; k + 1 < fpr.length; k++) {
    const d0 = fpr[k] + tpr[k] - 1;
    const d1 = fpr[k + 1] + tpr[k + 1] - 1;
    if (d0 === 0) return fpr[k];
    if (d0 < 0 && d1 >= 0) {
      const t = -d0 / (d1 - d0);
      return fpr[k] + t * (fpr[k + 1] - fpr[k]);
    }
  }
  return fpr[fpr.length - 1];
}

/** Highest TPR among thresholds with FPR <= target; NaN without both classes. */
export function tprAtFpr(roc: RocCurve, target: number): number {
  if (roc.positives === 0 || roc.negatives === 0) return NaN;
  let best = 0;
  for (let k = 0; k < roc.fpr.length && roc.fpr[k] <= target; k++) best = roc.tpr[k];
  return best;
}

export interface PrecisionRecall {
  truePositives: number;
  falsePositives: number;
  /** TP / (TP + FP); NaN when nothing was alerted. */
  precision: number;
  /** TP / attacks; NaN when there are no attacks. */
  recall: number;
}

/** Precision and recall of 0/1 alerts against 0/1 labels. */
export function precisionRecall(alerts: Uint8Array, labels: Uint8Array): PrecisionRecall {
  let tp = 0;
  let fp = 0;
  let attacks = 0;
  for (let i = 0; i < labels.length; i++) {
    attacks += labels[i];
    if (alerts[i] === 1) {
      if (labels[i] === 1) tp++;
      else fp++;
    }
  }
  return {
    truePositives: tp,
    falsePositives: fp,
    precision: tp + fp === 0 ? NaN : tp / (tp + fp),
    recall: attacks === 0 ? NaN : tp / attacks,
  };
}
