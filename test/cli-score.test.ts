import { spawnSync } from 'node:child_process';
import { closeSync, lstatSync, mkdtempSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KITSUNE, runKitsune } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';
import { splitPcap } from './helpers/pcap-split.js';

const TINY = 'fixtures/tiny.pcap';
const SAMPLE = 'fixtures/sample.pcap';
// fixtures/tiny.labels.json: 275 packets, grace 20 + 80, so packets 0..100 are grace (fm 0..20, train 21..100).
const TINY_GRACE = ['--fm-grace', '20', '--ad-grace', '80'];
const TINY_PACKETS = 275;
// fixtures/sample.labels.json: 10,949 packets, grace 500 + 4000, benign calibration 4501..7501, attack from 7502.
const SAMPLE_ARGS = ['--fm-grace', '500', '--ad-grace', '4000', '--calibration', '3000'];
const SGR = /\x1b\[[0-9;]*m/;

function rows(tsv: string): string[][] {
  return tsv.replace(/\n$/, '').split('\n').slice(1).map((line) => line.split('\t'));
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'kitsune-cli-'));
}

describe('kitsune score', () => {
  it('scores every packet with the documented columns and phases, grace scores exactly 0', async () => {
    const run = await runKitsune(['score', TINY, ...TINY_GRACE, '--threshold', '1e9', '--no-summary']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [header] = run.stdout.split('\n');
    expect(header.split('\t')).toEqual(['index', 'time', 'src', 'dst', 'sport', 'dport', 'proto', 'rmse', 'phase', 'logp', 'alert']);
    const table = rows(run.stdout);
    expect(table).toHaveLength(TINY_PACKETS);
    table.forEach((row, i) => {
      expect(row[0]).toBe(String(i));
      expect(row[8]).toBe(i <= 20 ? 'map' : i <= 100 ? 'train' : 'exec');
      if (i <= 100) expect(row[7]).toBe('0.0');
      else expect(Number(row[7])).toBeGreaterThan(0);
    });
  });

  it('gives byte-identical output on every run (deterministic)', async () => {
    const args = ['score', SAMPLE, ...SAMPLE_ARGS, '--explain', '--no-summary'];
    const first = await runKitsune(args);
    const second = await runKitsune(args);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('reads a capture from standard input, with - or with no argument', async () => {
    const fromFile = await runKitsune(['score', TINY, ...TINY_GRACE, '--no-summary']);
    const bytes = readFileSync(TINY);
    const dash = await runKitsune(['score', '-', ...TINY_GRACE, '--no-summary'], { input: bytes });
    const implicit = await runKitsune(['score', ...TINY_GRACE, '--no-summary'], { input: bytes });
    expect(dash.stdout).toBe(fromFile.stdout);
    expect(implicit.stdout).toBe(fromFile.stdout);
  });

  it('writes csv and jsonl with the same values', async () => {
    const tsv = rows((await runKitsune(['score', TINY, ...TINY_GRACE, '--no-summary'])).stdout);
    const csv = (await runKitsune(['score', TINY, ...TINY_GRACE, '--no-summary', '--format', 'csv'])).stdout;
    const jsonl = (await runKitsune(['score', TINY, ...TINY_GRACE, '--no-summary', '--format', 'jsonl'])).stdout;
    const csvRows = csv.replace(/\n$/, '').split('\n').slice(1).map((line) => line.split(','));
    const jsonRows = jsonl.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(csvRows).toEqual(tsv);
    expect(jsonRows).toHaveLength(TINY_PACKETS);
    jsonRows.forEach((row, i) => {
      expect(row.index).toBe(i);
      expect(row.rmse).toBe(Number(tsv[i][7]));
      expect(row.phase).toBe(tsv[i][8]);
    });
  });

  it('alerts on the fixture attacks only, and --fail-on-alert exits 1', async () => {
    const run = await runKitsune(['score', SAMPLE, ...SAMPLE_ARGS, '--fail-on-alert', '--alerts-only', '--no-summary']);
    expect(run.code).toBe(1);
    const alerts = rows(run.stdout);
    expect(alerts.length).toBeGreaterThan(100);
    // The attack starts at packet 7,502 (fixtures/sample.labels.json): no benign packet before it alerts.
    for (const row of alerts) expect(Number(row[0])).toBeGreaterThanOrEqual(7502);
    for (const row of alerts) expect(row[10]).toBe('1');
  });

  it('exits 0 with --fail-on-alert when nothing alerts', async () => {
    const run = await runKitsune(['score', SAMPLE, ...SAMPLE_ARGS, '--threshold', '1e9', '--fail-on-alert', '--no-summary']);
    expect(run.code).toBe(0);
  });

  it('says when no alert could be decided, and --fail-on-alert then fails instead of passing', async () => {
    // Without --calibration the stretch is 100000 - 500 - 4000 - 1 = 95,499 executed packets; the
    // sample has 10,949 - 4,501 = 6,448, so the threshold never exists.
    const grace = ['--fm-grace', '500', '--ad-grace', '4000'];
    const warned = await runKitsune(['score', SAMPLE, ...grace, '--no-summary']);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toBe(
      "kitsune: warning: no alert was decided: the threshold's calibration had 6,448 of its 95,499 executed packets " +
        'when the run ended (lower --calibration, or give --threshold RMSE)\n',
    );
    const failed = await runKitsune(['score', SAMPLE, ...grace, '--fail-on-alert']);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^kitsune: --fail-on-alert: no alert was decided: .*\n$/);
    expect(rows(failed.stdout)).toHaveLength(10949);
    // The default grace periods (5,000 + 50,000) are longer than tiny.pcap's 275 packets.
    const unscored = await runKitsune(['score', TINY, '--no-summary']);
    expect(unscored.stderr).toBe(
      'kitsune: warning: no packet was scored: the run ended after 275 packets, in the map phase ' +
        '(training needs fm-grace + ad-grace + 1 = 55,001; lower --fm-grace/--ad-grace)\n',
    );
    // An absolute threshold needs no calibration.
    const absolute = await runKitsune(['score', SAMPLE, ...grace, '--threshold', '1e9', '--fail-on-alert', '--no-summary']);
    expect([absolute.code, absolute.stderr]).toEqual([0, '']);
  });

  it('refuses a calibration of one score', async () => {
    const one = await runKitsune(['score', TINY, ...TINY_GRACE, '--calibration', '1']);
    expect([one.code, one.stderr]).toEqual([2, "kitsune: --calibration must be an integer >= 2, not '1'\n"]);
  });

  it('exits 2 (not 1) when the input is bad, after printing every packet before the fault', async () => {
    const bytes = readFileSync(SAMPLE);
    const cut = path.join(tempDir(), 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 5));
    const run = await runKitsune(['score', cut, ...SAMPLE_ARGS, '--fail-on-alert', '--no-summary']);
    expect(run.code).toBe(2);
    const message = run.stderr.trimEnd();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^kitsune: .*cut\.pcap: offset \d+, packet 10948: /);
    expect(rows(run.stdout)).toHaveLength(10948);
  });

  it('prints a one-line summary on stderr with packets, phases, alerts and speed', async () => {
    const run = await runKitsune(['score', TINY, ...TINY_GRACE]);
    expect(run.stderr).toMatch(/^kitsune: 275 packets \(map 21, train 80, exec 174\), \d+ alerts?, [\d.]+ s, [\d,]+ packets\/s\n/);
  });

  it('colours only a terminal, and never with NO_COLOR or --no-color', async () => {
    const command = `node bin/kitsune score ${SAMPLE} ${SAMPLE_ARGS.join(' ')} --alerts-only --limit 8000`;
    const underPty = (env: NodeJS.ProcessEnv, extra = '') =>
      import('node:child_process').then(({ execFileSync }) =>
        execFileSync('script', ['-qec', `${command} ${extra}`, '/dev/null'], { env: { ...process.env, ...env } }).toString(),
      );
    expect(await underPty({ NO_COLOR: '' })).toMatch(SGR);
    expect(await underPty({ NO_COLOR: '1' })).not.toMatch(SGR);
    expect(await underPty({ NO_COLOR: '' }, '--no-color')).not.toMatch(SGR);
  });

  it('shows a progress bar with packets/s and ETA on a terminal, never in pipes or CI', async () => {
    const { execFileSync } = await import('node:child_process');
    const command = `node bin/kitsune score ${SAMPLE} ${SAMPLE_ARGS.join(' ')} -o /dev/null --no-summary`;
    const underPty = (env: NodeJS.ProcessEnv) =>
      execFileSync('script', ['-qec', command, '/dev/null'], { env: { ...process.env, CI: '', ...env } }).toString();
    expect(underPty({})).toMatch(/\[#*-*\] +\d+% +[\d,]+ packets +[\d,]+ packets\/s +ETA \d+s/);
    expect(underPty({ CI: 'true' })).not.toMatch(/ETA/);
    // Not beside rows printed on the same terminal.
    const rowsOnTerminal = execFileSync('script', ['-qec', command.replace(' -o /dev/null', ''), '/dev/null'], { env: { ...process.env, CI: '' } });
    expect(rowsOnTerminal.toString()).not.toMatch(/ETA/);
    const piped = await runKitsune(['score', SAMPLE, ...SAMPLE_ARGS, '-o', '/dev/null', '--no-summary']);
    expect(piped.stderr).toBe('');
  });

  it('with --model: refuses training options it would ignore, and warns of traffic older than its statistics', async () => {
    const model = path.join(tempDir(), 'model.json');
    expect((await runKitsune(['train', TINY, ...TINY_GRACE, '--calibration', '100', '-o', model])).code).toBe(0);
    const override = await runKitsune(['score', TINY, '--model', model, '--ad-grace', '80']);
    expect([override.code, override.stdout]).toEqual([2, '']);
    expect(override.stderr).toBe('kitsune: --ad-grace cannot change a saved model (--model keeps its training parameters); drop it, or train a new model\n');
    const calibration = await runKitsune(['score', TINY, '--model', model, '--calibration', '50']);
    expect([calibration.code, calibration.stdout]).toEqual([2, '']);
    // The model's statistics end at packet 200 of tiny.pcap (fm 20 + ad 80 + 1 + calibration 100 - 1);
    // scoring tiny.pcap again from its first packet goes back in time.
    const again = await runKitsune(['score', TINY, '--model', model, '--no-summary']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^kitsune: warning: the input starts at [\d.]+, before the model's statistics end \([\d.]+\): /);
    expect(again.stderr.split('\n')).toHaveLength(2);
  });

  it('refuses a truncated or corrupt model, and a model from a later version, with one clear line', async () => {
    const dir = tempDir();
    const model = path.join(dir, 'model.json');
    const train = await runKitsune(['train', TINY, ...TINY_GRACE, '-o', model]);
    expect(train.code).toBe(0);
    const text = readFileSync(model, 'utf8');
    writeFileSync(path.join(dir, 'truncated.json'), text.slice(0, text.length / 2));
    const truncated = await runKitsune(['score', TINY, '--model', path.join(dir, 'truncated.json')]);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/^kitsune: model .*truncated\.json is corrupt or truncated/);
    expect(truncated.stderr.trimEnd().split('\n')).toHaveLength(1);
    const later = JSON.parse(text) as { version: number };
    later.version = 99;
    writeFileSync(path.join(dir, 'later.json'), JSON.stringify(later));
    const tooNew = await runKitsune(['score', TINY, '--model', path.join(dir, 'later.json')]);
    expect(tooNew.code).toBe(2);
    expect(tooNew.stderr).toMatch(/format version 99 .*this kitsune \d+\.\d+\.\d+ reads model format versions up to 1/);
    const broken = JSON.parse(text) as { kitnet: { ensemble: unknown } };
    broken.kitnet.ensemble = 'nonsense';
    writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
    const corrupt = await runKitsune(['score', TINY, '--model', path.join(dir, 'broken.json')]);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr).toMatch(/^kitsune: model .*broken\.json is corrupt: /);
  });

  it('continues a rotated capture from a saved model exactly as an uninterrupted run', async () => {
    const dir = tempDir();
    const [first, second] = splitPcap(SAMPLE, 6000).map((bytes, i) => {
      const file = path.join(dir, `part${i}.pcap`);
      writeFileSync(file, bytes);
      return file;
    });
    const whole = rows((await runKitsune(['score', first, second, ...SAMPLE_ARGS, '--no-summary'])).stdout);
    const model = path.join(dir, 'model.json');
    await runKitsune(['score', first, ...SAMPLE_ARGS, '--no-summary', '--save-model', model]);
    const resumed = rows((await runKitsune(['score', second, '--model', model, '--no-summary'])).stdout);
    expect(resumed).toHaveLength(whole.length - 6000);
    // Everything but the packet index (each run numbers from 0) is identical.
    resumed.forEach((row, i) => expect(row.slice(1)).toEqual(whole[6000 + i].slice(1)));
  });
});

/** Status 2 and one line on stderr matching `pattern`, not an internal error. */
function expectOneLine(run: { code: number | null; stderr: string }, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toContain('internal error');
}

describe('a feature map that cannot serve the run: one line naming it, status 2', () => {
  it('empty, an empty cluster, an index out of range or repeated, or one made for other windows', async () => {
    const dir = tempDir();
    const maps: [unknown, RegExp][] = [
      [[], /non-empty array of clusters/],
      [[[0, 1], []], /cluster 1 must be a non-empty array/],
      [[[0, 100]], /cluster 0 has 100, not a feature index in \[0, 100\)/],
      [[[-1]], /cluster 0 has -1/],
      [[Array(200_000).fill(0)], /cluster 0 lists feature 0 twice/],
    ];
    for (const [map, reason] of maps) {
      const file = path.join(dir, 'map.json');
      writeFileSync(file, JSON.stringify(map));
      expectOneLine(await runKitsune(['score', TINY, ...TINY_GRACE, '--feature-map', file]), reason);
    }
    // A map of all 100 features, on a run with two windows (40 features).
    const file = path.join(dir, 'full.json');
    writeFileSync(file, JSON.stringify([Array.from({ length: 100 }, (_, i) => i)]));
    const run = await runKitsune(['score', TINY, ...TINY_GRACE, '--lambdas', '1,0.1', '--feature-map', file]);
    expect([run.code, run.stderr]).toEqual([2, expect.stringMatching(/^kitsune: .*full\.json cannot serve 40 features: .* has 40, not a feature index in \[0, 40\)\n$/)]);
  });
});

describe('outputs that cannot be written: one line naming the file, status 2', () => {
  it('an output file or model in a missing directory fails before any packet is read', async () => {
    const missing = path.join(tempDir(), 'missing');
    expectOneLine(await runKitsune(['extract', TINY, '-o', path.join(missing, 'x.tsv')]), /^kitsune: cannot write .*missing\/x\.tsv: ENOENT/);
    const score = await runKitsune(['score', TINY, ...TINY_GRACE, '--save-model', path.join(missing, 'm.json')]);
    expectOneLine(score, /^kitsune: cannot write model .*missing\/m\.json: ENOENT/);
    expect(score.stdout).toBe('');
    expectOneLine(await runKitsune(['train', TINY, ...TINY_GRACE, '-o', path.join(missing, 'm.json')]), /^kitsune: cannot write model /);
    const scores = path.join(tempDir(), 'scores.tsv');
    expect((await runKitsune(['score', TINY, ...TINY_GRACE, '--no-summary', '-o', scores])).code).toBe(0);
    expectOneLine(await runKitsune(['plot', scores, '-o', path.join(missing, 'p.html')]), /^kitsune: cannot write .*p\.html: ENOENT/);
  });

  it.runIf(process.platform === 'linux')('a full disk (/dev/full as standard output)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const features = path.join(tempDir(), 'f.tsv');
      expect(spawnSync(process.execPath, [KITSUNE, 'extract', TINY, '-o', features]).status).toBe(0);
      // A long run fails while writing; a short one (a few rows, one write at the end) as it ends.
      const scores = path.join(tempDir(), 's.tsv');
      expect(spawnSync(process.execPath, [KITSUNE, 'score', TINY, ...TINY_GRACE, '--no-summary', '-o', scores]).status).toBe(0);
      const runs = [
        ['score', SAMPLE, ...SAMPLE_ARGS],
        ['score', '--features', features, ...TINY_GRACE],
        ['plot', scores],
        ['eval', scores, '--attack-from', '200'],
      ];
      for (const args of runs) {
        const run = spawnSync(process.execPath, [KITSUNE, ...args], { cwd: ROOT, stdio: ['ignore', full, 'pipe'], encoding: 'utf8' });
        expectOneLine({ code: run.status, stderr: run.stderr }, /^kitsune: cannot write standard output: ENOSPC/);
      }
    } finally {
      closeSync(full);
    }
  });
});

