/**
 * Stopping a live run: `kitsune score -` reads a capture from a pipe that stays open (as from
 * `tcpdump -U -w -`). Rows must reach standard output within a second of their packets (the sink
 * flushes every FLUSH_INTERVAL_MS = 200 ms); SIGINT / SIGTERM must end the run in order: exit status
 * 128 + signal number (130 / 143), a row for every packet sent, and the --save-model file written and
 * loadable. And `kitsune score ... | head -n 5` must end quietly: status 0, no EPIPE text.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODEL_FORMAT } from '../src/detect/model-file.js';
import { KITSUNE } from './helpers/cli.js';
import { baseInputs, BASE_RECORDS, PCAP_HEADER_BYTES } from './helpers/fuzz-inputs.js';
import { countRows, SCORE_OPTIONS } from './helpers/fuzz-run.js';
import { ROOT } from './helpers/shared.js';

/** The bound between a packet arriving and its row being readable downstream. */
const ROW_LATENCY_MS = 1000;
/** Generous bound for node to start and score the first packet on a loaded 2-core machine. */
const STARTUP_MS = 30_000;
const EXIT_SIGINT = 130;
const EXIT_SIGTERM = 143;
const HEAD_LINES = 5;
/** A stopped run must have finished (model written, process gone) this soon after the signal. */
const EXIT_MS = 5000;
/** Time for a signal to be handled before the test closes the input pipe. */
const SIGNAL_SETTLE_MS = 500;

const dir = mkdtempSync(path.join(os.tmpdir(), 'kitsune-signals-'));

/** A running `kitsune score -` with its standard output collected as it arrives. */
class LiveRun {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, [KITSUNE, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk: Buffer) => (this.stdout += chunk.toString('utf8')));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  rows(): number {
    return countRows('score', this.stdout).rows;
  }

  /** Resolves when `n` rows have arrived, with the time it took; rejects after `limitMs`. */
  async waitForRows(n: number, limitMs: number): Promise<number> {
    const start = performance.now();
    while (this.rows() < n) {
      if (performance.now() - start > limitMs) throw new Error(`${this.rows()} of ${n} rows after ${limitMs} ms; stderr: ${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return performance.now() - start;
  }

  exit(limitMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), limitMs);
    return this.exited.finally(() => clearTimeout(timer));
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Polls until `file` holds complete JSON (the model is written once the run has stopped). */
async function readJsonWhenWritten(file: string, limitMs: number): Promise<{ format?: unknown }> {
  const start = performance.now();
  for (;;) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown };
    } catch (error) {
      if (performance.now() - start > limitMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Starts `kitsune score -` and feeds it the base pcap: row 0 first (startup), then the rest, timed. */
async function liveRunWithRows(extra: string[]): Promise<LiveRun> {
  const { pcap } = baseInputs();
  const run = new LiveRun(['score', '-', ...extra, ...SCORE_OPTIONS]);
  run.child.stdin.write(pcap.bytes.subarray(0, pcap.recordEnds[0]));
  await run.waitForRows(1, STARTUP_MS);
  // The other records (through the map, train and execute phases); the pipe stays open.
  run.child.stdin.write(pcap.bytes.subarray(pcap.recordEnds[0]));
  const latency = await run.waitForRows(BASE_RECORDS, STARTUP_MS);
  expect(latency).toBeLessThan(ROW_LATENCY_MS);
  return run;
}

describe('stopping a live run', () => {
  for (const [signal, status] of [
    ['SIGINT', EXIT_SIGINT],
    ['SIGTERM', EXIT_SIGTERM],
  ] as const) {
    it(`${signal}: rows within a second, then a row for every packet sent, a loadable model, status ${status}`, async () => {
      const model = path.join(dir, `model-${signal}.json`);
      const run = await liveRunWithRows(['--save-model', model]);
      run.child.kill(signal);
      const document = await readJsonWhenWritten(model, EXIT_MS);
      expect(document.format).toBe(MODEL_FORMAT);
      // The pipe is closed only now: the status must still say the signal stopped the run.
      run.child.stdin.end();
      const { code, signal: killedBy } = await run.exit(EXIT_MS);
      expect({ code, killedBy }).toEqual({ code: status, killedBy: null });
      const { rows, badIndex } = countRows('score', run.stdout);
      expect({ rows, badIndex }).toEqual({ rows: BASE_RECORDS, badIndex: false });
      expect(run.stderr).toBe('');
    });

    // The input pipe stays open (kill -INT or systemd's SIGTERM to kitsune alone): bin/kitsune
    // exits once everything is flushed, whatever still holds standard input.
    it(`${signal} with the input pipe still open: the process exits by itself with status ${status}`, async () => {
      const run = await liveRunWithRows([]);
      run.child.kill(signal);
      const { code, signal: killedBy } = await run.exit(EXIT_MS);
      run.child.stdin.destroy();
      expect({ code, killedBy, rows: run.rows() }).toEqual({ code: status, killedBy: null, rows: BASE_RECORDS });
    });
  }

  it('SIGINT before any packet (only the file header sent): status 130, no rows', async () => {
    const { pcap } = baseInputs();
    const run = new LiveRun(['score', '-', ...SCORE_OPTIONS]);
    run.child.stdin.write(pcap.bytes.subarray(0, PCAP_HEADER_BYTES));
    // The table's header line shows the process is up.
    const start = performance.now();
    while (run.stdout === '' && performance.now() - start < STARTUP_MS) await new Promise((resolve) => setTimeout(resolve, 10));
    run.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, SIGNAL_SETTLE_MS));
    run.child.stdin.end();
    const { code, signal } = await run.exit(EXIT_MS);
    expect({ code, signal, rows: run.rows(), stderr: run.stderr }).toEqual({ code: EXIT_SIGINT, signal: null, rows: 0, stderr: '' });
  });
});

describe('a reader that goes away: kitsune score ... | head -n 5', () => {
  /** Runs the pipeline in bash (pipefail off) and returns head's lines, kitsune's status and stderr. */
  function pipeline(extra: string): { lines: string[]; status: number; stderr: string } {
    const errFile = path.join(dir, 'pipeline.err');
    const script =
      `set +o pipefail; node "${KITSUNE}" score fixtures/sample.pcap --fm-grace 500 --ad-grace 4000 ${extra} 2>"${errFile}"` +
      ` | head -n ${HEAD_LINES}; echo "status=\${PIPESTATUS[0]}"`;
    const result = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    const status = Number((lines.pop() ?? '').replace('status=', ''));
    return { lines, status, stderr: readFileSync(errFile, 'utf8') };
  }

  it('with --no-summary: 5 lines, status 0, nothing on stderr', () => {
    const { lines, status, stderr } = pipeline('--no-summary');
    expect({ lines: lines.length, status, stderr }).toEqual({ lines: HEAD_LINES, status: 0, stderr: '' });
    expect(lines[0].startsWith('index\ttime\t')).toBe(true);
  });

  it('with the summary: 5 lines, status 0, only the one summary line on stderr', () => {
    const { lines, status, stderr } = pipeline('');
    expect({ lines: lines.length, status }).toEqual({ lines: HEAD_LINES, status: 0 });
    expect(stderr).toMatch(/^kitsune: [\d,]+ packets [^\n]*\n$/);
  });
});
