import { describe, expect, it } from 'vitest';
import { LogNormalFitter, pairwiseSum } from '../src/detect/log-normal.js';
import { DEFAULT_ALERT_RULE, LogNormalThreshold } from '../src/detect/threshold.js';
import { logNormalSurvival } from '../src/detect/log-survival.js';

describe('pairwiseSum (numpy order)', () => {
  it('sums 1e16 and eight ones as numpy does, not left to right', () => {
    // n = 9: partial sums r0..r7 are the first eight values, combined as
    // ((1e16+1)+(1+1)) + ((1+1)+(1+1)) = (1e16 + 2) + 4 (1e16+1 ties to even 1e16) = 1e16+6,
    // then + 1 = 1e16+7, a tie between 1e16+6 and 1e16+8 that rounds to even: 1e16+8
    // (np.sum gives 1.0000000000000008e+16). Left to right every +1 is lost: 1e16.
    const values = new Float64Array([1e16, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(pairwiseSum(values, 0, 9)).toBe(1e16 + 8);
    // n = 8: the same partial sums without the tail: 1e16+6 (np.sum: 1.0000000000000006e+16).
    expect(pairwiseSum(values, 0, 8)).toBe(1e16 + 6);
    // n = 7 (< 8): plain loop, every +1 rounds away.
    expect(pairwiseSum(values, 0, 7)).toBe(1e16);
  });

  it('splits above 128 values at a multiple of 8 and agrees with exact sums of integers', () => {
    const values = new Float64Array(1001).map((_, i) => i);
    // 0 + 1 + ... + 1000 = 1000·1001/2, exact in doubles whatever the order.
    expect(pairwiseSum(values, 0, 1001)).toBe(500500);
  });
});

describe('LogNormalFitter', () => {
  it('fits mean and population std of log(rmse)', () => {
    const fitter = new LogNormalFitter();
    for (const k of [1, 2, 3]) fitter.add(Math.exp(k));
    const { mu, sigma, n } = fitter.fit();
    // logs ≈ 1, 2, 3 (to an ulp): mean 2, population variance (1 + 0 + 1)/3 = 2/3.
    expect(n).toBe(3);
    expect(Math.abs(mu - 2)).toBeLessThan(1e-15);
    expect(Math.abs(sigma - Math.sqrt(2 / 3))).toBeLessThan(1e-15);
  });

  it('leaves out zero, negative and non-finite scores and counts them', () => {
    const fitter = new LogNormalFitter();
    for (const r of [0, Math.E, -1, NaN, Infinity, Math.E]) fitter.add(r);
    expect(fitter.excluded).toBe(4);
    // log e = 1 for both kept scores: mu 1, sigma 0.
    expect(fitter.fit()).toEqual({ mu: 1, sigma: 0, n: 2 });
  });

  it('grows past its initial capacity', () => {
    const fitter = new LogNormalFitter();
    for (let i = 0; i < 5000; i++) fitter.add(i % 2 === 0 ? 1 : Math.exp(2));
    const { mu, sigma, n } = fitter.fit();
    // Half the logs 0, half 2: mean 1, every deviation ±1, std 1 (exact: sums of 0s and 2s).
    expect([mu, sigma, n]).toEqual([1, 1, 5000]);
  });

  it('gives NaN for an empty fit', () => {
    expect(new LogNormalFitter().fit()).toEqual({ mu: NaN, sigma: NaN, n: 0 });
  });
});

describe('LogNormalThreshold', () => {
  const fit = new LogNormalThreshold(-2, 0.5, 1000);

  it('logp is the normal logsf of the standardised log score', () => {
    // log rmse = −2 + 0.5·3 → z = 3.
    expect(fit.logp(Math.exp(-0.5))).toBeCloseTo(logNormalSurvival(3), 13);
    expect(fit.logp(0)).toBe(-0);
  });

  it('thresholdRmse at P = 0.025 is exp(mu + sigma·1.959963984540054)', () => {
    const rmse = fit.thresholdRmse({ kind: 'p', p: 0.025 });
    expect(rmse).toBeCloseTo(Math.exp(-2 + 0.5 * 1.959963984540054), 14);
    expect(fit.thresholdRmse({ kind: 'rmse', rmse: 0.3 })).toBe(0.3);
  });

  it('alerts below log P (default P = 1e-3) or above an RMSE threshold', () => {
    const cut = fit.thresholdRmse(DEFAULT_ALERT_RULE);
    expect(fit.isAlert(DEFAULT_ALERT_RULE, cut * 1.0001)).toBe(true);
    expect(fit.isAlert(DEFAULT_ALERT_RULE, cut * 0.9999)).toBe(false);
    expect(fit.isAlert({ kind: 'rmse', rmse: 0.3 }, 0.31)).toBe(true);
    expect(fit.isAlert({ kind: 'rmse', rmse: 0.3 }, 0.3)).toBe(false);
  });

  it('handles a degenerate fit (sigma 0)', () => {
    const flat = new LogNormalThreshold(0, 0, 5);
    expect(flat.logp(1)).toBe(0);
    expect(flat.logp(2)).toBe(-Infinity);
  });

  it('round-trips through JSON and rejects malformed fits', () => {
    const back = LogNormalThreshold.fromJSON(JSON.parse(JSON.stringify(fit)));
    expect(back.toJSON()).toEqual({ mu: -2, sigma: 0.5, n: 1000 });
    expect(() => LogNormalThreshold.fromJSON({ mu: 1, sigma: -1, n: 3 })).toThrow();
    expect(() => LogNormalThreshold.fromJSON(null)).toThrow();
  });
});