describe('outputs and inputs that would clash', () => {
  it('refuses an output that is one of the inputs, before touching it', async () => {
    const dir = tempDir();
    const capture = path.join(dir, 'c.pcap');
    const bytes = readFileSync(TINY);
    writeFileSync(capture, bytes);
    const alias = path.join(dir, 'alias.pcap');
    symlinkSync(capture, alias);
    expectOneLine(await runKitsune(['score', capture, ...TINY_GRACE, '-o', capture]), /^kitsune: .*c\.pcap is also an input: writing it would destroy it/);
    expectOneLine(await runKitsune(['extract', capture, '-o', alias]), /^kitsune: .*alias\.pcap is also an input \(.*c\.pcap\)/);
    expectOneLine(await runKitsune(['train', capture, ...TINY_GRACE, '-o', capture]), /is also an input/);
    expectOneLine(await runKitsune(['score', capture, ...TINY_GRACE, '--save-model', capture]), /is also an input/);
    expect(readFileSync(capture).equals(bytes)).toBe(true);
  });

  it('also refuses an output onto the model, the feature map or the file standard input comes from', async () => {
    const dir = tempDir();
    const model = path.join(dir, 'm.json');
    expect((await runKitsune(['train', TINY, ...TINY_GRACE, '--calibration', '100', '-o', model])).code).toBe(0);
    const modelBytes = readFileSync(model);
    expectOneLine(await runKitsune(['score', TINY, '--model', model, '-o', model]), /m\.json is also an input/);
    const map = path.join(dir, 'map.json');
    writeFileSync(map, JSON.stringify([Array.from({ length: 100 }, (_, i) => i)]));
    expectOneLine(await runKitsune(['score', TINY, ...TINY_GRACE, '--feature-map', map, '--save-model', map]), /map\.json is also an input/);
    expect(readFileSync(model).equals(modelBytes)).toBe(true);
    const capture = path.join(dir, 'c.pcap');
    writeFileSync(capture, readFileSync(TINY));
    const fromStdin = spawnSync(process.execPath, [KITSUNE, 'score', '-', '-o', capture], { cwd: ROOT, stdio: [openSync(capture, 'r'), 'pipe', 'pipe'], encoding: 'utf8' });
    expectOneLine({ code: fromStdin.status, stderr: fromStdin.stderr }, /c\.pcap is also an input \(standard input\)/);
    expect(readFileSync(capture).equals(readFileSync(TINY))).toBe(true);
    const both = path.join(dir, 'both.json');
    expectOneLine(await runKitsune(['score', TINY, '--save-model', both, '-o', both]), /--save-model and -o both name/);
  });

  it('checks every named input before reading the first', async () => {
    const run = await runKitsune(['decode', TINY, 'no-such.pcap']);
    expectOneLine(run, /^kitsune: no-such\.pcap: offset 0, packet 0: cannot read input: ENOENT/);
    expect(run.stdout).toBe('');
  });

  it('writes a model through a symbolic link and to standard output with -o -', async () => {
    const dir = tempDir();
    const real = path.join(dir, 'real.json');
    const link = path.join(dir, 'link.json');
    symlinkSync(real, link);
    const train = ['train', TINY, ...TINY_GRACE, '--calibration', '100'];
    expect((await runKitsune([...train, '-o', link])).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const saved = readFileSync(real, 'utf8');
    const piped = await runKitsune([...train, '-o', '-']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(saved);
    expect(piped.stderr).toMatch(/model written to standard output\n$/);
    // A reader that stops early got no model: that is an error, not a success.
    const pipeline = `"${process.execPath}" "${KITSUNE}" ${[...train, '-o', '-'].join(' ')} | head -c 100 > /dev/null; exit \${PIPESTATUS[0]}`;
    const cut = spawnSync('bash', ['-c', pipeline], { cwd: ROOT, encoding: 'utf8' });
    expect([cut.status, cut.stderr]).toEqual([2, 'kitsune: cannot write standard output: write EPIPE\n']);
  });

  it('plot refuses an output extension it does not write', async () => {
    expectOneLine(await runKitsune(['plot', '-', '-o', path.join(tempDir(), 'p.png')]), /^kitsune: plot writes HTML or SVG, not '\.png'/);
  });
});
