import { inverseLogNormalSurvival, logNormalSurvival } from './log-survival.js';

/**
 * The alert rule on top of the log-normal fit (Kitsune-py example.py: logProbs =
 * norm.logsf(log(RMSE), mu, sigma); the paper's cut-off φ). Two forms:
 *   { kind: 'p', p }        alert when logp < log(p)   (`--alert-p P`, default 1e-3)
 *   { kind: 'rmse', rmse }  alert when rmse > rmse     (`--threshold RMSE`)
 */
export type AlertRule = { kind: 'p'; p: number } | { kind: 'rmse'; rmse: number };

/** `--alert-p` default: one benign packet in a thousand raises an alert. */
export const DEFAULT_ALERT_P = 1e-3;

export const DEFAULT_ALERT_RULE: AlertRule = { kind: 'p', p: DEFAULT_ALERT_P };

/** What the model file stores of the fit. */
export interface LogNormalFitJson {
  mu: number;
  sigma: number;
  n: number;
}

/** The fitted log-normal: mu and sigma of log(rmse) over n calibration scores. */
export class LogNormalThreshold {
  constructor(
    readonly mu: number,
    readonly sigma: number,
    readonly n: number,
  ) {}

  /**
   * log P(score >= rmse) under the fit: logsf((log rmse − mu)/sigma). An rmse of 0 gives 0
   * (log 0 = −inf, the lower end). A degenerate fit (sigma = 0) gives 0 at or below e^mu and
   * −inf above it.
   */
  logp(rmse: number): number {
    const x = Math.log(rmse);
    if (this.sigma === 0) return x > this.mu ? -Infinity : x <= this.mu ? 0 : NaN;
    return logNormalSurvival((x - this.mu) / this.sigma);
  }

  /** The rmse whose log-probability is log(p): exp(mu + sigma·z), z = the normal isf(p). */
  rmseAt(p: number): number {
    return Math.exp(this.mu + this.sigma * inverseLogNormalSurvival(Math.log(p)));
  }

  /** Whether a score raises an alert under `rule` (logp is passed in when already computed). */
  isAlert(rule: AlertRule, rmse: number, logp: number = this.logp(rmse)): boolean {
    return rule.kind === 'p' ? logp < Math.log(rule.p) : rmse > rule.rmse;
  }

  /** The rmse above which the rule alerts (for plots and reports). */
  thresholdRmse(rule: AlertRule): number {
    return rule.kind === 'p' ? this.rmseAt(rule.p) : rule.rmse;
  }

  toJSON(): LogNormalFitJson {
    return { mu: this.mu, sigma: this.sigma, n: this.n };
  }

  static fromJSON(json: unknown): LogNormalThreshold {
    const fit = json as Partial<LogNormalFitJson> | null;
    if (
      typeof fit !== 'object' || fit === null ||
      typeof fit.mu !== 'number' || typeof fit.sigma !== 'number' || typeof fit.n !== 'number' ||
      !(fit.sigma >= 0) || !Number.isInteger(fit.n) || fit.n < 0
    ) {
      throw new Error('log-normal fit must be an object {mu: number, sigma: number >= 0, n: integer >= 0}');
    }
    return new LogNormalThreshold(fit.mu, fit.sigma, fit.n);
  }
}
