import { decimate } from './decimate.js';
import type { PlotData } from './plot-data.js';
import { colourOf, formatNumber, formatTime, linearTicks, logTicks, timeTicks } from './scales.js';

/**
 * A static SVG of the score plot (decimated per 2-pixel cell, see decimate.ts): points coloured by
 * log-probability with a colour bar, alerts ringed in red, the threshold line, the end of the
 * grace period, log y axis. Deterministic: coordinates are rounded to 0.1 px.
 */
export interface SvgOptions {
  width: number;
  height: number;
}

export const DEFAULT_SVG_SIZE: SvgOptions = { width: 960, height: 520 };

const MARGIN = { left: 72, right: 24, top: 36, bottom: 96 };
const CELL = 2;
const ALERT_RADIUS = 3.5;
const X_TICKS = 8;
const COLOUR_BAR_WIDTH = 200;
const COLOUR_BAR_STEPS = 5;
const FONT = 'font-family="sans-serif" font-size="11"';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const f = (v: number) => v.toFixed(1);
const rgb = ([r, g, b]: [number, number, number]) => `rgb(${r},${g},${b})`;

export function renderSvg(data: PlotData, options: SvgOptions = DEFAULT_SVG_SIZE): string {
  const { width, height } = options;
  const pw = width - MARGIN.left - MARGIN.right;
  const ph = height - MARGIN.top - MARGIN.bottom;
  const view = { x0: data.x0, x1: data.x1, y0: data.y0, y1: data.y1 };
  const px = (x: number) => MARGIN.left + ((x - view.x0) / (view.x1 - view.x0)) * pw;
  const py = (y: number) => MARGIN.top + ((view.y1 - y) / (view.y1 - view.y0)) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="${MARGIN.left}" y="22" font-family="sans-serif" font-size="14">${escapeXml(data.title)}</text>`);
  // Grid and ticks.
  const xTicks = data.xKey === 'time' ? timeTicks(view.x0, view.x1, X_TICKS) : linearTicks(view.x0, view.x1, X_TICKS);
  const step = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1;
  for (const t of xTicks) {
    const x = f(px(t));
    const label = data.xKey === 'time' ? formatTime(t, step, view.x1 - view.x0) : formatNumber(t);
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${x}" y="${MARGIN.top + ph + 16}" ${FONT} text-anchor="middle">${label}</text>`);
  }
  for (const t of logTicks(view.y0, view.y1)) {
    const y = f(py(t));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + pw}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${y}" ${FONT} text-anchor="end" dominant-baseline="middle">${formatNumber(Math.pow(10, t))}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  const xTitle = data.xKey === 'time' ? 'time (UTC)' : 'packet index';
  out.push(`<text x="${MARGIN.left + pw / 2}" y="${MARGIN.top + ph + 34}" ${FONT} text-anchor="middle">${xTitle}</text>`);
  out.push(`<text transform="translate(16 ${MARGIN.top + ph / 2}) rotate(-90)" ${FONT} text-anchor="middle">RMSE (log scale)</text>`);
  // Points and alerts.
  const cells = decimate(data, view, Math.ceil(pw / CELL), Math.ceil(ph / CELL));
  out.push('<g>');
  for (let k = 0; k < cells.point.length; k++) {
    const i = cells.point[k];
    if (i < 0) continue;
    const cx = MARGIN.left + (k % cells.columns) * CELL;
    const cy = MARGIN.top + Math.floor(k / cells.columns) * CELL;
    out.push(`<rect x="${cx}" y="${cy}" width="${CELL}" height="${CELL}" fill="${rgb(colourOf(data.logp[i], data.logpFloor))}"/>`);
  }
  out.push('</g><g fill="none" stroke="#d00" stroke-width="1.2">');
  for (let k = 0; k < cells.alert.length; k++) {
    if (cells.alert[k] < 0) continue;
    const cx = MARGIN.left + (k % cells.columns) * CELL + CELL / 2;
    const cy = MARGIN.top + Math.floor(k / cells.columns) * CELL + CELL / 2;
    out.push(`<circle cx="${cx}" cy="${cy}" r="${ALERT_RADIUS}"/>`);
  }
  out.push('</g>');
  // Threshold and grace lines.
  if (data.thresholdRmse > 0 && Number.isFinite(data.thresholdRmse)) {
    const y = f(py(Math.log10(data.thresholdRmse)));
    out.push(`<line x1="${MARGIN.left}" y1="${y}" x2="${MARGIN.left + pw}" y2="${y}" stroke="#222" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${MARGIN.left + pw - 4}" y="${f(Number(y) - 4)}" ${FONT} text-anchor="end">${escapeXml(data.thresholdLabel)} = ${formatNumber(data.thresholdRmse)}</text>`);
  }
  if (Number.isFinite(data.graceX)) {
    const x = f(px(data.graceX));
    out.push(`<line x1="${x}" y1="${MARGIN.top}" x2="${x}" y2="${MARGIN.top + ph}" stroke="#2a6fdb" stroke-dasharray="3 3"/>`);
    out.push(`<text x="${f(Number(x) + 4)}" y="${MARGIN.top + 12}" ${FONT} fill="#2a6fdb">grace period ends</text>`);
  }
  // Legend: colour bar of log-probability, grey, alert ring, lines.
  const ly = height - 30;
  const lx = MARGIN.left;
  out.push('<defs><linearGradient id="logp">');
  for (let s = 0; s <= COLOUR_BAR_STEPS; s++) {
    const logp = (data.logpFloor * s) / COLOUR_BAR_STEPS;
    out.push(`<stop offset="${s / COLOUR_BAR_STEPS}" stop-color="${rgb(colourOf(logp, data.logpFloor))}"/>`);
  }
  out.push('</linearGradient></defs>');
  out.push(`<text x="${lx}" y="${ly - 6}" ${FONT}>log-probability</text>`);
  out.push(`<rect x="${lx}" y="${ly}" width="${COLOUR_BAR_WIDTH}" height="10" fill="url(#logp)"/>`);
  out.push(`<text x="${lx}" y="${ly + 22}" ${FONT}>0</text>`);
  out.push(`<text x="${lx + COLOUR_BAR_WIDTH}" y="${ly + 22}" ${FONT} text-anchor="end">≤ ${formatNumber(data.logpFloor)}</text>`);
  const sx = lx + COLOUR_BAR_WIDTH + 24;
  out.push(`<rect x="${sx}" y="${ly}" width="10" height="10" fill="${rgb(colourOf(NaN, data.logpFloor))}"/>`);
  out.push(`<text x="${sx + 14}" y="${ly + 9}" ${FONT}>no fit yet</text>`);
  out.push(`<circle cx="${sx + 100}" cy="${ly + 5}" r="${ALERT_RADIUS}" fill="none" stroke="#d00" stroke-width="1.2"/>`);
  out.push(`<text x="${sx + 108}" y="${ly + 9}" ${FONT}>alert (${data.alerts})</text>`);
  out.push(`<line x1="${sx + 190}" y1="${ly + 5}" x2="${sx + 214}" y2="${ly + 5}" stroke="#222" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${sx + 218}" y="${ly + 9}" ${FONT}>threshold</text>`);
  out.push(`<line x1="${sx + 290}" y1="${ly}" x2="${sx + 290}" y2="${ly + 10}" stroke="#2a6fdb" stroke-dasharray="3 3"/>`);
  out.push(`<text x="${sx + 296}" y="${ly + 9}" ${FONT}>grace end</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
