import { describe, expect, it } from 'vitest';
import { LogNormalThreshold } from '../src/detect/threshold.js';
import { parseScoreTable } from '../src/eval/score-table.js';
import { fitScoreTable } from '../src/eval/table-fit.js';
import { decimate } from '../src/plot/decimate.js';
import { renderHtml } from '../src/plot/html.js';
import { buildPlotData } from '../src/plot/plot-data.js';
import { colourOf, formatTime, linearTicks, logTicks, timeTicks } from '../src/plot/scales.js';
import { renderSvg } from '../src/plot/svg.js';
import { syntheticScoreTable } from './helpers/plot-synthetic.js';

const synthetic = syntheticScoreTable();
const table = parseScoreTable(synthetic.text, 's.tsv', { hosts: true });
const data = buildPlotData(table, fitScoreTable(table), { kind: 'p', p: 1e-3 }, { x: 'time', title: 'synthetic <scores>' });

describe('buildPlotData', () => {
  it('takes the grace boundary, alerts and the threshold from the table and fit', () => {
    // First executed packet: index 500 at 1.5e9 + 500·0.01.
    expect(data.graceX).toBe(1_500_000_005);
    expect(data.alerts).toBe(synthetic.alerts);
    const fit = fitScoreTable(table);
    expect(data.thresholdRmse).toBe(fit.thresholdRmse({ kind: 'p', p: 1e-3 }));
    expect(data.xKey).toBe('time');
  });

  it('falls back to the index axis when the table has no times', () => {
    const bare = parseScoreTable('0.0\n0.5\n2.0\n');
    const plot = buildPlotData(bare, new LogNormalThreshold(0, 1, 2), { kind: 'rmse', rmse: 1 }, { x: 'time', title: 't' });
    expect(plot.xKey).toBe('index');
    expect([plot.graceX, plot.thresholdRmse]).toEqual([1, 1]);
  });
});

describe('decimate', () => {
  it('keeps per cell the point with the lowest log-probability, and alerts on their own grid', () => {
    const plot = {
      n: 4,
      x: Float64Array.from([0.1, 0.2, 0.9, 0.15]),
      rmse: Float64Array.from([1, 1, 1, 0]),
      logp: Float64Array.from([-1, -5, NaN, -9]),
      alert: Uint8Array.from([1, 0, 0, 1]),
    };
    // Two columns over x in [0, 1], one row over log10 rmse in [-1, 1]: rows 0, 1 share cell 0.
    const cells = decimate(plot, { x0: 0, x1: 1, y0: -1, y1: 1 }, 2, 1);
    expect(Array.from(cells.point)).toEqual([1, 2]);
    // Row 3 (rmse 0) is off a log axis; the alert in cell 0 is row 0.
    expect(Array.from(cells.alert)).toEqual([0, -1]);
  });
});

describe('scales', () => {
  it('makes round ticks', () => {
    expect(linearTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(logTicks(-3, 3)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    // Under 3 decades: 1, 2, 5 per decade.
    expect(logTicks(-1, 0).map((t) => Math.round(10 ** t * 1000) / 1000)).toEqual([0.1, 0.2, 0.5, 1]);
    // 60 s over ~6 ticks: 10 s steps.
    expect(timeTicks(0.5, 60.5, 6)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(formatTime(1_500_000_027, 10, 60)).toBe('02:40:27');
  });

  it('ends on axes beyond double precision or the Date range', () => {
    // From 1e17 to the double 64 above it in steps of 10: the tick numbers k = 1e16 ... are past
    // 2^53, where k + 1 === k (the loop that counted k up never ended): the axis gets one tick.
    expect(linearTicks(1e17, 1e17 + 64, 10)).toEqual([1e17]);
    // Steps of 20 and 15: k from 5e15 and 6.7e15 still counts: four and five ticks.
    expect(linearTicks(1e17, 1e17 + 64, 5)).toHaveLength(4);
    expect(timeTicks(1e17, 1e17 + 64, 5)).toHaveLength(5);
    // Times in microseconds (1e13 s is past the year 275,760): the label is the number.
    expect(formatTime(1e13, 1, 10)).toBe('10000000000000');
    // Past the year 9999 ISO dates grow a sign and more digits, which the labels would cut wrongly.
    expect(formatTime(3e11, 1, 10)).toBe('300000000000');
    expect(formatTime(1709543142.5, 0.5, 10)).toBe('09:05:42.500');
  });

  it('colours logp 0 green, the floor red, NaN grey', () => {
    expect(colourOf(0, -10)).toEqual([26, 152, 80]);
    expect(colourOf(-10, -10)).toEqual([215, 48, 39]);
    expect(colourOf(-1e6, -10)).toEqual([215, 48, 39]);
    expect(colourOf(NaN, -10)).toEqual([160, 160, 160]);
  });
});

describe('SVG and HTML output', () => {
  it('SVG has every alert ringed, the threshold, the grace line, escaped text; deterministic', () => {
    const svg = renderSvg(data);
    expect(renderSvg(data)).toBe(svg);
    // The synthetic alerts are 4 s apart, each in a cell of its own; one more ring in the legend.
    expect(svg.match(/<circle /g)!.length).toBe(synthetic.alerts + 1);
    expect(svg).toContain('threshold (P = 0.001) = ');
    expect(svg).toContain('grace period ends');
    expect(svg).toContain('synthetic &lt;scores&gt;');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('HTML is self-contained and deterministic', () => {
    const html = renderHtml(data);
    expect(renderHtml(data)).toBe(html);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toContain('<scores>');
  });
});
