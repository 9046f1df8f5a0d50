import type { AlertRule, LogNormalThreshold } from '../detect/threshold.js';
import { PHASE_EXEC, type ScoreTable } from '../eval/score-table.js';

/**
 * What a score plot shows, prepared once for the SVG writer and the HTML page: example.py's
 * figure (scores over packets on a log axis, coloured by log-probability) plus the threshold
 * line, the end of the grace period and the alerts.
 */
export type XAxis = 'time' | 'index';

export interface PlotData {
  n: number;
  /** What x is: the packet time (epoch seconds) or its index. */
  xKey: XAxis;
  x: Float64Array;
  index: Float64Array;
  time: Float64Array;
  rmse: Float64Array;
  /** The table's log-probability, NaN where empty (drawn grey). */
  logp: Float64Array;
  /** 1 where the table's alert column is 1. */
  alert: Uint8Array;
  alerts: number;
  phase: Uint8Array;
  src?: Uint32Array;
  dst?: Uint32Array;
  hosts?: string[];
  /** Horizontal threshold line (NaN: none). */
  thresholdRmse: number;
  thresholdLabel: string;
  /** x of the first executed packet (NaN: none). */
  graceX: number;
  /** Colour scale: logp 0 is green, `logpFloor` and below red. */
  logpFloor: number;
  /** Data extents with a margin: x, and log10(rmse) for y. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  title: string;
}

/** The colour scale reaches red at the lowest log-probability seen, but within these bounds. */
const LOGP_FLOOR_LOWEST = -50;
const LOGP_FLOOR_HIGHEST = -10;
/** Extents are widened by this fraction on each side. */
const MARGIN = 0.03;
/** y range (decades) when there is nothing to show. */
const EMPTY_Y: [number, number] = [-3, 0];

function padded(lo: number, hi: number): [number, number] {
  if (!(lo <= hi)) return [0, 1];
  const span = hi - lo || Math.max(1, Math.abs(lo)) * MARGIN * 2;
  return [lo - span * MARGIN, hi + span * MARGIN];
}

/**
 * Prepares the plot. `fit` and `rule` give the threshold line (rule 'p': the rmse where the
 * fit's log-probability is log P; rule 'rmse': that rmse).
 */
export function buildPlotData(
  table: ScoreTable,
  fit: LogNormalThreshold,
  rule: AlertRule,
  options: { x: XAxis; title: string },
): PlotData {
  const n = table.length;
  let haveTime = false;
  for (let i = 0; i < n && !haveTime; i++) haveTime = Number.isFinite(table.time[i]);
  const xKey: XAxis = options.x === 'time' && haveTime ? 'time' : 'index';
  const x = xKey === 'time' ? table.time : table.index;
  const alert = new Uint8Array(n);
  let alerts = 0;
  let xLo = Infinity, xHi = -Infinity, yLo = Infinity, yHi = -Infinity, minLogp = 0;
  let graceX = NaN;
  for (let i = 0; i < n; i++) {
    alert[i] = table.alert[i] === 1 ? 1 : 0;
    alerts += alert[i];
    if (Number.isFinite(x[i])) {
      if (x[i] < xLo) xLo = x[i];
      if (x[i] > xHi) xHi = x[i];
    }
    const r = table.rmse[i];
    if (r > 0 && r < Infinity) {
      const y = Math.log10(r);
      if (y < yLo) yLo = y;
      if (y > yHi) yHi = y;
    }
    if (Number.isNaN(graceX) && table.phase[i] === PHASE_EXEC) graceX = x[i];
    if (table.logp[i] < minLogp && Number.isFinite(table.logp[i])) minLogp = table.logp[i];
  }
  const canLine = rule.kind === 'rmse' || fit.n > 0;
  const thresholdRmse = canLine ? fit.thresholdRmse(rule) : NaN;
  if (thresholdRmse > 0 && thresholdRmse < Infinity) {
    yLo = Math.min(yLo, Math.log10(thresholdRmse));
    yHi = Math.max(yHi, Math.log10(thresholdRmse));
  }
  if (yLo > yHi) [yLo, yHi] = EMPTY_Y;
  const [x0, x1] = padded(xLo, xHi);
  const [y0, y1] = padded(yLo, yHi);
  const plot: PlotData = {
    n,
    xKey,
    x,
    index: table.index,
    time: table.time,
    rmse: table.rmse,
    logp: table.logp,
    alert,
    alerts,
    phase: table.phase,
    thresholdRmse,
    thresholdLabel: rule.kind === 'p' ? `threshold (P = ${rule.p})` : 'threshold (--threshold)',
    graceX,
    logpFloor: Math.max(LOGP_FLOOR_LOWEST, Math.min(LOGP_FLOOR_HIGHEST, minLogp)),
    x0,
    x1,
    y0,
    y1,
    title: options.title,
  };
  if (table.src && table.dst && table.hosts) {
    plot.src = table.src;
    plot.dst = table.dst;
    plot.hosts = table.hosts;
  }
  return plot;
}
