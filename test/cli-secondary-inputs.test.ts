import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runKitsune, type RunResult } from './helpers/cli.js';

// Damaged models, feature maps and tables (found by fuzzing): each must be one line, status 2, at
// a cost that follows the file's size, not the sizes it claims.
const TINY = 'fixtures/tiny.pcap';
const TINY_GRACE = ['--fm-grace', '20', '--ad-grace', '80'];
const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-secondary-'));
const file = (name: string) => path.join(dir, name);

function expectRefused(run: RunResult, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('models whose sizes or params lie', () => {
  let model: Record<string, any>;
  beforeAll(async () => {
    expect((await runKitsune(['train', TINY, ...TINY_GRACE, '--calibration', '100', '--no-state', '-o', file('m.json')])).code).toBe(0);
    model = JSON.parse(readFileSync(file('m.json'), 'utf8'));
  });

  it('refuses an autoencoder size the weights do not have, before allocating it (20000 x 20000 was 3.2 GB)', async () => {
    const lying = structuredClone(model);
    lying.kitnet.outputLayer.nVisible = 20000;
    lying.kitnet.outputLayer.nHidden = 20000;
    writeFileSync(file('sizes.json'), JSON.stringify(lying));
    expectRefused(await runKitsune(['score', TINY, '--model', file('sizes.json')]), /is corrupt: .*outputLayer\.weights has \d+ values, expected 400000000/);
  });

  it('refuses params that are not numbers (they would be copied into the next model)', async () => {
    const bad = structuredClone(model);
    bad.params.maxAE = [[1]];
    writeFileSync(file('params.json'), JSON.stringify(bad));
    expectRefused(await runKitsune(['score', TINY, '--model', file('params.json')]), /is corrupt: "params\.maxAE" must be a non-negative integer/);
  });
});

describe('feature maps and feature tables', () => {
  it('refuses a map with more clusters than features (its output layer grows with their square)', async () => {
    writeFileSync(file('many.json'), JSON.stringify(Array.from({ length: 101 }, (_, i) => [i % 100])));
    expectRefused(await runKitsune(['score', TINY, ...TINY_GRACE, '--feature-map', file('many.json')]), /has 101 clusters, more than the 100 features/);
  });

  it('refuses a table wider than KitNET takes, naming the table', async () => {
    writeFileSync(file('wide.tsv'), `${Array(5000).fill('1').join('\t')}\n`);
    expectRefused(await runKitsune(['score', '--features', file('wide.tsv')]), /wide\.tsv: offset 0, packet 0: KitNET: 5000 features, more than the 4096/);
  });

  it('blames a bad feature map on the map, not on the table that first needed it', async () => {
    writeFileSync(file('f.tsv'), '1\t2\n3\t4\n');
    writeFileSync(file('outside.json'), '[[0], [7]]');
    expectRefused(await runKitsune(['score', '--features', file('f.tsv'), '--feature-map', file('outside.json')]), /^kitsune: \S*outside\.json cannot serve 2 features/);
  });

  it('reads --model before a table that turns out empty, and refuses a directory or JSON Lines as a table', async () => {
    writeFileSync(file('empty.tsv'), 'index\ttime\tf0\n');
    expectRefused(await runKitsune(['score', '--features', file('empty.tsv'), '--model', file('none.json')]), /cannot read model .*none\.json: ENOENT/);
    mkdirSync(file('adir'));
    expectRefused(await runKitsune(['score', '--features', file('adir')]), /adir: offset 0, packet 0: EISDIR/);
    writeFileSync(file('f.jsonl'), '{"index":0,"f0":1}\n');
    expectRefused(await runKitsune(['score', '--features', file('f.jsonl')]), /JSON Lines are not read as a feature table/);
  });

  it('names the table in train and eval errors that used to name none', async () => {
    writeFileSync(file('short.tsv'), '1\t2\n');
    expectRefused(await runKitsune(['train', '--features', file('short.tsv'), '-o', file('t.json')]), /short\.tsv: the input ended after 1 packets/);
    writeFileSync(file('scores.tsv'), 'index\trmse\n0\t0.5\n');
    expectRefused(await runKitsune(['eval', file('scores.tsv'), '--attack-hosts', '10.0.0.1']), /scores\.tsv has no src and dst columns/);
  });

  it('reports a damaged gzip score table where it broke, after the rows read', async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `${i}\t${(i % 97) / 10}`).join('\n');
    const whole = gzipSync(`index\trmse\n${rows}\n`);
    writeFileSync(file('cut.tsv.gz'), whole.subarray(0, whole.length - 40));
    const run = await runKitsune(['eval', file('cut.tsv.gz'), '--attack-from', '5']);
    expectRefused(run, /cut\.tsv\.gz: offset [1-9]\d+, packet [1-9]\d+: unexpected end of file/);
  });
});
