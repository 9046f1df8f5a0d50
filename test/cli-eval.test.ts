import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKitsune } from './helpers/cli.js';

// fixtures/sample.labels.json: the port scan starts at packet 7,502; everything from there on is
// attack or its aftermath (`--attack-from` labels it so).
const LABELS = JSON.parse(readFileSync('fixtures/sample.labels.json', 'utf8')) as { attackStartIndex: number };
const SAMPLE_ARGS = ['--fm-grace', '500', '--ad-grace', '4000', '--calibration', '3000', '--no-summary'];

/**
 * AUC by its definition, independently of src/eval: the probability that a random attack packet
 * scores above a random benign one, ties counting one half (Mann-Whitney U / (n_pos * n_neg)),
 * by counting every pair.
 */
function pairwiseAuc(scores: readonly number[], attack: readonly boolean[]): number {
  const positives = scores.filter((_, i) => attack[i]);
  const negatives = scores.filter((_, i) => !attack[i]);
  let wins = 0;
  for (const p of positives) for (const n of negatives) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (positives.length * negatives.length);
}

describe('kitsune eval on the sample fixture', () => {
  it('reports the AUC of the executed packets, equal to a pair count done here', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-eval-'));
    const scores = path.join(dir, 'scores.tsv');
    const scored = await runKitsune(['score', 'fixtures/sample.pcap', ...SAMPLE_ARGS, '-o', scores]);
    expect(scored.code).toBe(0);
    const rows = readFileSync(scores, 'utf8').replace(/\n$/, '').split('\n').slice(1).map((line) => line.split('\t'));
    const executed = rows.filter((row) => row[8] === 'exec');
    const expected = pairwiseAuc(
      executed.map((row) => Number(row[7])),
      executed.map((row) => Number(row[0]) >= LABELS.attackStartIndex),
    );
    const run = await runKitsune(['eval', scores, '--attack-from', String(LABELS.attackStartIndex), '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Record<string, number>;
    expect(report.auc).toBeCloseTo(expected, 12);
    expect(report.auc).toBeGreaterThan(0.8);
    expect(report.executed).toBe(executed.length);
    for (const key of ['eer', 'tpr_at_fpr_0_001', 'tpr_at_fpr_0_01', 'precision', 'recall', 'threshold_rmse']) {
      expect(report).toHaveProperty(key);
    }
  });
});

describe('messages that quote input', () => {
  it('show its control bytes as \\xNN: one line, no terminal escapes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-eval-'));
    const file = path.join(dir, 'bad.tsv');
    writeFileSync(file, 'index\trm\x1b[31mse\r\x00\n1\t2\n');
    const run = await runKitsune(['eval', file, '--attack-from', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/header has no rmse column: 'index\\x09rm\\x1b\[31mse\\x0d\\x00'\n$/);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
