import type { AlertRule } from '../detect/threshold.js';
import type { BuiltDetector } from './kitsune-options.js';
import { groupDigits } from './terminal.js';

/**
 * Why a run decided no alerts at all, if it did not: no packet reached KitNET's execution phase, or
 * the `--alert-p` rule never got its log-normal fit because the input ended inside the calibration
 * stretch. A run that says "0 alerts" without deciding any must not read as a clean result
 * (`--fail-on-alert` turns this into an error; otherwise it is a warning).
 */
export function undecidedReason(built: BuiltDetector, packets: number, rule: AlertRule): string | undefined {
  const { kitnet, calibration } = built.detector;
  if (kitnet.phase !== 'exec') {
    const { fmGrace, adGrace } = built.params;
    return (
      `no packet was scored: the run ended after ${groupDigits(packets)} packets, in the ${kitnet.phase} phase ` +
      `(training needs fm-grace + ad-grace + 1 = ${groupDigits(fmGrace + adGrace + 1)}; lower --fm-grace/--ad-grace)`
    );
  }
  if (rule.kind === 'p' && calibration.fit === null) {
    return (
      `no alert was decided: the threshold's calibration had ${groupDigits(calibration.collected)} of its ` +
      `${groupDigits(calibration.target)} executed packets when the run ended (lower --calibration, or give --threshold RMSE)`
    );
  }
  return undefined;
}

/**
 * A fit whose calibration scores were all equal (sigma 0) alerts on every higher score, by any
 * amount: worth saying, since it usually means a calibration stretch too short or too uniform.
 */
export function degenerateFitWarning(built: BuiltDetector, rule: AlertRule): string | undefined {
  const fit = built.detector.calibration.fit;
  if (rule.kind !== 'p' || fit === null || fit.sigma !== 0) return undefined;
  return `the ${groupDigits(fit.n)} calibration scores are all equal (sigma 0): every higher score alerts (give a longer --calibration or --threshold RMSE)`;
}
