import { describe, expect, it } from 'vitest';
import { erfc } from '../src/detect/erfc.js';
import { inverseLogNormalSurvival, logNormalSurvival } from '../src/detect/log-survival.js';

/** Relative difference, with exact zeros comparing equal. */
function rel(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

/**
 * Independent check for the far tail: the asymptotic (Mills ratio) series
 *   sf(z) = φ(z)/z · Σ_k (−1)^k (2k−1)!! / z^(2k),
 * summed while terms shrink; for z >= 10 the smallest term is below e^−50, so the truncated
 * series is exact to double precision. log sf = −z²/2 − log(z√(2π)) + log(series).
 */
function asymptoticLogSf(z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 1; ; k++) {
    const next = (-term * (2 * k - 1)) / (z * z);
    if (Math.abs(next) >= Math.abs(term) || Math.abs(next) < 1e-18) break;
    term = next;
    sum += term;
  }
  return -0.5 * z * z - Math.log(z * Math.sqrt(2 * Math.PI)) + Math.log(sum);
}

/**
 * Independent check near the centre: erf(t) = 2/√π Σ (−1)^n t^(2n+1) / (n! (2n+1)), terms until
 * negligible. For |t| <= 1.5 the largest term is below 2, so the sum keeps ~15 digits absolutely.
 */
function taylorErfc(t: number): number {
  let power = t;
  let sum = 0;
  for (let n = 0; n < 80; n++) {
    sum += power / (2 * n + 1);
    power *= (-t * t) / (n + 1);
  }
  return 1 - (2 / Math.sqrt(Math.PI)) * sum;
}

describe('erfc', () => {
  it('agrees with the Taylor series of erf on [−1.5, 1.5] (absolute 2e-15)', () => {
    for (let t = -1.5; t <= 1.5; t += 0.0625) {
      expect(Math.abs(erfc(t) - taylorErfc(t))).toBeLessThan(2e-15);
    }
  });

  it('is 1 at 0, 0 and 2 at ±infinity, and keeps relative accuracy where tiny', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    // erfc(5) = 1.5374597944280348502e-12 (Abramowitz & Stegun table 7.1 gives 1.53745 97944 e-12).
    expect(rel(erfc(5), 1.5374597944280348502e-12)).toBeLessThan(1e-14);
  });
});

describe('logNormalSurvival', () => {
  it('is −log 2 at 0 (sf(0) = ½ by symmetry)', () => {
    expect(rel(logNormalSurvival(0), -Math.LN2)).toBeLessThan(1e-16);
  });

  it('gives log 0.025 at the published 97.5% quantile 1.959963984540054', () => {
    // 1.959963984540054 is the double nearest Φ⁻¹(0.975) = 1.95996 39845 40054 23...; the slope of
    // log sf there is −φ(z)/sf(z) = −2.338, so the 2.3e-16 rounding of z moves log sf by < 1e-15.
    expect(Math.abs(logNormalSurvival(1.959963984540054) - Math.log(0.025))).toBeLessThan(2e-15);
  });

  it('matches 20-digit values (mpmath, 50-digit log(erfc(z/√2)/2)) across the range', () => {
    const cases: [number, number][] = [
      [0.5, -1.1759117615936186089],
      [1, -1.8410216450092635058],
      [1.5, -2.705944400823889807],
      [2, -3.7831843336820319488],
      [3, -6.6077262215103495433],
      [5, -15.064998393988725736],
      [8, -35.013437159914549896],
      [-1, -0.17275377902344988953],
      [-3, -0.0013508099647481937988],
      [-8, -6.2209605742717860585e-16],
    ];
    for (const [z, expected] of cases) expect(rel(logNormalSurvival(z), expected)).toBeLessThan(4e-15);
  });

  it('matches the asymptotic series far in the upper tail (no underflow)', () => {
    // log sf(10) = −53.231285150512470578 (brief; mpmath agrees); the series reproduces it.
    expect(rel(asymptoticLogSf(10), -53.23128515051247)).toBeLessThan(2e-15);
    for (const z of [10, 12.5, 20, 38, 40, 100, 1000, 1e5]) {
      expect(rel(logNormalSurvival(z), asymptoticLogSf(z))).toBeLessThan(4e-15);
    }
    expect(logNormalSurvival(Infinity)).toBe(-Infinity);
  });

  it('is −Φ(z) (tiny, negative) in the lower tail, and −0 once Φ(z) underflows', () => {
    // log(1 − Φ(z)) = −Φ(z) for tiny Φ (log1p(−x) = −x); Φ(−20) = 2.7536241186062336951e-89 and
    // Φ(−30) = 4.9067139271481870595e-198 (mpmath ncdf, 50 digits; A&S 26.2.12's series agrees).
    expect(rel(logNormalSurvival(-20), -2.7536241186062336951e-89)).toBeLessThan(4e-15);
    expect(rel(logNormalSurvival(-30), -4.9067139271481870595e-198)).toBeLessThan(4e-15);
    // Φ(−40) = 3.6e-350 is below the smallest double, so sf(−40) rounds to 1: log is −0.
    expect(Object.is(logNormalSurvival(-40), -0)).toBe(true);
    expect(logNormalSurvival(-Infinity)).toBe(-0);
    expect(logNormalSurvival(NaN)).toBeNaN();
  });

  it('is strictly decreasing on a fine grid', () => {
    let previous = logNormalSurvival(-10);
    for (let z = -10 + 1 / 64; z <= 60; z += 1 / 64) {
      const value = logNormalSurvival(z);
      expect(value).toBeLessThan(previous);
      previous = value;
    }
  });
});

describe('inverseLogNormalSurvival', () => {
  it('returns the 97.5% quantile for log 0.025', () => {
    expect(rel(inverseLogNormalSurvival(Math.log(0.025)), 1.959963984540054)).toBeLessThan(1e-15);
  });

  it('returns 0 for log ½ and ±infinity at the ends', () => {
    expect(Math.abs(inverseLogNormalSurvival(-Math.LN2))).toBeLessThan(1e-15);
    expect(inverseLogNormalSurvival(-Infinity)).toBe(Infinity);
    expect(inverseLogNormalSurvival(0)).toBe(-Infinity);
    expect(inverseLogNormalSurvival(0.5)).toBeNaN();
  });

  it('inverts logNormalSurvival from the lower tail to z = 1000', () => {
    for (const z of [-6, -2, -0.3, 0.7, 3.090232306167813, 5, 12, 40, 1000]) {
      expect(rel(inverseLogNormalSurvival(logNormalSurvival(z)), z)).toBeLessThan(1e-12);
    }
  });
});
