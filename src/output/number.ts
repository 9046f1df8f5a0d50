/** Python's repr() boundaries: fixed notation for decimal exponents in [-4, 16). */
const PY_FIXED_MIN_EXP = -4;
const PY_FIXED_MAX_EXP = 16;
/** Range where JavaScript's String(x) and Python's repr(x) both use fixed notation with the same digits. */
const JS_FIXED_MIN = 1e-4;
const PY_FIXED_MAX = 1e16;

/**
 * Formats a double as Python's repr(float) does: the shortest digits that parse back to the same
 * double (as JavaScript's own conversion), laid out in Python's style (`1.0`, `1e-05`, `1.5e+16`,
 * `nan`, `inf`). Kitsune-py's reference files are written this way, so our rows compare as text.
 */
export function pyRepr(x: number): string {
  const magnitude = Math.abs(x);
  if (magnitude >= JS_FIXED_MIN && magnitude < PY_FIXED_MAX) {
    // Both languages print fixed notation here with the same shortest digits; Python adds '.0' to integers.
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < PY_FIXED_MIN_EXP || exp >= PY_FIXED_MAX_EXP) {
    const frac = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp) < 10 ? `0${Math.abs(exp)}` : `${Math.abs(exp)}`;
    return `${sign}${frac}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits}${'0'.repeat(intLen - digits.length)}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}
