import { describe, expect, it } from 'vitest';
import { Calibration } from '../src/detect/calibration.js';
import { DEFAULT_ALERT_RULE } from '../src/detect/threshold.js';
import { degenerateFitWarning, undecidedReason } from '../src/cli/detection-check.js';
import type { BuiltDetector } from '../src/cli/kitsune-options.js';

/** Just what the checks read of a detector: KitNET's phase, the calibration and the grace periods. */
function built(phase: 'map' | 'train' | 'exec', calibration: Calibration): BuiltDetector {
  const params = { lambdas: [5], maxAE: 10, fmGrace: 20, adGrace: 80, learningRate: 0.1, hiddenRatio: 0.75 };
  return { detector: { kitnet: { phase }, calibration }, params, priorPackets: 0 } as unknown as BuiltDetector;
}

describe('detection checks at the end of a run', () => {
  it('names the phase a run ended in before any packet was executed', () => {
    expect(undecidedReason(built('train', new Calibration(5)), 42, DEFAULT_ALERT_RULE)).toBe(
      'no packet was scored: the run ended after 42 packets, in the train phase ' +
        '(training needs fm-grace + ad-grace + 1 = 101; lower --fm-grace/--ad-grace)',
    );
  });

  it('counts the calibration scores collected when the threshold never came', () => {
    const calibration = new Calibration(5);
    calibration.observe(1);
    calibration.observe(2);
    expect(undecidedReason(built('exec', calibration), 200, DEFAULT_ALERT_RULE)).toMatch(/calibration had 2 of its 5 executed packets/);
    // An absolute threshold decides without a fit.
    expect(undecidedReason(built('exec', calibration), 200, { kind: 'rmse', rmse: 3 })).toBeUndefined();
  });

  it('is silent once the fit exists, and warns when its scores were all equal (sigma 0)', () => {
    const spread = new Calibration(2);
    spread.observe(1);
    spread.observe(2);
    expect(undecidedReason(built('exec', spread), 200, DEFAULT_ALERT_RULE)).toBeUndefined();
    expect(degenerateFitWarning(built('exec', spread), DEFAULT_ALERT_RULE)).toBeUndefined();
    // log 3 twice: mean log 3, population standard deviation exactly 0.
    const equal = new Calibration(2);
    equal.observe(3);
    equal.observe(3);
    expect(degenerateFitWarning(built('exec', equal), DEFAULT_ALERT_RULE)).toMatch(/^the 2 calibration scores are all equal \(sigma 0\)/);
    expect(degenerateFitWarning(built('exec', equal), { kind: 'rmse', rmse: 3 })).toBeUndefined();
  });
});
