import { describe, expect, it } from 'vitest';
import { sigmoidInPlace } from '../src/kitnet/sigmoid.js';

/** The reference: the formula with Math.exp (itself within 1 ulp), as numpy computes 1 / (1 + exp(-v)). */
function reference(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

function apply(values: number[]): Float64Array {
  const a = Float64Array.from(values);
  sigmoidInPlace(a, a.length);
  return a;
}

describe('sigmoidInPlace', () => {
  it('is within 1e-15 relative of 1 / (1 + Math.exp(-v)) over a dense range', () => {
    // 2,000,001 points on [-750, 750] (an irrational-ish step so the table index and remainder vary),
    // beyond the fast range |v| <= 708 on both sides, plus a dense sweep near 0.
    const values: number[] = [];
    const step = 750 / 1e6 + 1e-9 * Math.PI;
    for (let i = -1e6; i <= 1e6; i++) values.push(i * step);
    for (let i = -1e5; i <= 1e5; i++) values.push(i * 1.3e-5);
    const out = apply(values);
    let worst = 0;
    values.forEach((v, i) => {
      const expected = reference(v);
      const rel = expected === 0 ? Math.abs(out[i]) : Math.abs(out[i] - expected) / expected;
      worst = Math.max(worst, rel);
    });
    expect(worst).toBeLessThan(1e-15);
  });

  it('gives the exact limits and propagates NaN', () => {
    // sigmoid(0) = 1 / (1 + 1) = 0.5 exactly; e^-40 < 2^-53 so 1 + e^-40 rounds to 1;
    // e^1000 overflows to Infinity, so sigmoid(-1000) = 1 / Infinity = 0.
    const out = apply([0, 40, 1000, -1000, Infinity, -Infinity, NaN]);
    expect(Array.from(out)).toEqual([0.5, 1, 1, 0, 1, 0, NaN]);
  });

  it('only touches the first n entries', () => {
    const a = Float64Array.from([0, 7]);
    sigmoidInPlace(a, 1);
    expect(Array.from(a)).toEqual([0.5, 7]);
  });
});
