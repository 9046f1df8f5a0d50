import { KITSUNE_PY_BENIGN_END, LogNormalFitter } from '../detect/log-normal.js';
import { inverseLogNormalSurvival } from '../detect/log-survival.js';
import { LogNormalThreshold } from '../detect/threshold.js';
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
 * The fit the scorer used, recovered from the table's own logp cells: logp = log sf(z) with
 * z = (ln rmse − mu) / sigma, so z = isf(logp) is a line in ln rmse. Least squares of ln rmse on z over
 * the executed rows where both are finite gives sigma (slope) and mu (intercept); n counts those rows.
 * Undefined when the table has no such rows, or all of them share one z (sigma 0 cannot be recovered).
 */
export function recoverScorerFit(table: ScoreTable): LogNormalThreshold | undefined {
  let n = 0;
  let meanZ = 0;
  let meanX = 0;
  let szz = 0;
  let szx = 0;
  for (let i = 0; i < table.length; i++) {
    if (table.phase[i] !== PHASE_EXEC || !Number.isFinite(table.logp[i])) continue;
    const z = inverseLogNormalSurvival(table.logp[i]);
    const x = Math.log(table.rmse[i]);
    if (!Number.isFinite(z) || !Number.isFinite(x)) continue;
    // Welford's running co-moments: no cancellation between large sums.
    n++;
    const dz = z - meanZ;
    meanZ += dz / n;
    meanX += (x - meanX) / n;
    szz += dz * (z - meanZ);
    szx += dz * (x - meanX);
  }
  if (n < MIN_RECOVERY_ROWS || !(szz > 0)) return undefined;
  const sigma = szx / szz;
  return new LogNormalThreshold(meanX - sigma * meanZ, sigma, n);
}

/** Where the fit of `kitsune eval` and `kitsune plot` comes from. */
export type FitSource = 'scorer' | 'refit';

/**
 * The fit to judge a table by: with `fitEnd`, refitted as example.py does; without it, the scorer's
 * own (so that the threshold is the one its alerts came from), or the refit when the table has no logp.
 */
export function tableFit(table: ScoreTable, fitEnd: number | undefined): { fit: LogNormalThreshold; source: FitSource } {
  const recovered = fitEnd === undefined ? recoverScorerFit(table) : undefined;
  if (recovered !== undefined) return { fit: recovered, source: 'scorer' };
  return { fit: fitScoreTable(table, fitEnd), source: 'refit' };
}
