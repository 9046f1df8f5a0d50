import { DEFAULT_ALERT_P, type AlertRule } from '../detect/threshold.js';
import { UsageError } from '../errors.js';
import { parseNumberOption } from './common.js';

/** `--alert-p P`: a probability in (0, 1). */
export const parseAlertP = parseNumberOption('--alert-p', (v) => v > 0 && v < 1, 'a probability in (0, 1)');
/** `--threshold RMSE`: a score >= 0. */
export const parseThreshold = parseNumberOption('--threshold', (v) => v >= 0, 'a score >= 0');

/** The alert rule of `--alert-p` (default 1e-3) or `--threshold`; giving both is a usage error. */
export function alertRuleOf(options: { alertP?: number; threshold?: number }): AlertRule {
  if (options.alertP !== undefined && options.threshold !== undefined) {
    throw new UsageError('give either --alert-p or --threshold, not both');
  }
  return options.threshold !== undefined
    ? { kind: 'rmse', rmse: options.threshold }
    : { kind: 'p', p: options.alertP ?? DEFAULT_ALERT_P };
}
