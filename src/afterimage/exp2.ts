/**
 * 2^y for y <= 0, rounded (nearly always) as a correctly rounded pow would round it.
 *
 * Kitsune-py's decay factor is math.pow(2, -λΔt) from glibc, whose error is below 0.52 ulp. V8's
 * Math.pow differs from it in the last bit for ~5% of arguments and costs ~90 ns; exp(y ln 2) loses
 * up to |y| ulps. Here (Tang's table method), with k = round(1024 y), y = n + j/1024 + r exactly
 * (|r| <= 1/2048, 0 <= j < 1024):
 *   2^y = 2^n · T_j · (1 + q),  T_j = 2^(j/1024) held as hi + lo (two doubles, computed at load time
 *   in BigInt fixed point), q = 2^r - 1 = c1 r + ... + c5 r⁵, c_i = (ln 2)^i / i!,
 * evaluated as hi + (hi·q + lo): since |q| < 3.4e-4, the rounding errors of q and hi·q are below
 * 2e-19 of the result, so the one rounding that matters is the final sum's, as in a correctly
 * rounded pow except within 0.001 ulp of a rounding boundary (see the unit test against glibc).
 * (Results below 2^-1022 are rounded twice; such factors have no effect on the features.)
 */

/** Table steps per unit of the exponent. */
const STEPS = 1024;
/** 1/STEPS (exact: a power of two). */
const STEP = 1 / STEPS;
/** Fixed-point bits of the BigInt table computation (well beyond the 106 of hi + lo). */
const FIXED_BITS = 192;
/** 2^y is 0 once y is below the smallest subnormal's exponent. */
const MAX_HALVINGS = 1074;
/** q's Taylor coefficients (ln 2)^i / i!, i = 1..5. */
const C1 = Math.LN2;
const C2 = (Math.LN2 * Math.LN2) / 2;
const C3 = (Math.LN2 * Math.LN2 * Math.LN2) / 6;
const C4 = (Math.LN2 * Math.LN2 * Math.LN2 * Math.LN2) / 24;
const C5 = (Math.LN2 * Math.LN2 * Math.LN2 * Math.LN2 * Math.LN2) / 120;

/** 2^(j/1024) = TABLE_HI[j] + TABLE_LO[j]. */
const TABLE_HI = new Float64Array(STEPS);
const TABLE_LO = new Float64Array(STEPS);
{
  const one = 1n << BigInt(FIXED_BITS);
  // ln 2 = Σ_{m>=1} 1 / (m 2^m), to FIXED_BITS bits.
  let ln2 = 0n;
  for (let m = 1n; m <= BigInt(FIXED_BITS); m++) ln2 += one / (m << m);
  // 2^(1/1024) = exp(ln 2 / 1024) by its Taylor series (terms fall by ~1/1500 each).
  const x = ln2 / BigInt(STEPS);
  let step = one;
  let term = one;
  for (let m = 1n; term !== 0n; m++) {
    term = (term * x) / (m << BigInt(FIXED_BITS));
    step += term;
  }
  let t = one;
  const scale = 2 ** FIXED_BITS;
  for (let j = 0; j < STEPS; j++) {
    const hi = Number(t) / scale;
    TABLE_HI[j] = hi;
    TABLE_LO[j] = Number(t - BigInt(hi * scale)) / scale;
    t = (t * step) >> BigInt(FIXED_BITS);
  }
}

const HALVINGS = new Float64Array(MAX_HALVINGS + 1);
for (let n = 0; n <= MAX_HALVINGS; n++) HALVINGS[n] = 2 ** -n;

/**
 * values[i] = 2^values[i] for every i in [from, to), each y <= 0 (see the file comment). In place on
 * an array rather than a function of a number: a double passed to or returned from a call that is not
 * inlined is boxed, an allocation per factor.
 */
export function exp2NonPositiveInPlace(values: Float64Array, from: number, to: number): void {
  for (let at = from; at < to; at++) {
    const y = values[at];
    const k = Math.round(y * STEPS);
    if (k < -MAX_HALVINGS * STEPS) {
      values[at] = 0;
      continue;
    }
    const r = y - k * STEP;
    const j = k & (STEPS - 1);
    const halvings = (j - k) * STEP;
    const q = r * (C1 + r * (C2 + r * (C3 + r * (C4 + r * C5))));
    const hi = TABLE_HI[j];
    const result = hi + (hi * q + TABLE_LO[j]);
    values[at] = halvings <= MAX_HALVINGS ? result * HALVINGS[halvings] : 0;
  }
}
