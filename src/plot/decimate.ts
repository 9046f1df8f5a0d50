import type { PlotData } from './plot-data.js';

/**
 * Per-cell decimation: the plot area is cut into cells (a few pixels square); each cell keeps
 * one point, the one with the lowest log-probability (the most anomalous; points without a
 * log-probability lose to any point that has one), and alerts keep a cell grid of their own.
 * So every occupied pixel area stays occupied (extremes survive) and no alert disappears from
 * view, while the number of drawn marks is bounded by the cell count. Rows with rmse <= 0
 * (the grace period's zeros) have no place on a log axis and are skipped.
 * Self-contained: the HTML page embeds this function's source and runs it on every redraw.
 */
export interface Cells {
  columns: number;
  rows: number;
  /** Row number of the point kept per cell, −1 for empty. */
  point: Int32Array;
  alert: Int32Array;
}

export interface View {
  x0: number;
  x1: number;
  /** log10(rmse) range. */
  y0: number;
  y1: number;
}

export function decimate(
  data: Pick<PlotData, 'n' | 'x' | 'rmse' | 'logp' | 'alert'>,
  view: View,
  columns: number,
  rows: number,
): Cells {
  const key = (logp: number) => (Number.isNaN(logp) ? Infinity : logp);
  const point = new Int32Array(columns * rows).fill(-1);
  const alert = new Int32Array(columns * rows).fill(-1);
  const sx = columns / (view.x1 - view.x0);
  const sy = rows / (view.y1 - view.y0);
  for (let i = 0; i < data.n; i++) {
    const r = data.rmse[i];
    const x = data.x[i];
    if (!(r > 0) || !(x >= view.x0 && x <= view.x1)) continue;
    const y = Math.log10(r);
    if (!(y >= view.y0 && y <= view.y1)) continue;
    const c = Math.min(columns - 1, Math.floor((x - view.x0) * sx));
    const k = Math.min(rows - 1, Math.floor((view.y1 - y) * sy)) * columns + c;
    const l = key(data.logp[i]);
    if (point[k] < 0 || l < key(data.logp[point[k]])) point[k] = i;
    if (data.alert[i] === 1 && (alert[k] < 0 || l < key(data.logp[alert[k]]))) alert[k] = i;
  }
  return { columns, rows, point, alert };
}
