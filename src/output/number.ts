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
    const text = shortestDigits(x);
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

/**
 * String(x) for a finite x. JSON.stringify gives the same text (ECMAScript: a finite number is
 * serialised by ToString) but, in V8, does not go through the number-to-string cache, whose entries
 * keep every converted string alive past young-generation collections: ~25% faster per call and no
 * old-generation garbage at a million conversions per second.
 */
function shortestDigits(x: number): string {
  return JSON.stringify(x);
}

/** Range of the fixed-point fast path of writePyRepr: from here, 16 significant digits end at the microsecond. */
const MICRO_FAST_MIN = 1e9;
/** ...up to here, where doubles are still less than a microsecond apart (spacing 2^-21 below 2^32). */
const MICRO_FAST_MAX = 2 ** 32;
const MICRO_PER_UNIT = 1_000_000;
const MICRO_DIGITS = 6;
const DOUBLE_MANTISSA_BITS = 52;
const UINT32_TOP_BIT = 31;
const CHAR_0 = 0x30;
/** Integers from here are written in two parts of int32 arithmetic: the last LOW_PART_DIGITS digits, then the rest. */
const INT32_LIMIT = 2 ** 31;
const LOW_PART_DIGITS = 9;
const LOW_PART = 10 ** LOW_PART_DIGITS;
const CHAR_DOT = 0x2e;
const CHAR_MINUS = 0x2d;
/** A double's shortest repr has at most 17 significant digits; with sign, point and exponent, 25 characters. */
export const PY_REPR_MAX_LENGTH = 25;
/** POW2[k] = 2^k. */
const POW2 = Float64Array.from({ length: DOUBLE_MANTISSA_BITS + 1 }, (_, k) => 2 ** k);

/**
 * Writes pyRepr(x) as ASCII bytes at out[at], returning the position after it (room for
 * PY_REPR_MAX_LENGTH bytes is the caller's to ensure). Capture timestamps (seconds since 1970 with
 * microseconds, in [1e9, 2^32)) take an exact path that allocates nothing: there doubles are less
 * than 1e-6 apart, so if the decimal d = sec.uuuuuu is the nearest decimal of that form and x is the
 * double nearest to d (checked exactly in integers), no other number with 16 or fewer significant
 * digits rounds to x, and the shortest repr is d without its trailing zeros. Anything else is
 * formatted by pyRepr's rules.
 */
export function writePyRepr(x: number, out: Uint8Array, at: number): number {
  if (x >= MICRO_FAST_MIN && x < MICRO_FAST_MAX) {
    const end = writeMicroseconds(x, out, at);
    if (end >= 0) return end;
  }
  const magnitude = Math.abs(x);
  if (magnitude >= JS_FIXED_MIN && magnitude < PY_FIXED_MAX) {
    // As pyRepr: the same digits in both languages; Python adds '.0' to integers.
    const text = shortestDigits(x);
    const end = writeAscii(text, out, at);
    if (text.includes('.')) return end;
    out[end] = CHAR_DOT;
    out[end + 1] = CHAR_0;
    return end + 2;
  }
  return writeAscii(pyRepr(x), out, at);
}

/** The microsecond path of writePyRepr for x in [1e9, 2^32); -1 when x is not such a decimal's double. */
function writeMicroseconds(x: number, out: Uint8Array, at: number): number {
  const sec = Math.floor(x);
  // x - sec is exact (Sterbenz); in x's binade [2^k, 2^(k+1)) doubles are 2^(k-52) apart.
  const frac = x - sec;
  const micros = Math.round(frac * MICRO_PER_UNIT);
  if (micros >= MICRO_PER_UNIT) return -1;
  const scale = POW2[DOUBLE_MANTISSA_BITS - (UINT32_TOP_BIT - Math.clz32(sec))];
  // (d - x) in units of the spacing, times 1e6: an integer below 2^53, so the test is exact. A tie is
  // left to the general path.
  const diff = micros * scale - frac * scale * MICRO_PER_UNIT;
  if (!(2 * Math.abs(diff) < MICRO_PER_UNIT)) return -1;
  let p = writeUnsigned(sec, out, at);
  out[p++] = CHAR_DOT;
  // Six digits, trailing zeros dropped (at least one digit stays: '.0').
  let digits = MICRO_DIGITS;
  let rest = micros;
  while (digits > 1 && rest % 10 === 0) {
    rest = (rest / 10) | 0;
    digits--;
  }
  return writeDigits(rest, digits, out, p);
}

/** Writes a non-negative integer below 2^53 in decimal at out[at]; returns the position after it. */
export function writeUnsigned(n: number, out: Uint8Array, at: number): number {
  if (n >= INT32_LIMIT) {
    // Split so that both halves take the int32 path below.
    const high = Math.floor(n / LOW_PART);
    const end = writeUnsigned(high, out, at);
    return writeDigits(n - high * LOW_PART, LOW_PART_DIGITS, out, end);
  }
  let digits = 1;
  for (let v = n | 0; v >= 10; v = (v / 10) | 0) digits++;
  return writeDigits(n, digits, out, at);
}

/** Writes the `digits` last decimal digits of an integer in [0, 2^31) (zero-padded). */
function writeDigits(n: number, digits: number, out: Uint8Array, at: number): number {
  let v = n | 0;
  for (let i = at + digits - 1; i >= at; i--) {
    const next = (v / 10) | 0;
    out[i] = CHAR_0 + v - next * 10;
    v = next;
  }
  return at + digits;
}

/** Writes an integer (|n| < 2^53) in decimal, as String(n) does; returns the position after it. */
export function writeInteger(n: number, out: Uint8Array, at: number): number {
  if (n < 0) {
    out[at] = CHAR_MINUS;
    return writeUnsigned(-n, out, at + 1);
  }
  return writeUnsigned(n, out, at);
}

/** Copies an ASCII string's characters to out[at]; returns the position after it. */
function writeAscii(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
}
