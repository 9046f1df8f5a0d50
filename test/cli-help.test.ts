import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runKitsune } from './helpers/cli.js';

const COMMANDS = ['decode', 'extract', 'score', 'train', 'eval', 'plot'];
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('terminal manners', () => {
  it('prints --version from package.json', async () => {
    const run = await runKitsune(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(VERSION);
  });

  for (const command of COMMANDS) {
    it(`has --help with examples for ${command}`, async () => {
      const run = await runKitsune([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Usage: kitsune ${command}`);
      expect(run.stdout).toContain('Examples:');
    });
  }

  it('rejects a bad option or value with one line and status 2', async () => {
    for (const args of [['score', '--bogus'], ['score', 'fixtures/tiny.pcap', '--fm-grace', 'many'], ['train', 'fixtures/tiny.pcap']]) {
      const run = await runKitsune(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^kitsune: /);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('takes option numbers in decimal only (not hex, padded or, for integers, exponent forms)', async () => {
    const tiny = ['score', 'fixtures/tiny.pcap', '--no-summary', '--fm-grace', '20', '--ad-grace', '80'];
    for (const [option, value] of [['--limit', '0x10'], ['--limit', ' 5'], ['--limit', '1e3'], ['--limit', '-0'], ['--learning-rate', '0x1'], ['--learning-rate', 'Infinity']]) {
      const run = await runKitsune([...tiny, option, value]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`kitsune: ${option} must be ${option === '--limit' ? 'an integer >= 0' : 'a positive number'}, not '${value}'\n`);
    }
    for (const [option, value] of [['--limit', '30'], ['--learning-rate', '.05'], ['--learning-rate', '1e-2'], ['--lambdas', '5, 1, 0.1']]) {
      expect((await runKitsune([...tiny, option, value])).code).toBe(0);
    }
  });

  it('names the file, offset and packet of bad input, with no stack trace', async () => {
    const run = await runKitsune(['decode', 'package.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^kitsune: package\.json: offset 0, packet 0: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
