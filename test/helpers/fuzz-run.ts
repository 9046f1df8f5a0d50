/**
 * Runs one malformed-input case through the command's entry point `main(argv)`, in process, exactly
 * as bin/kitsune does (file in, `-o` file out), with standard output and error captured, and checks
 * the contract of the issue "proof under load and bad input":
 * - exit status 0 or 2; nothing on standard output (rows go to the -o file);
 * - status 0: nothing on standard error (--no-summary); status 2: exactly one line `kitsune: ...`,
 *   no stack trace, no `internal error` (an unexpected exception is a bug, however politely printed);
 * - every packet before the fault was written: the output's row count equals the `packet N` of the
 *   message, and the rows are numbered 0, 1, ... (score's index column);
 * - the case took at most MAX_CASE_MS.
 * The same check applies to subprocess runs (runKitsune) through `checkOutcome`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';

/** A single case may take this long at most (the inputs are a few kilobytes). */
export const MAX_CASE_MS = 5000;
/** Grace periods small enough for the base inputs (60 packets) to reach the execute phase. */
export const SCORE_OPTIONS = ['--fm-grace', '20', '--ad-grace', '30', '--no-summary'];
/**
 * KitNET on the calling thread. Starting worker threads (the default, one per core) costs about
 * 170 ms of waiting per run, too much for ten thousand tiny cases: most in-process cases use this,
 * a sample runs with the default (`threaded`), and the subprocess suite always does.
 */
const NO_THREADS = ['--threads', '0'];
/** A case still running after this long has hung: it is reported and the suite moves on. */
export const HANG_MS = 15_000;
const EXIT_OK = 0;
const EXIT_INPUT = 2;
const PACKET_IN_MESSAGE = /, packet (\d+): /;
const STACK_FRAME = /\n\s+at /;
/**
 * Node's complaint when a leaked FileHandle is garbage-collected: it surfaces in whichever later case
 * runs at that moment, so it is dropped from the captured text; the leak itself is caught per case.
 */
const GC_CLOSE_WARNING = /^\(node:\d+\) (Warning: Closing file descriptor \d+ on garbage collection|\[DEP0137\] .*)\n|^\(Use `node --trace-warnings .*\n/gm;
/** Open descriptors of this process (Linux); null elsewhere, where the leak check is skipped. */
const FD_DIR = '/proc/self/fd';
/** How /proc names the target of a descriptor whose file was removed. */
const DELETED_SUFFIX = / \(deleted\)$/;
/** How long a case's descriptors may take to close after main() resolves (stream close is asynchronous). */
const FD_SETTLE_TRIES = 40;
const FD_SETTLE_STEP_MS = 5;

export type Command = 'score' | 'decode';

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Data rows in the output file (its lines after the header), or -1 when there is no output file. */
  rows: number;
  /** Files this case left open (empty when it closed everything it opened). */
  leakedFiles: string[];
  /** Score only: the index column does not read 0, 1, 2, ... */
  badIndex: boolean;
  ms: number;
}

/** What a case must give beyond the general contract (both optional). */
export interface Expectation {
  /** Exact number of rows. */
  packets?: number;
  /** Rows must lie in [lo, hi] (when the exact count depends on how the last bytes parse). */
  packetsBetween?: [number, number];
  /** 0: the input is valid; 2: it is not. */
  exit?: 0 | 2;
}

export function argsFor(command: Command, input: string, output: string, threaded = true): string[] {
  const scoreOptions = threaded ? SCORE_OPTIONS : [...SCORE_OPTIONS, ...NO_THREADS];
  return [command, input, '-o', output, ...(command === 'score' ? scoreOptions : [])];
}

/** A scratch folder for one test file's cases (input and output files are overwritten per case). */
export function scratchDir(name: string): string {
  const dir = path.join(os.tmpdir(), `kitsune-${name}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

let caseNumber = 0;

export interface InProcessOptions {
  /** List the files the run left open (default true). */
  watchFiles?: boolean;
  /** Score with the default worker threads instead of none (default false). */
  threaded?: boolean;
}

/**
 * Runs `kitsune <command> <input> -o <output>` through main() with stdout/stderr captured. A run that
 * has not settled after HANG_MS is given up on (exit status null, reported as a hang).
 */
export async function runInProcess(command: Command, input: Uint8Array, dir: string, options: InProcessOptions = {}): Promise<Outcome> {
  const watchFiles = options.watchFiles ?? true;
  const fdsBefore = watchFiles ? openFiles() : null;
  // Names of its own per case: a hung run still holds its files, the next case must not share them.
  const n = caseNumber++;
  const inFile = path.join(dir, `input-${n}.bin`);
  const outFile = path.join(dir, `output-${n}.tsv`);
  writeFileSync(inFile, input);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const realOut = process.stdout.write;
  const realErr = process.stderr.write;
  const capture =
    (into: string[]) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const callback = rest.find((x) => typeof x === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    };
  process.stdout.write = capture(stdout) as typeof process.stdout.write;
  process.stderr.write = capture(stderr) as typeof process.stderr.write;
  const start = performance.now();
  let code: number | null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const hang = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), HANG_MS)));
    code = await Promise.race([main(['node', 'kitsune', ...argsFor(command, inFile, outFile, options.threaded ?? false)]), hang]);
  } finally {
    clearTimeout(timer);
    process.stdout.write = realOut;
    process.stderr.write = realErr;
  }
  const ms = performance.now() - start;
  const leakedFiles = await filesLeftOpen(fdsBefore);
  const err = stderr.join('').replace(GC_CLOSE_WARNING, '');
  const outcome = { code, stdout: stdout.join(''), stderr: err, ms, leakedFiles, ...readRows(command, outFile) };
  rmSync(inFile, { force: true });
  rmSync(outFile, { force: true });
  return outcome;
}

