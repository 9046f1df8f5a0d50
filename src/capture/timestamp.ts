/**
 * tshark's `frame.time_epoch` text and the double Kitsune-py makes of it.
 *
 * wiretap stores a packet time as (secs: int64, nsecs: int32). tshark 4.0 prints frame.time_epoch as a
 * relative time with nanosecond units (epan/to_str.c, display_signed_time): when nsecs < 0 it negates
 * it (in 32 bits, so -2^31 stays 2^31 once read as unsigned) and puts a '-' in front unless the seconds
 * are already negative; then the seconds in decimal, '.', and the fraction zero-padded to at least
 * 9 digits (more when it is >= 10^9: wiretap does not normalise it).
 * Kitsune-py then calls Python float() on that string (FeatureExtractor.get_next_vector).
 */

/** Nanoseconds per second. */
export const NS_PER_S = 1_000_000_000;
/** Digits tshark prints at least for the fraction (nanosecond units). */
const FRACTION_DIGITS = 9;
/** The fast check of `epochToDouble` is exact for seconds in [2^29, 2^52). */
const FAST_MIN = 2 ** 29;
const FAST_MAX = 2 ** 52;

/** Explicit mantissa bits of a double. */
const DOUBLE_MANTISSA_BITS = 52;

/** POW2[k] = 2^k for the exponents the fast path meets (Math.pow per packet costs ~94 ns). */
const POW2 = Float64Array.from({ length: DOUBLE_MANTISSA_BITS + 2 }, (_, k) => 2 ** k);
const UINT32_LIMIT = 2 ** 32;
const UINT32_TOP_BIT = 31;

/** k with 2^k <= n < 2^(k+1) for an integer n >= 1. */
function binade(n: number): number {
  if (n < UINT32_LIMIT) return UINT32_TOP_BIT - Math.clz32(n);
  let k = Math.floor(Math.log2(n));
  if (POW2[k] > n) k--;
  else if (POW2[k + 1] <= n) k++;
  return k;
}

/** tshark's frame.time_epoch string for wiretap's (secs, nsecs); `frac` is the signed 32-bit nsecs. */
export function formatEpoch(sec: number, frac: number): string {
  let sign = '';
  let f = frac;
  if (f < 0) {
    // display_signed_time: frac = -frac in 32 bits, printed unsigned; '-' only if secs >= 0.
    f = -f;
    if (sec >= 0) sign = '-';
  }
  return `${sign}${sec}.${String(f).padStart(FRACTION_DIGITS, '0')}`;
}

/**
 * Python's float(formatEpoch(sec, frac)), i.e. the double nearest to sec + frac * 1e-9 for an in-range
 * fraction. Fast path: x = sec + frac/1e9 is within one ulp of the answer; it is accepted only when an
 * exact integer comparison proves it is the nearest double (no tie). Otherwise the string is parsed.
 */
export function epochToDouble(sec: number, frac: number): number {
  if (frac >= 0 && frac < NS_PER_S && sec >= FAST_MIN && sec < FAST_MAX) {
    const x = sec + frac / NS_PER_S;
    const k = binade(sec);
    if (x < POW2[k + 1]) {
      // In [2^k, 2^(k+1)) doubles are spaced 2^(k-52). x - sec is exact (Sterbenz) and
      // m = (x - sec) * 2^(52-k) is an integer below 2^23 because k >= 29.
      const scale = POW2[DOUBLE_MANTISSA_BITS - k];
      const m = (x - sec) * scale;
      // (true value - x) in units of the spacing, times 1e9; both products are integers below 2^53.
      const diff = frac * scale - m * NS_PER_S;
      if (2 * Math.abs(diff) < NS_PER_S) return x;
    }
  }
  return Number(formatEpoch(sec, frac));
}
