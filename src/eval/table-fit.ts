import { KITSUNE_PY_BENIGN_END, LogNormalFitter } from '../detect/log-normal.js';
import { inverseLogNormalSurvival } from '../detect/log-survival.js';
import { LogNormalThreshold, type AlertRule } from '../detect/threshold.js';
import { PHASE_EXEC, type ScoreTable } from './score-table.js';

/**
 * The log-normal fit recomputed from a score table, as example.py fits it: log(rmse) of the
 * executed packets with index < fitEnd (default 100000, example.py's RMSEs[FMgrace+ADgrace+1:100000]),
 * zero scores left out (see log-normal.ts). Its threshold does not depend on when the scorer's own
 * fit became available, nor on its --calibration.
 */
export function fitScoreTable(table: ScoreTable, fitEnd: number = KITSUNE_PY_BENIGN_END): LogNormalThreshold {
  const fitter = new LogNormalFitter();
  for (let i = 0; i < table.length; i++) {
    if (table.phase[i] === PHASE_EXEC && table.index[i] < fitEnd) fitter.add(table.rmse[i]);
  }
  const { mu, sigma, n } = fitter.fit();
  return new LogNormalThreshold(mu, sigma, n);
}

/** Rows with distinct standardised scores needed to recover a fit (two points make a line). */
const MIN_RECOVERY_ROWS = 2;
/**
 * Largest distance in ln rmse of a row from the recovered line: one scorer's logp cells lie on it to
 * rounding (1e-12 on the sample); rows of several runs, with several fits, do not.
 */
const RECOVERY_TOLERANCE = 1e-6;

/**
 * The fit the scorer used, recovered from the table's own logp cells: logp = log sf(z) with
 * z = (ln rmse − mu) / sigma, so z = isf(logp) is a line in ln rmse. Least squares of ln rmse on z over
 * the executed rows where both are finite gives sigma (slope) and mu (intercept); n counts those rows.
 * Undefined when the table has no such rows, or all of them share one z (sigma 0 cannot be recovered).
 */
export function recoverScorerFit(table: ScoreTable): LogNormalThreshold | undefined {
  // The (z, ln rmse) points, computed once for the fit and its residual check.
  const zs = new Float64Array(table.length);
  const xs = new Float64Array(table.length);
  let n = 0;
  for (let i = 0; i < table.length; i++) {
    if (table.phase[i] !== PHASE_EXEC || !Number.isFinite(table.logp[i])) continue;
    const z = inverseLogNormalSurvival(table.logp[i]);
    const x = Math.log(table.rmse[i]);
    if (!Number.isFinite(z) || !Number.isFinite(x)) continue;
    zs[n] = z;
    xs[n] = x;
    n++;
  }
  // Welford's running co-moments: no cancellation between large sums.
  let meanZ = 0;
  let meanX = 0;
  let szz = 0;
  let szx = 0;
  for (let k = 0; k < n; k++) {
    const dz = zs[k] - meanZ;
    meanZ += dz / (k + 1);
    meanX += (xs[k] - meanX) / (k + 1);
    szz += dz * (zs[k] - meanZ);
    szx += dz * (xs[k] - meanX);
  }
  if (n < MIN_RECOVERY_ROWS || !(szz > 0)) return undefined;
  const sigma = szx / szz;
  const mu = meanX - sigma * meanZ;
  for (let k = 0; k < n; k++) if (Math.abs(xs[k] - (mu + sigma * zs[k])) > RECOVERY_TOLERANCE) return undefined;
  return new LogNormalThreshold(mu, sigma, n);
}

/** Where the fit of `kitsune eval` and `kitsune plot` comes from. */
export type FitSource = 'scorer' | 'refit';

/** The fit a table is judged by, where it comes from, and what a user should know about it. */
export interface TableFit {
  fit: LogNormalThreshold;
  source: FitSource;
  warnings: string[];
}

/**
 * The fit to judge a table by: with `fitEnd`, refitted as example.py does; without it, the scorer's
 * own (so that the threshold is the one its alerts came from), or the refit when the table has no
 * usable logp. Warnings: logp cells that give no single fit (rows of several runs, or a sigma-0
 * fit), a fit with sigma 0, and alerts in the table that this rule would not raise (or the reverse).
 */
export function tableFit(table: ScoreTable, fitEnd: number | undefined, rule: AlertRule): TableFit {
  const warnings: string[] = [];
  const recovered = fitEnd === undefined ? recoverScorerFit(table) : undefined;
  if (fitEnd === undefined && recovered === undefined && hasLogp(table)) {
    warnings.push("the table's logp cells give no single log-normal fit (rows of several runs, or all scores equal): refitted on executed packets with index < 100000");
  }
  const fit = recovered ?? fitScoreTable(table, fitEnd);
  if (fit.n > 0 && fit.sigma === 0) warnings.push(`the fit has sigma 0 (its ${fit.n} scores are all equal): every higher score alerts`);
  const differing = alertsDiffering(table, fit, rule);
  if (differing > 0) {
    warnings.push(`${differing} rows' own alert cells differ from this rule (scored with another --alert-p or --threshold, or a --warmup?)`);
  }
  return { fit, source: recovered === undefined ? 'refit' : 'scorer', warnings };
}

function hasLogp(table: ScoreTable): boolean {
  for (let i = 0; i < table.length; i++) if (table.phase[i] === PHASE_EXEC && Number.isFinite(table.logp[i])) return true;
  return false;
}

/** Executed rows whose alert cell (0 or 1) is not what `rule` under `fit` decides. */
function alertsDiffering(table: ScoreTable, fit: LogNormalThreshold, rule: AlertRule): number {
  if (rule.kind === 'p' && fit.n === 0) return 0;
  let differing = 0;
  for (let i = 0; i < table.length; i++) {
    const own = table.alert[i];
    if (table.phase[i] !== PHASE_EXEC || (own !== 0 && own !== 1)) continue;
    if ((fit.isAlert(rule, table.rmse[i]) ? 1 : 0) !== own) differing++;
  }
  return differing;
}