function openFiles(): Map<string, string> | null {
  if (!existsSync(FD_DIR)) return null;
  const files = new Map<string, string>();
  for (const fd of readdirSync(FD_DIR)) {
    try {
      files.set(fd, readlinkSync(path.join(FD_DIR, fd)).replace(DELETED_SUFFIX, ''));
    } catch {
      // closed between the listing and the look-up
    }
  }
  return files;
}

/** Descriptors open now that were not before (ordinary files only), once pending closes had time to finish. */
async function filesLeftOpen(before: Map<string, string> | null): Promise<string[]> {
  if (before === null) return [];
  let left: string[] = [];
  for (let i = 0; i < FD_SETTLE_TRIES; i++) {
    const now = openFiles() ?? new Map<string, string>();
    left = [...now].filter(([fd, target]) => before.get(fd) !== target && target.startsWith('/')).map(([, target]) => target);
    if (left.length === 0) return left;
    await new Promise((resolve) => setTimeout(resolve, FD_SETTLE_STEP_MS));
  }
  return left;
}

/** Row count of an output file and whether score's index column counts from 0. */
export function readRows(command: Command, outFile: string): { rows: number; badIndex: boolean } {
  if (!existsSync(outFile)) return { rows: -1, badIndex: false };
  return countRows(command, readFileSync(outFile, 'utf8'));
}

/** A warning of a run that otherwise succeeded: one line, nothing that looks like a stack frame. */
const WARNING_LINE = /^kitsune: warning: [^\n]*$/;

export function countRows(command: Command, text: string): { rows: number; badIndex: boolean } {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const rows = lines.slice(1);
  const badIndex = command === 'score' && rows.some((row, i) => row.slice(0, row.indexOf('\t')) !== String(i));
  return { rows: rows.length, badIndex };
}

/** The problems of one outcome (empty when the contract holds). */
export function checkOutcome(o: Outcome, expected: Expectation = {}, checkLeaks = true): string[] {
  const problems: string[] = [];
  if (checkLeaks && o.leakedFiles.length > 0) problems.push(`left open: ${o.leakedFiles.join(', ')}`);
  if (o.code === null) problems.push('no exit status: hung (killed, or given up on in process)');
  else if (o.code !== EXIT_OK && o.code !== EXIT_INPUT) problems.push(`exit status ${o.code}`);
  if (o.stdout !== '') problems.push(`standard output not empty: ${JSON.stringify(o.stdout.slice(0, 200))}`);
  if (o.ms > MAX_CASE_MS) problems.push(`took ${o.ms.toFixed(0)} ms`);
  if (o.rows < 0) problems.push('no output file');
  if (o.badIndex) problems.push('score rows are not numbered 0, 1, 2, ...');
  // A clean run may only warn, in whole 'kitsune: warning: ' lines (a short capture that never left
  // training, say); anything else on standard error is noise or a hidden fault.
  const unwarned = o.stderr.split('\n').filter((line) => line !== '' && !WARNING_LINE.test(line));
  if (o.code === EXIT_OK && unwarned.length > 0) problems.push(`exit 0 with standard error ${JSON.stringify(o.stderr.slice(0, 300))}`);
  if (o.code === EXIT_INPUT) {
    const lines = o.stderr.split('\n');
    if (lines.length !== 2 || lines[1] !== '' || !lines[0].startsWith('kitsune: ')) {
      problems.push(`standard error is not one 'kitsune: ' line: ${JSON.stringify(o.stderr.slice(0, 300))}`);
    }
    if (STACK_FRAME.test(o.stderr)) problems.push('stack trace on standard error');
    if (o.stderr.includes('internal error')) problems.push(`internal error: ${lines[0]}`);
    const packet = PACKET_IN_MESSAGE.exec(lines[0]);
    if (packet === null) problems.push(`message names no packet: ${lines[0]}`);
    else if (Number(packet[1]) !== o.rows) problems.push(`message names packet ${packet[1]} but ${o.rows} rows were written`);
  }
  if (expected.exit !== undefined && o.code !== expected.exit) {
    problems.push(`expected exit ${expected.exit}, got ${o.code} (${o.stderr.trim()})`);
  }
  if (expected.packets !== undefined && o.rows !== expected.packets) {
    problems.push(`expected ${expected.packets} rows, got ${o.rows}`);
  }
  if (expected.packetsBetween !== undefined) {
    const [lo, hi] = expected.packetsBetween;
    if (o.rows < lo || o.rows > hi) problems.push(`expected ${lo}..${hi} rows, got ${o.rows}`);
  }
  return problems;
}

/** Keeps the inputs of failing cases for reproduction, and a readable list of what failed. */
export class FailureLog {
  readonly failures: string[] = [];
  private readonly dir: string;
  cases = 0;
  slowestMs = 0;

  constructor(name: string) {
    this.dir = path.join(os.tmpdir(), 'kitsune-fuzz-failures', name);
  }

  record(label: string, input: Uint8Array, outcome: Outcome, problems: string[]): void {
    this.cases++;
    this.slowestMs = Math.max(this.slowestMs, outcome.ms);
    if (problems.length === 0) return;
    mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${label.replace(/[^\w.-]+/g, '_')}.bin`);
    writeFileSync(file, input);
    this.failures.push(`${label} (input kept in ${file}): ${problems.join('; ')}`);
  }
}
