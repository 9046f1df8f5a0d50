/**
 * The logistic function sigmoid(v) = 1 / (1 + e^-v) of Kitsune-py's autoencoders (KitNET/utils.py),
 * with a faster e^v than Math.exp (which costs ~28 ns), accurate to a few ulps (about 1e-15 relative;
 * test/kitnet-sigmoid.test.ts).
 *
 * e^v by table-driven range reduction (Tang's method): v = (m N + j) ln2 / N + r with N = 256,
 * |r| <= ln2 / 512, so e^v = 2^m * 2^(j/N) * e^r; e^r by its Taylor polynomial of degree 4
 * (truncation error r^5/120 < 4e-17). ln2/N is split in a high part with trailing zero bits (so k * high is
 * exact) and a low part (fdlibm's split). Outside |v| <= 708, where 2^m would leave the normal range,
 * it defers to Math.exp (e^-v then overflows to Infinity or underflows, and sigmoid to 0 or 1).
 */

const TABLE_BITS = 8;
const TABLE_SIZE = 1 << TABLE_BITS;
const TABLE_MASK = TABLE_SIZE - 1;
/** fdlibm's ln2 split: the high part has 32 significant bits, so k * LN2_HI is exact for |k| < 2^21. */
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.9082149292705877e-10;
const STEP_HI = LN2_HI / TABLE_SIZE;
const STEP_LO = LN2_LO / TABLE_SIZE;
const INV_STEP = TABLE_SIZE / Math.LN2;
/** Largest |v| for which e^v and e^-v are normal doubles (e^708 < 2^1022, e^-708 > 2^-1022). */
const FAST_LIMIT = 708;
/** Binary exponents m reachable inside the fast range. */
const EXP_MIN = -1022;
const EXP_MAX = 1022;
/** 1.5 * 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer (faster than Math.round). */
const ROUNDING_SHIFTER = 6755399441055744;
const C2 = 1 / 2;
const C3 = 1 / 6;
const C4 = 1 / 24;

/** 2^(j/N), j = 0..N-1. */
const FRACTION_POWERS = Float64Array.from({ length: TABLE_SIZE }, (_, j) => Math.pow(2, j / TABLE_SIZE));
/** 2^m for m = EXP_MIN..EXP_MAX (exact powers of two). */
const INTEGER_POWERS = Float64Array.from({ length: EXP_MAX - EXP_MIN + 1 }, (_, i) => Math.pow(2, EXP_MIN + i));

/**
 * a[i] = sigmoid(a[i]) = 1 / (1 + e^-a[i]) for i < n (Kitsune-py KitNET/utils.py `sigmoid`).
 * The hot path applies sigmoid a layer at a time and e^v is written out here rather than called:
 * V8 then never calls it out of line with a boxed double when its inlining budget runs out.
 */
export function sigmoidInPlace(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = -a[i];
    if (!(v <= FAST_LIMIT && v >= -FAST_LIMIT)) {
      a[i] = 1 / (1 + Math.exp(v));
      continue;
    }
    const kd = v * INV_STEP + ROUNDING_SHIFTER - ROUNDING_SHIFTER;
    const r = v - kd * STEP_HI - kd * STEP_LO;
    const k = kd | 0;
    const p = 1 + r * (1 + r * (C2 + r * (C3 + r * C4)));
    // k = m N + j with j in [0, N): k & mask is j and k >> bits is floor(k / N) for negative k too.
    a[i] = 1 / (1 + FRACTION_POWERS[k & TABLE_MASK] * p * INTEGER_POWERS[(k >> TABLE_BITS) - EXP_MIN]);
  }
}
