import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runKitsune } from './helpers/cli.js';

// The detection step and the rmse..alert cells run on worker 0 once workers start (4,096 packets
// after the map: packet 4,598 of fixtures/sample.pcap with these graces). The calibration of 3,000
// executed scores completes on the worker, so logp and alerts appear there first.
const SAMPLE_ARGS = ['fixtures/sample.pcap', '--fm-grace', '500', '--ad-grace', '4000', '--calibration', '3000', '--no-summary'];
/** A model fixes the graces and the calibration: only the capture and the summary switch. */
const MODEL_RUN_ARGS = ['fixtures/sample.pcap', '--no-summary'];

async function scoreWith(threads: number, extra: readonly string[], args = SAMPLE_ARGS): Promise<string> {
  const run = await runKitsune(['score', ...args, '--threads', String(threads), ...extra]);
  expect(run.code).toBe(0);
  return run.stdout;
}

describe('detection step on a worker thread', () => {
  it('gives the same CSV, JSON Lines and alerts-only rows as this thread alone', async () => {
    for (const extra of [['--format', 'csv'], ['--format', 'jsonl'], ['--alerts-only']]) {
      const single = await scoreWith(0, extra);
      expect(await scoreWith(1, extra)).toBe(single);
    }
  });

  it('alerts in the rows once the fit exists (the cells the worker formats are not empty)', async () => {
    const rows = (await scoreWith(1, [])).trim().split('\n').slice(1).map((line) => line.split('\t'));
    // Training ends with packet fm-grace + ad-grace = 4,500 (KitNET: packets 501..4,500 train);
    // executed packets 4,501..7,500 fill the calibration (3,000 scores); from packet 7,501 logp is set.
    const fitted = rows.filter((cells) => cells[9] !== '');
    expect(fitted.length).toBeGreaterThan(0);
    expect(Number(fitted[0][0])).toBe(4500 + 3000 + 1);
    expect(fitted.every((cells) => cells[10] === '0' || cells[10] === '1')).toBe(true);
  });

  it('continues a saved model the same way on 0 and 1 worker threads (warmup and calibration carried over)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-detect-'));
    const model = path.join(dir, 'model.json');
    const first = await runKitsune(['score', ...SAMPLE_ARGS, '--limit', '6000', '--save-model', model, '--threads', '0']);
    expect(first.code).toBe(0);
    const saved: string[] = [];
    const outputs: string[] = [];
    for (const threads of [0, 1]) {
      const next = path.join(dir, `next-${threads}.json`);
      outputs.push(await scoreWith(threads, ['--model', model, '--warmup', '5000', '--save-model', next], MODEL_RUN_ARGS));
      saved.push(readFileSync(next, 'utf8'));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(saved[1]).toBe(saved[0]);
  });
});
