import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TSHARK_FIELD_NAMES } from '../src/decode/fields.js';
import { KITSUNE, runKitsune } from './helpers/cli.js';
import { ROOT } from './helpers/shared.js';

const HAVE_TSHARK = spawnSync('tshark', ['--version']).status === 0;
/** tshark is installed by .ci/run: the pipeline tests are mandatory in CI. */
const describeTshark = HAVE_TSHARK || process.env.CI ? describe : describe.skip;

/** A prefix of fixtures/tiny.pcap holding its 24-byte header and a dozen or so records. */
const FIRST_BYTES = 2000;
const SAMPLE_ARGS = ['--fm-grace', '500', '--ad-grace', '4000', '--calibration', '3000', '--no-summary'];
/** Kitsune-py's own tshark command line (FeatureExtractor.py), as the README documents it. */
const TSHARK_ARGS = ['-T', 'fields', '-E', 'header=y', '-E', 'occurrence=f', ...TSHARK_FIELD_NAMES.flatMap((f) => ['-e', f])];

describeTshark('tshark TSV through a pipe', () => {
  it('scores tshark fields on standard input exactly as the capture itself', async () => {
    const direct = await runKitsune(['score', 'fixtures/sample.pcap', ...SAMPLE_ARGS]);
    const quoted = TSHARK_ARGS.map((a) => `'${a}'`).join(' ');
    const piped = execFileSync(
      'bash',
      ['-o', 'pipefail', '-c', `tshark -r fixtures/sample.pcap ${quoted} 2>/dev/null | node ${KITSUNE} score - ${SAMPLE_ARGS.join(' ')}`],
      { cwd: ROOT, maxBuffer: 1 << 28 },
    ).toString();
    expect(direct.code).toBe(0);
    expect(piped).toBe(direct.stdout);
  });

  it('reads tshark TSV without its header row', async () => {
    const withHeader = execFileSync('tshark', ['-r', 'fixtures/tiny.pcap', ...TSHARK_ARGS], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    const body = withHeader.toString().split('\n').slice(1).join('\n');
    const grace = ['--fm-grace', '20', '--ad-grace', '80', '--no-summary'];
    const fromBody = await runKitsune(['score', '-', ...grace], { input: body });
    const fromPcap = await runKitsune(['score', 'fixtures/tiny.pcap', ...grace]);
    expect(fromBody.stdout).toBe(fromPcap.stdout);
  });
});

describe('a live pipe', () => {
  it('prints rows within a second of their packets arriving, before the input ends', async () => {
    const { spawn } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(`${ROOT}/fixtures/tiny.pcap`);
    const child = spawn(process.execPath, [KITSUNE, 'score', '-', '--fm-grace', '20', '--ad-grace', '80', '--no-summary']);
    const firstRow = new Promise<number>((resolve) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.split('\n').length > 2) resolve(performance.now());
      });
    });
    // The file header and the first records (the last one cut: the reader must not wait for more).
    const sent = performance.now();
    child.stdin.write(bytes.subarray(0, FIRST_BYTES));
    const arrived = await firstRow;
    expect(arrived - sent).toBeLessThan(1000);
    child.stdin.end();
    await new Promise((resolve) => child.on('close', resolve));
  });
});
