import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseScoreTable } from '../src/eval/score-table.js';
import { fitScoreTable } from '../src/eval/table-fit.js';
import { renderHtml } from '../src/plot/html.js';
import { renderSvg } from '../src/plot/svg.js';
import { buildPlotData } from '../src/plot/plot-data.js';
import { ROOT } from './helpers/shared.js';
import { syntheticScoreTable } from './helpers/plot-synthetic.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Skipped on a machine without chromium, but mandatory in CI (CI=true). */
const describeBrowser = HAVE_CHROMIUM || process.env.CI ? describe : describe.skip;
const LAUNCH_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const BROWSER_TIMEOUT_MS = 60_000;

describeBrowser('plot.html in chromium', () => {
  it('renders every point, shows a tooltip on hover, zooms and resets', async () => {
    expect(HAVE_CHROMIUM, `${CHROMIUM} is required in CI`).toBe(true);
    const synthetic = syntheticScoreTable();
    const table = parseScoreTable(synthetic.text, 'synthetic.tsv', { hosts: true });
    const data = buildPlotData(table, fitScoreTable(table), { kind: 'p', p: 1e-3 }, { x: 'time', title: 'synthetic scores' });
    const html = renderHtml(data);
    const outDir = path.join(ROOT, 'test-output');
    mkdirSync(outDir, { recursive: true });
    const page_ = path.join(outDir, 'plot.html');
    writeFileSync(page_, html);
    const svgFile = path.join(outDir, 'plot.svg');
    writeFileSync(svgFile, renderSvg(data));

    const profile = mkdtempSync(path.join(tmpdir(), 'kitsune-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: LAUNCH_ARGS,
      viewport: { width: 1200, height: 800 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`network: ${request.url()}`);
      });
      await page.goto(pathToFileURL(page_).href);
      await page.waitForSelector('body[data-drawn]');
      const body = await page.evaluate(() => ({ ...document.body.dataset }));
      expect(body.points).toBe(String(synthetic.rows));
      expect(body.alerts).toBe(String(synthetic.alerts));
      expect(Number(body.drawn)).toBeGreaterThan(100);

      // Hover over an isolated alert spike: the tooltip names its packet.
      const canvas = (await page.locator('#plot').boundingBox())!;
      const target = synthetic.alertRows[3];
      const at = await page.evaluate((i) => (window as unknown as { kitsunePlot: { screenOf(i: number): { x: number; y: number } } }).kitsunePlot.screenOf(i), target);
      await page.mouse.move(canvas.x + at.x, canvas.y + at.y);
      const tip = page.locator('#tip');
      await expect.poll(() => tip.isVisible()).toBe(true);
      const tipText = await tip.textContent();
      expect(tipText).toContain(`packet ${target}\n`);
      expect(tipText).toContain('ALERT');
      expect(tipText).toContain('10.0.0.66 \u2192 10.0.0.1');

      // A flat drag zooms x only; double-click restores the full view; the wheel zooms x.
      type View = { x0: number; x1: number; y0: number; y1: number };
      const viewOf = () => page.evaluate(() => (window as unknown as { kitsunePlot: { view(): View } }).kitsunePlot.view());
      const full = await viewOf();
      await page.mouse.move(canvas.x + 300, canvas.y + 150);
      await page.mouse.down();
      await page.mouse.move(canvas.x + 600, canvas.y + 151, { steps: 5 });
      await page.mouse.up();
      const zoomed = await viewOf();
      expect(zoomed.x0).toBeGreaterThan(full.x0);
      expect(zoomed.x1).toBeLessThan(full.x1);
      expect([zoomed.y0, zoomed.y1]).toEqual([full.y0, full.y1]);
      await page.mouse.dblclick(canvas.x + 500, canvas.y + 200);
      expect(await viewOf()).toEqual(full);
      await page.mouse.move(canvas.x + 500, canvas.y + 200);
      await page.mouse.wheel(0, -200);
      await expect.poll(async () => { const v = await viewOf(); return v.x1 - v.x0; }).toBeLessThan(full.x1 - full.x0);
      await page.mouse.dblclick(canvas.x + 500, canvas.y + 200);
      await page.mouse.move(canvas.x + at.x, canvas.y + at.y);
      await page.screenshot({ path: path.join(outDir, 'plot.png'), fullPage: true });
      expect(problems).toEqual([]);

      // The SVG parses as XML (no parsererror) and shows every alert ring plus the legend's.
      await page.goto(pathToFileURL(svgFile).href);
      const svg = await page.evaluate(() => ({
        errors: document.getElementsByTagName('parsererror').length,
        circles: document.getElementsByTagName('circle').length,
      }));
      expect(svg).toEqual({ errors: 0, circles: synthetic.alerts + 1 });
      await page.screenshot({ path: path.join(outDir, 'plot-svg.png') });
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, BROWSER_TIMEOUT_MS);
});
