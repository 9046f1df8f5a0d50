import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { KITSUNE, runKitsune } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';

// fixtures/sample.pcap: grace 500 + 4000; workers take over 4,096 packets after the map is built
// (packet 4,598: the last 3 training packets and every executed one), in batches of 512.
const SAMPLE_ARGS = ['fixtures/sample.pcap', '--fm-grace', '500', '--ad-grace', '4000', '--calibration', '3000', '--no-summary'];

describe('KitNET on worker threads', () => {
  it('gives byte-identical rows and models with 0, 1, 2 and 3 worker threads', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-threads-'));
    const outputs: string[] = [];
    const models: string[] = [];
    for (const threads of [0, 1, 2, 3]) {
      const model = path.join(dir, `model-${threads}.json`);
      const run = await runKitsune(['score', ...SAMPLE_ARGS, '--threads', String(threads), '--save-model', model]);
      expect(run.code).toBe(0);
      outputs.push(run.stdout);
      models.push(readFileSync(model, 'utf8'));
    }
    for (let i = 1; i < outputs.length; i++) {
      expect(outputs[i]).toBe(outputs[0]);
      expect(models[i]).toBe(models[0]);
    }
  });

  it('explains alerts with worker threads exactly as without them (--explain)', async () => {
    const single = await runKitsune(['score', ...SAMPLE_ARGS, '--explain', '--alerts-only', '--threads', '0']);
    const parallel = await runKitsune(['score', ...SAMPLE_ARGS, '--explain', '--alerts-only', '--threads', '2']);
    expect(parallel.code).toBe(0);
    expect(parallel.stdout).toBe(single.stdout);
    // The workers' rows are explained: alerts after packet 4,598 name an autoencoder and 3 features.
    const explained = parallel.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split('\t'))
      .filter((cells) => Number(cells[0]) > 4598 && /^\d+$/.test(cells[11]) && cells[12].split(';').length === 3);
    expect(explained.length).toBeGreaterThan(100);
  });

  it('scores --features input on worker threads with the same rows and model as on one thread', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-threads-'));
    const extract = await runKitsune(['extract', 'fixtures/sample.pcap']);
    expect(extract.code).toBe(0);
    const features = path.join(dir, 'features.tsv');
    writeFileSync(features, extract.stdout);
    const runs = [];
    for (const threads of [0, 2]) {
      const model = path.join(dir, `model-${threads}.json`);
      const args = ['score', '--features', features, ...SAMPLE_ARGS.slice(1), '--explain', '--threads', String(threads), '--save-model', model];
      const run = await runKitsune(args);
      expect(run.code).toBe(0);
      runs.push({ stdout: run.stdout, model: readFileSync(model, 'utf8') });
    }
    expect(runs[1].stdout).toBe(runs[0].stdout);
    expect(runs[1].model).toBe(runs[0].model);
    expect(runs[0].stdout.trim().split('\n')).toHaveLength(1 + 10949);
    // extract writes every feature exactly: scores and explanations, named by the table's header,
    // are those of the capture itself.
    const fromCapture = await runKitsune(['score', ...SAMPLE_ARGS, '--explain', '--threads', '2']);
    const scoreCells = (stdout: string) => stdout.trim().split('\n').map((line) => line.split('\t').slice(7).join('\t'));
    expect(scoreCells(runs[0].stdout)).toEqual(scoreCells(fromCapture.stdout));
    expect(runs[0].stdout).toContain('HH_jit_5_weight=');
  });

  it('starts its workers when node was given options workers refuse (V8 flags)', async () => {
    const single = await runKitsune(['score', ...SAMPLE_ARGS, '--threads', '0']);
    // --max-old-space-size is a V8 flag: new Worker({ execArgv }) throws ERR_WORKER_INVALID_EXEC_ARGV on it.
    const run = spawnSync(process.execPath, ['--max-old-space-size=512', KITSUNE, 'score', ...SAMPLE_ARGS, '--threads', '1'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(single.stdout);
  });

  it('scores every packet before a fault with workers running, then exits 2', async () => {
    const bytes = readFileSync('fixtures/sample.pcap');
    const cut = path.join(mkdtempSync(path.join(tmpdir(), 'kitsune-threads-')), 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 5));
    const run = await runKitsune(['score', cut, ...SAMPLE_ARGS.slice(1), '--threads', '2']);
    expect(run.code).toBe(2);
    expect(run.stdout.replace(/\n$/, '').split('\n')).toHaveLength(1 + 10948);
  });
});
