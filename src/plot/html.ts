import { decimate } from './decimate.js';
import { PAGE_SCRIPT } from './page-script.js';
import type { PlotData } from './plot-data.js';
import { colourOf, formatNumber, formatTime, linearTicks, logTicks, stepTicks, timeTicks } from './scales.js';

/**
 * A self-contained interactive HTML page of the score plot: inline CSS and JavaScript, no
 * network. The columns travel as base64 of little-endian typed arrays inside a JSON block
 * (rmse, time, index unless it is simply the row number: float64; log-probability: float32;
 * flags: alert bit 0, phase in bits 1-2; src/dst: uint32 ids into a host list). Deterministic:
 * same data, same bytes.
 */

const ALERT_BIT = 1;
const PHASE_SHIFT = 1;
const LEGEND_STEPS = 8;

function base64(array: Float64Array | Float32Array | Uint8Array | Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The helpers the page script calls, as source text. */
function helperSources(): string {
  return [colourOf, stepTicks, linearTicks, logTicks, timeTicks, formatTime, formatNumber, decimate].map((f) => f.toString()).join('\n');
}

export function renderHtml(data: PlotData): string {
  const n = data.n;
  const flags = new Uint8Array(n);
  let indexIsRow = true;
  for (let i = 0; i < n; i++) {
    flags[i] = data.alert[i] * ALERT_BIT | (data.phase[i] << PHASE_SHIFT);
    if (data.index[i] !== i) indexIsRow = false;
  }
  const config = {
    n,
    xKey: data.xKey,
    rmse: base64(data.rmse),
    time: base64(data.time),
    index: indexIsRow ? null : base64(data.index),
    logp: base64(Float32Array.from(data.logp)),
    flags: base64(flags),
    src: data.src ? base64(data.src) : null,
    dst: data.dst ? base64(data.dst) : null,
    hosts: data.hosts ?? null,
    alerts: data.alerts,
    thresholdRmse: Number.isFinite(data.thresholdRmse) ? data.thresholdRmse : null,
    thresholdLabel: data.thresholdLabel,
    graceX: Number.isFinite(data.graceX) ? data.graceX : null,
    logpFloor: data.logpFloor,
    x0: data.x0,
    x1: data.x1,
    y0: data.y0,
    y1: data.y1,
  };
  // '<' escaped so that no host name can close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const stops = Array.from({ length: LEGEND_STEPS + 1 }, (_, s) => {
    const [r, g, b] = colourOf((data.logpFloor * s) / LEGEND_STEPS, data.logpFloor);
    return `rgb(${r},${g},${b}) ${((100 * s) / LEGEND_STEPS).toFixed(1)}%`;
  }).join(', ');
  const [gr, gg, gb] = colourOf(NaN, data.logpFloor);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>
body { font: 13px sans-serif; margin: 12px 16px; color: #222; }
h1 { font-size: 16px; margin: 0 0 6px; }
#wrap { position: relative; width: 100%; height: 70vh; min-height: 320px; }
#plot { width: 100%; height: 100%; display: block; cursor: crosshair; }
#tip { position: absolute; pointer-events: none; background: rgba(255,255,255,0.95); border: 1px solid #999;
  padding: 4px 6px; white-space: pre; font: 12px monospace; box-shadow: 0 1px 4px rgba(0,0,0,0.2); }
#zoombox { position: absolute; pointer-events: none; border: 1px dashed #333; background: rgba(40,110,220,0.12); }
#legend { display: flex; flex-wrap: wrap; gap: 18px; align-items: center; margin-top: 8px; }
.bar { width: 200px; height: 10px; background: linear-gradient(to right, ${stops}); border: 1px solid #ccc; }
.ends { display: flex; justify-content: space-between; width: 200px; font-size: 11px; }
.swatch { display: inline-block; width: 10px; height: 10px; vertical-align: middle; margin-right: 4px; }
.ring { display: inline-block; width: 7px; height: 7px; border: 1.5px solid #d00; border-radius: 50%; vertical-align: middle; margin-right: 4px; }
.dash { display: inline-block; width: 24px; border-top: 2px dashed #222; vertical-align: middle; margin-right: 4px; }
.grace { border-top-color: #2a6fdb; }
#status { color: #666; margin-top: 6px; font-size: 12px; }
</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<div id="wrap"><canvas id="plot"></canvas><div id="tip" hidden></div><div id="zoombox" hidden></div></div>
<div id="legend">
<div><div>log-probability</div><div class="bar"></div><div class="ends"><span>0</span><span>&le; ${escapeHtml(formatNumber(data.logpFloor))}</span></div></div>
<div><span class="swatch" style="background: rgb(${gr},${gg},${gb})"></span>no fit yet</div>
<div><span class="ring"></span>alert (${data.alerts})</div>
<div><span class="dash"></span>${escapeHtml(data.thresholdLabel)}${Number.isFinite(data.thresholdRmse) ? ` = ${escapeHtml(formatNumber(data.thresholdRmse))}` : ' (none)'}</div>
<div><span class="dash grace"></span>grace period ends</div>
</div>
<div id="status"></div>
<script id="kitsune-data" type="application/json">${json}</script>
<script>
${helperSources()}
${PAGE_SCRIPT}
</script>
</body>
</html>
`;
}
