/**
 * The complementary error function and its scaled form, to about 1e-15 relative accuracy over
 * the whole line, from W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev
 * approximations for the error function", Math. Comp. 23 (1969) 631-637; the coefficients are
 * those of his CALERF routine, SPECFUN/netlib):
 *   |x| <= 0.46875:       erf(x)   = x · A(x²) / B(x²)
 *   0.46875 < x <= 4:     erfcx(x) = C(x) / D(x)
 *   x > 4:                erfcx(x) = (1/√π − R(1/x²)/(x²·S(1/x²))) / x
 * where erfcx(x) = exp(x²)·erfc(x). erfcx needs no exponential at all, which is what keeps the
 * log of the normal tail exact far out (see log-survival.ts).
 */

/** Upper end of the small-argument interval (erf by a rational function of x²). */
const SMALL_LIMIT = 0.46875;
/** Upper end of the middle interval (erfcx by a rational function of x). */
const MIDDLE_LIMIT = 4;
/** Beyond this, erfcx(x) = 1/(x√π) to double precision. */
const HUGE_LIMIT = 6.71e7;
/** exp(-x²) is split at a multiple of 1/16 so that x² is formed exactly (Cody's device). */
const SPLIT_SCALE = 16;
const INV_SQRT_PI = 0.56418958354775628695;

const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4,
  0.0163153871373020978,
];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];

/** erf(x) for |x| <= 0.46875. */
function erfSmall(x: number): number {
  const z = x * x;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * z;
    den = (den + B[i]) * z;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/** erfcx(y) = exp(y²)·erfc(y) for y > 0.46875. */
function erfcxLarge(y: number): number {
  if (y <= MIDDLE_LIMIT) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  if (y >= HUGE_LIMIT) return INV_SQRT_PI / y;
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  const r = (z * (num + P[4])) / (den + Q[4]);
  return (INV_SQRT_PI - r) / y;
}

/** exp(-y²) with y² split as s² + (y−s)(y+s), s = ⌊16y⌋/16, so the large part is exact. */
function expMinusSquare(y: number): number {
  const s = Math.trunc(y * SPLIT_SCALE) / SPLIT_SCALE;
  return Math.exp(-s * s) * Math.exp(-(y - s) * (y + s));
}

/** erfcx(x) = exp(x²)·erfc(x) for x >= 0 (the scaled complementary error function). */
export function erfcx(x: number): number {
  if (x <= SMALL_LIMIT) return Math.exp(x * x) * (1 - erfSmall(x));
  return erfcxLarge(x);
}

/** erfc(x) = 1 − erf(x), accurate in relative terms also where it is tiny (x large). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= SMALL_LIMIT) return 1 - erfSmall(x);
  if (y === Infinity) return x > 0 ? 0 : 2;
  const upper = expMinusSquare(y) * erfcxLarge(y);
  return x > 0 ? upper : 2 - upper;
}
