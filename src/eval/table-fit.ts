import { KITSUNE_PY_BENIGN_END, LogNormalFitter } from '../detect/log-normal.js';
import { LogNormalThreshold } from '../detect/threshold.js';
import { PHASE_EXEC, type ScoreTable } from './score-table.js';

/**
 * The log-normal fit recomputed from a score table, as example.py fits it: log(rmse) of the
 * executed packets with index < fitEnd (default 100000, example.py's RMSEs[FMgrace+ADgrace+1:100000]),
 * zero scores left out (see log-normal.ts). `kitsune eval` and `kitsune plot` use it so that
 * their threshold does not depend on when the scorer's own fit became available.
 */
export function fitScoreTable(table: ScoreTable, fitEnd: number = KITSUNE_PY_BENIGN_END): LogNormalThreshold {
  const fitter = new LogNormalFitter();
  for (let i = 0; i < table.length; i++) {
    if (table.phase[i] === PHASE_EXEC && table.index[i] < fitEnd) fitter.add(table.rmse[i]);
  }
  const { mu, sigma, n } = fitter.fit();
  return new LogNormalThreshold(mu, sigma, n);
}
