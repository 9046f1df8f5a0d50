/**
 * Malformed-input suite as a user meets it: a few hundred damaged captures (a sample of every family
 * of fuzz-inprocess.test.ts, another seed) through `node bin/kitsune score|decode <file> -o <out>` as
 * real processes, one in four reading the capture from standard input (`-`). Same contract: status
 * 0 or 2, one `kitsune: ` line and no stack trace, a row for every packet before the fault, bounded
 * time (a hang is killed at MAX_CASE_MS and fails). dist/ is compiled by the vitest global setup.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKitsune } from './helpers/cli.js';
import {
  garbage,
  gzipDamage,
  gzipTruncations,
  pcapBitFlips,
  pcapLengthEdges,
  pcapngDamage,
  pcapngStructure,
  pcapOverwrites,
  pickCommand,
  Prng,
  truncations,
  tsvDamage,
  tsvTruncations,
  zstdCases,
  type FuzzCase,
} from './helpers/fuzz-cases.js';
import { baseInputs, PCAP_HEADER_BYTES } from './helpers/fuzz-inputs.js';
import { argsFor, checkOutcome, FailureLog, MAX_CASE_MS, readRows, scratchDir, SCORE_OPTIONS, type Command, type Outcome } from './helpers/fuzz-run.js';

const SEED = 5318008;
/** Processes run at once (the machine has 2 cores). */
const PARALLEL = 2;
/** Every STDIN_EVERY-th case feeds the capture through standard input. */
const STDIN_EVERY = 4;
/** A case's process gets this long before it is killed (a hang), above the per-case bound. */
const KILL_AFTER_MS = MAX_CASE_MS * 2;
const MIN_CASES = 200;
const GZIP_TRAILER_BYTES = 8;

const dir = scratchDir('fuzz-subprocess');
const log = new FailureLog('subprocess');

/** `n` cases of a family, picked at random. */
function sample(cases: FuzzCase[], n: number, prng: Prng): FuzzCase[] {
  const picked: FuzzCase[] = [];
  const pool = [...cases];
  while (picked.length < n && pool.length > 0) picked.push(...pool.splice(prng.int(0, pool.length - 1), 1));
  return picked;
}

/** gzip cut inside its CRC32/ISIZE trailer: the deflate data is whole, whatever the chunking. */
function isGzipTrailerCut(c: FuzzCase): boolean {
  const cut = /^gzip-cut-(\d+)$/.exec(c.label);
  return cut !== null && Number(cut[1]) > baseInputs().gzip.length - GZIP_TRAILER_BYTES;
}

async function runCase(c: FuzzCase, i: number, command: Command, forceStdin = false): Promise<void> {
  const viaStdin = forceStdin || (i % STDIN_EVERY === 0 && !isGzipTrailerCut(c));
  const caseDir = path.join(dir, String(i % PARALLEL));
  const inFile = path.join(dir, `input-${i}.bin`);
  const outFile = path.join(caseDir, `output-${i}.tsv`);
  mkdirSync(caseDir, { recursive: true });
  if (!viaStdin) writeFileSync(inFile, c.bytes);
  const args = viaStdin ? [command, '-', '-o', outFile, ...(command === 'score' ? SCORE_OPTIONS : [])] : argsFor(command, inFile, outFile);
  const start = performance.now();
  const result = await runKitsune(args, { input: viaStdin ? c.bytes : undefined, timeoutMs: KILL_AFTER_MS });
  const ms = performance.now() - start;
  const outcome: Outcome = { ...result, ms, leakedFiles: [], ...readRows(command, outFile) };
  const problems = checkOutcome(outcome, c.expected);
  if (result.signal !== null) problems.push(`killed by ${result.signal}`);
  log.record(`${command}-${viaStdin ? 'stdin-' : ''}${c.label}`, c.bytes, outcome, problems);
  rmSync(inFile, { force: true });
  rmSync(outFile, { force: true });
}

describe('malformed input through bin/kitsune processes', () => {
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${MIN_CASES}+ damaged captures end with status 0 or 2, one message line, and every row before the fault`, async () => {
    const prng = new Prng(SEED);
    const { pcap, pcapng, tsv } = baseInputs();
    const cases = [
      ...sample(truncations(pcap, prng, PCAP_HEADER_BYTES, 50), 30, prng),
      ...sample(truncations(pcapng, prng, PCAP_HEADER_BYTES, 50), 30, prng),
      ...sample(tsvTruncations(tsv, prng, 50), 20, prng),
      ...gzipTruncations(prng, 20).slice(-15),
      ...gzipDamage(prng, 12),
      ...zstdCases(prng, 15),
      ...pcapBitFlips(prng, 30),
      ...pcapOverwrites(prng, 15),
      ...pcapLengthEdges(prng, 20),
      ...pcapngDamage(prng, 25),
      ...pcapngStructure(prng, 21),
      ...tsvDamage(prng, 20),
      ...garbage(prng, 20),
    ];
    const commands = cases.map(() => pickCommand(prng));
    const started = performance.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < cases.length) {
        const i = next++;
        await runCase(cases[i], i, commands[i]);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`fuzz-subprocess: ${log.cases} cases in ${seconds} s, slowest ${log.slowestMs.toFixed(0)} ms\n`);
    expect(log.cases).toBeGreaterThanOrEqual(MIN_CASES);
    expect(log.failures).toEqual([]);
  }, 600_000);

  // A gzip cut inside its 8-byte trailer (the deflate data whole) once gave one record fewer from
  // standard input than from a file: zlib's last bytes came out of end()'s failing call.
  it('gzip cut inside its trailer, read from standard input: every record is scored', async () => {
    const before = log.failures.length;
    const cases = gzipTruncations(new Prng(SEED), 0).filter(isGzipTrailerCut);
    for (const [i, c] of cases.entries()) await runCase(c, i, 'decode', true);
    expect(log.failures.slice(before)).toEqual([]);
  });
});
