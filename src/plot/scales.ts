/**
 * Colour scale and axis ticks shared by the SVG writer and the HTML page. Each function uses no
 * outside names but Math/Date and the others here (stepTicks), because the page embeds their source
 * text (Function.prototype.toString, html.ts) so that both outputs draw the same ticks and colours.
 */

/**
 * Colour of a log-probability, as example.py's scatter plot (matplotlib 'RdYlGn'): green at
 * logp = 0 (ordinary) through yellow to red at `floor` and below. Returns [r, g, b] 0..255;
 * grey for NaN (no fit yet).
 */
export function colourOf(logp: number, floor: number): [number, number, number] {
  const GREY: [number, number, number] = [160, 160, 160];
  const STOPS: [number, number, number][] = [
    [26, 152, 80],
    [145, 207, 96],
    [254, 224, 139],
    [252, 141, 89],
    [215, 48, 39],
  ];
  if (Number.isNaN(logp)) return GREY;
  const u = Math.min(1, Math.max(0, logp / floor)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(u));
  const t = u - k;
  const a = STOPS[k];
  const b = STOPS[k + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * t),
    Math.round(a[1] + (b[1] - a[1]) * t),
    Math.round(a[2] + (b[2] - a[2]) * t),
  ];
}

/** About `count` round ticks (1, 2, 5 × 10^k steps) inside [lo, hi]. */
export function linearTicks(lo: number, hi: number, count: number): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / Math.max(1, count);
  const decade = Math.pow(10, Math.floor(Math.log10(raw)));
  const FACTORS = [1, 2, 5, 10];
  const step = decade * (FACTORS.find((f) => f * decade >= raw) ?? 10);
  return stepTicks(lo, hi, step);
}

/**
 * The multiples k·step inside [lo, hi], counted up front (past 2^53 a `k++` loop stops moving k and
 * never ends); [lo] when they are too many or beyond the doubles' integer precision.
 */
export function stepTicks(lo: number, hi: number, step: number): number[] {
  const MAX_TICKS = 1000;
  const first = Math.ceil(lo / step);
  const n = Math.floor(hi / step) - first + 1;
  if (!(Math.abs(first) + n < Number.MAX_SAFE_INTEGER) || !(n <= MAX_TICKS)) return [lo];
  const ticks: number[] = [];
  for (let i = 0; i < n; i++) ticks.push((first + i) * step);
  return ticks;
}

/**
 * Ticks on a log10 axis, as log10 values inside [lo, hi]: every decade, with 2 and 5 between
 * when fewer than `dense` decades show (and whole-decade strides when very many show).
 */
export function logTicks(lo: number, hi: number): number[] {
  const DENSE_DECADES = 3;
  const MAX_DECADE_TICKS = 10;
  const decades = hi - lo;
  const ticks: number[] = [];
  if (!(decades > 0) || !Number.isFinite(decades)) return [lo];
  const stride = Math.max(1, Math.ceil(decades / MAX_DECADE_TICKS));
  for (let d = Math.floor(lo); d <= Math.ceil(hi); d++) {
    if (d % stride === 0 && d >= lo && d <= hi) ticks.push(d);
    if (decades < DENSE_DECADES) {
      for (const m of [2, 5]) {
        const v = d + Math.log10(m);
        if (v >= lo && v <= hi) ticks.push(v);
      }
    }
  }
  if (ticks.length === 0) {
    const MIN_TICKS = 3;
    for (let k = 0; k < MIN_TICKS; k++) ticks.push(lo + ((hi - lo) * (k + 0.5)) / MIN_TICKS);
  }
  return ticks.sort((a, b) => a - b);
}

/** Ticks for epoch seconds at round clock steps (1 ms ... 1 week), about `count` of them. */
export function timeTicks(lo: number, hi: number, count: number): number[] {
  const MINUTE = 60;
  const HOUR = 3600;
  const DAY = 86400;
  const STEPS = [
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, MINUTE, 2 * MINUTE, 5 * MINUTE,
    10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY,
  ];
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / Math.max(1, count);
  const step = STEPS.find((s) => s >= raw) ?? Math.ceil(raw / DAY) * DAY;
  return stepTicks(lo, hi, step);
}

/** A tick label for epoch seconds, in UTC: `HH:MM:SS`, with milliseconds or the date as the span needs. */
export function formatTime(t: number, step: number, span: number): string {
  const DAY = 86400;
  // Outside years 0..9999 (times in µs or ns, say; beyond ±8.64e12 s Date has none) ISO dates change
  // shape: the label is the number itself.
  const LAST_ISO_SECOND = 253402300799;
  if (!(t >= 0 && t <= LAST_ISO_SECOND)) return String(t);
  const date = new Date(Math.round(t * 1000));
  const iso = date.toISOString();
  if (span >= DAY) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  if (step < 1) return iso.slice(11, 23);
  return iso.slice(11, 19);
}

/** A short number label: up to 4 significant digits, exponent form outside [1e-3, 1e6). */
export function formatNumber(v: number): string {
  const SMALL = 1e-3;
  const LARGE = 1e6;
  const DIGITS = 4;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < SMALL || a >= LARGE) return v.toExponential(2).replace('e+', 'e');
  return String(Number(v.toPrecision(DIGITS)));
}
