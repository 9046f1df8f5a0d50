import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { ALERT_GROUPS_KEPT, ALERT_GROUPS_SHOWN, AlertSummary } from '../src/output/alert-summary.js';

const plain = new Chalk({ level: 0 });

describe('AlertSummary', () => {
  it('groups alerts by pair: count, first and last time, top score, largest first', () => {
    const summary = new AlertSummary();
    summary.add('10.0.0.9', '10.0.0.1', 100, 0, 0.5);
    summary.add('10.0.0.7', '10.0.0.1', 101, 1, 2);
    summary.add('10.0.0.9', '10.0.0.1', 102, 2, 0.75);
    const lines = summary.report(plain).trimEnd().split('\n');
    // 10.0.0.9 alerted twice (first 100, last 102, top 0.75), 10.0.0.7 once.
    expect(lines.slice(1)).toEqual(['  10.0.0.9 -> 10.0.0.1\t2\t100.0\t102.0\t0.75', '  10.0.0.7 -> 10.0.0.1\t1\t101.0\t101.0\t2.0']);
  });

  it('gives row indexes for feature-table rows, which have no time', () => {
    const summary = new AlertSummary();
    summary.add('', '', Number.NaN, 960, 3);
    summary.add('', '', Number.NaN, 10871, 5);
    expect(summary.report(plain)).toBe('alerts by source and destination (count, first row, last row, top score):\n  - -> -\t2\t960\t10871\t5.0\n');
  });

  it('names how many pairs are not shown', () => {
    const summary = new AlertSummary();
    for (let i = 0; i < ALERT_GROUPS_SHOWN + 3; i++) summary.add(`11.0.0.${i}`, '10.0.0.1', i, i, 1);
    expect(summary.report(plain)).toContain('... and 3 more pairs');
  });

  it('stays bounded under a flood of distinct pairs and keeps the largest groups', () => {
    const summary = new AlertSummary();
    for (let i = 0; i < 5; i++) summary.add('10.6.6.6', '10.0.0.1', i, i, 1);
    const flood = 5 * ALERT_GROUPS_KEPT;
    for (let i = 0; i < flood; i++) summary.add(`spoof${i}`, '10.0.0.1', 5 + i, 5 + i, 1);
    // Pruned down to ALERT_GROUPS_KEPT whenever twice that many are held.
    expect(summary.pairs).toBeLessThanOrEqual(2 * ALERT_GROUPS_KEPT);
    const report = summary.report(plain);
    expect(report.split('\n')[1]).toBe('  10.6.6.6 -> 10.0.0.1\t5\t0.0\t4.0\t1.0');
    expect(report).toContain('alerts of smaller groups not kept');
  });
});
