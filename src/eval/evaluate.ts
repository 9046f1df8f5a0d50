import type { AlertRule } from '../detect/threshold.js';
import type { LogNormalThreshold } from '../detect/threshold.js';
import { equalErrorRate, precisionRecall, rocCurve, tprAtFpr } from './metrics.js';
import { PHASE_EXEC, type ScoreTable } from './score-table.js';
import type { FitSource } from './table-fit.js';

/** The two operating points `kitsune eval` reports (FPR targets). */
export const FPR_TARGETS = [0.001, 0.01] as const;

/** What `kitsune eval` prints; numbers that are undefined (one class missing) are NaN. */
export interface EvalReport {
  auc: number;
  eer: number;
  tpr_at_fpr_0_001: number;
  tpr_at_fpr_0_01: number;
  precision: number;
  recall: number;
  threshold_rmse: number;
  executed: number;
  attacks: number;
  benign: number;
  alerts: number;
  alert_p: number;
  mu: number;
  sigma: number;
  fit_n: number;
  /** 'scorer': the score table's own fit (from its logp); 'refit': refitted from its scores. */
  fit_from: FitSource;
}

/**
 * Metrics over the executed packets (phase exec) of a score table given per-row labels. The
 * alert decision for precision/recall is the rule applied to every executed packet with the fit
 * (so packets scored before the scorer's own fit existed are judged too).
 */
export function evaluate(table: ScoreTable, labels: Uint8Array, fit: LogNormalThreshold, rule: AlertRule, fitFrom: FitSource = 'refit'): EvalReport {
  let executed = 0;
  for (let i = 0; i < table.length; i++) if (table.phase[i] === PHASE_EXEC) executed++;
  const scores = new Float64Array(executed);
  const truth = new Uint8Array(executed);
  const alerts = new Uint8Array(executed);
  const canAlert = rule.kind === 'rmse' || fit.n > 0;
  let k = 0;
  let attacks = 0;
  let alertCount = 0;
  for (let i = 0; i < table.length; i++) {
    if (table.phase[i] !== PHASE_EXEC) continue;
    scores[k] = table.rmse[i];
    truth[k] = labels[i];
    attacks += labels[i];
    alerts[k] = canAlert && fit.isAlert(rule, table.rmse[i]) ? 1 : 0;
    alertCount += alerts[k];
    k++;
  }
  const roc = rocCurve(scores, truth);
  const pr = precisionRecall(alerts, truth);
  return {
    auc: roc.auc,
    eer: equalErrorRate(roc),
    tpr_at_fpr_0_001: tprAtFpr(roc, FPR_TARGETS[0]),
    tpr_at_fpr_0_01: tprAtFpr(roc, FPR_TARGETS[1]),
    precision: pr.precision,
    recall: pr.recall,
    threshold_rmse: canAlert ? fit.thresholdRmse(rule) : NaN,
    executed,
    attacks,
    benign: executed - attacks,
    alerts: alertCount,
    alert_p: rule.kind === 'p' ? rule.p : NaN,
    mu: fit.mu,
    sigma: fit.sigma,
    fit_n: fit.n,
    fit_from: fitFrom,
  };
}

/** One JSON object, NaN written as null, keys in EvalReport order. */
export function formatEvalJson(report: EvalReport): string {
  return `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))}\n`;
}

const SIGNIFICANT = 6;

function show(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  return Number.isInteger(value) ? String(value) : value.toPrecision(SIGNIFICANT);
}

/** Aligned `name  value` lines for people. */
export function formatEvalText(report: EvalReport): string {
  const origin = report.fit_from === 'scorer' ? `the scorer's fit (from ${report.fit_n} logp cells)` : `refit over ${report.fit_n} scores`;
  const fit = report.fit_n > 0 ? `log-normal mu ${show(report.mu)}, sigma ${show(report.sigma)}, ${origin}` : 'no fit';
  const rule = Number.isNaN(report.alert_p) ? 'fixed --threshold' : `P = ${report.alert_p}, ${fit}`;
  const rows: [string, string][] = [
    ['executed packets', show(report.executed)],
    ['attack packets', show(report.attacks)],
    ['benign packets', show(report.benign)],
    ['ROC AUC', show(report.auc)],
    ['EER', show(report.eer)],
    ['TPR at FPR 0.001', show(report.tpr_at_fpr_0_001)],
    ['TPR at FPR 0.01', show(report.tpr_at_fpr_0_01)],
    ['threshold RMSE', `${show(report.threshold_rmse)} (${rule})`],
    ['alerts', show(report.alerts)],
    ['precision', show(report.precision)],
    ['recall', show(report.recall)],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padEnd(width)}  ${value}\n`).join('');
}
