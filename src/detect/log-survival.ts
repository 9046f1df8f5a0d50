import { erfc, erfcx } from './erfc.js';

/** Above this z the scaled form is used; below it the lower tail Φ(z) is small enough to subtract. */
const TAIL_SWITCH = 1;
/** z is split at a multiple of 1/16 so that the large part of z²/2 is exact. */
const SQUARE_SPLIT = 16;
/** log √(2π), for the log of the normal density. */
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Newton's iteration for the inverse stops when a step is this small relative to |z| (or 1). */
const INVERSE_TOLERANCE = 1e-15;
const INVERSE_MAX_STEPS = 200;

/**
 * Natural log of the standard normal survival function, log(1 − Φ(z)), finite and accurate far
 * into the upper tail (scipy.stats.norm.logsf, which Kitsune-py's example.py uses):
 *   z > 1:  log sf(z) = log(erfcx(z/√2) / 2) − z²/2       (no underflow: erfcx ~ 1/(t√π))
 *   z <= 1: log sf(z) = log1p(−Φ(z)),  Φ(z) = erfc(−z/√2) / 2 (see normalCdf below −1)
 * This is the split scipy's log_ndtr uses (evaluated at −z). Examples: logsf(0) = −log 2,
 * logsf(10) ≈ −53.231285, logsf(−40) = −0 (sf rounds to 1).
 */
export function logNormalSurvival(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z > TAIL_SWITCH) {
    if (z === Infinity) return -Infinity;
    return Math.log(erfcx(z * Math.SQRT1_2) / 2) - 0.5 * z * z;
  }
  return Math.log1p(-normalCdf(z));
}

/**
 * Φ(z). Below −1, as exp(−z²/2)·erfcx(−z/√2)/2 with z²/2 formed from z itself (split at a
 * multiple of 1/16, so its large part is exact): rounding z/√2 then only touches the slowly
 * varying erfcx, which keeps Φ accurate to a few ulps far into the lower tail.
 */
function normalCdf(z: number): number {
  if (z >= -TAIL_SWITCH) return erfc(-z * Math.SQRT1_2) / 2;
  if (z === -Infinity) return 0;
  const s = Math.trunc(z * SQUARE_SPLIT) / SQUARE_SPLIT;
  return (Math.exp(-0.5 * s * s) * Math.exp(-0.5 * (z - s) * (z + s)) * erfcx(-z * Math.SQRT1_2)) / 2;
}

/**
 * The z with logNormalSurvival(z) = logP (the normal inverse survival function at exp(logP)),
 * for logP in (−∞, 0). Newton's method on the concave, decreasing log sf: started right of the
 * root (z0 = √(−2 logP) >= root when logP < log ½, else 0), each tangent step stays right of it
 * and moves monotonically left; slope d/dz log sf(z) = −φ(z)/sf(z).
 */
export function inverseLogNormalSurvival(logP: number): number {
  if (!(logP < 0)) return logP === 0 ? -Infinity : NaN;
  if (logP === -Infinity) return Infinity;
  let z = logP < -Math.LN2 ? Math.sqrt(-2 * logP) : 0;
  for (let step = 0; step < INVERSE_MAX_STEPS; step++) {
    const value = logNormalSurvival(z);
    const slope = -Math.exp(-0.5 * z * z - LOG_SQRT_2PI - value);
    const next = z - (value - logP) / slope;
    const done = Math.abs(next - z) <= INVERSE_TOLERANCE * Math.max(1, Math.abs(z));
    z = next;
    if (done) break;
  }
  return z;
}
