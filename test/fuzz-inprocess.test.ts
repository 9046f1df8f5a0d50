/**
 * Malformed-input suite, in process: more than 10,000 damaged captures per run (fixed seed) through
 * the command's entry point main(), as `kitsune score|decode <file> -o <out>` runs. Each case must
 * end with status 0 or 2, print at most one `kitsune: ` line and no stack trace, take under
 * MAX_CASE_MS, and have written a row for every packet before the fault (fuzz-run.ts); the families
 * and their independent expectations are in fuzz-cases.ts. Failing inputs are kept under
 * os.tmpdir()/kitsune-fuzz-failures/inprocess for reproduction with bin/kitsune.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  dataOnlyFlips,
  EPB_DATA_AT,
  garbage,
  gzipCorruptTails,
  gzipDamage,
  gzipTruncations,
  pcapBitFlips,
  pcapLengthEdges,
  pcapngDamage,
  pcapngLengthEdges,
  pcapngManyInterfaces,
  pcapngStructure,
  pcapOddFrames,
  pcapOverwrites,
  pickCommand,
  Prng,
  tortureDamage,
  truncations,
  tsvDamage,
  tsvTruncations,
  zstdCases,
  type FuzzCase,
} from './helpers/fuzz-cases.js';
import { baseInputs, PCAP_CAPLEN_AT, PCAP_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES } from './helpers/fuzz-inputs.js';
import { withU32le, ZSTD_FRAME_HEADER_BYTES, zstdRawFrame } from './helpers/fuzz-mutate.js';
import { checkOutcome, FailureLog, runInProcess, scratchDir } from './helpers/fuzz-run.js';
import { CAPTURES, HAVE_SHARED } from './helpers/shared.js';

/** The suite's seed: a run is the same cases every time. */
const SEED = 20181221;
/** The whole run must cover at least this many cases (the figure). */
const MIN_CASES = 10_000;
/** SHB (44 bytes with its shb_userappl option) + IDB (20): every cut inside them is tried. */
const PCAPNG_HEAD_BYTES = 64;
/** Cases per torture capture (the capture itself and damaged copies). */
const TORTURE_CASES = 40;
/** Cases per family run with worker threads (each such run waits ~170 ms for its threads). */
const THREADED_EACH = 30;
/** zstd Block_Type 3 is reserved (RFC 8878 section 3.1.1.2.2): a decoder must refuse it. */
const ZSTD_RESERVED_BLOCK_TYPE = 3;
/** Failures listed in an assertion message. */
const SHOWN_FAILURES = 15;

const dir = scratchDir('fuzz-inprocess');
const log = new FailureLog('inprocess');
const started = performance.now();

/**
 * Runs the cases and returns their failures. `checkLeaks` false skips the open-file check where a
 * known leak is pinned by its own `it.fails` test below (zstd inputs that fault early).
 */
async function runCases(family: string, cases: FuzzCase[], prng: Prng, checkLeaks = true, threaded = false): Promise<string[]> {
  const before = log.failures.length;
  for (const c of cases) {
    const command = threaded ? 'score' : pickCommand(prng);
    const outcome = await runInProcess(command, c.bytes, dir, { watchFiles: checkLeaks, threaded });
    log.record(`${command}-${c.label}`, c.bytes, outcome, checkOutcome(outcome, c.expected, checkLeaks));
  }
  const failures = log.failures.slice(before);
  return failures.length > SHOWN_FAILURES ? [...failures.slice(0, SHOWN_FAILURES), `... ${failures.length} in ${family}`] : failures;
}

describe('malformed input through main()', () => {
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`fuzz-inprocess: ${log.cases} cases in ${seconds} s, slowest ${log.slowestMs.toFixed(0)} ms\n`);
  });

  it('pcap truncated in the header, at and around every record boundary, and at random offsets', async () => {
    const prng = new Prng(SEED);
    expect(await runCases('pcap truncations', truncations(baseInputs().pcap, prng, PCAP_HEADER_BYTES, 300), prng)).toEqual([]);
  });

  it('pcapng truncated in its head blocks, at and around every block boundary, and at random offsets', async () => {
    const prng = new Prng(SEED + 1);
    expect(await runCases('pcapng truncations', truncations(baseInputs().pcapng, prng, PCAPNG_HEAD_BYTES, 300), prng)).toEqual([]);
  });

  it('tshark TSV truncated at and around every line end and at random offsets', async () => {
    const prng = new Prng(SEED + 2);
    expect(await runCases('tsv truncations', tsvTruncations(baseInputs().tsv, prng, 300), prng)).toEqual([]);
  });

  it('gzip truncated (the decompressed prefix is scored) and damaged', async () => {
    const prng = new Prng(SEED + 3);
    const cases = [...gzipTruncations(prng, 250), ...gzipDamage(prng, 300)];
    expect(await runCases('gzip', cases, prng)).toEqual([]);
  });

  // zlib drops the output of the write in which it meets a bad CRC32/ISIZE: the reader writes the
  // trailer on its own (src/capture/decompress.ts), so every record before it is still scored.
  it('gzip with a corrupt CRC32/ISIZE trailer: every record is scored before the fault', async () => {
    const prng = new Prng(SEED + 13);
    expect(await runCases('gzip trailer', gzipCorruptTails(prng, 100), prng)).toEqual([]);
  });

  it('zstd frames truncated, with damaged headers, and holding damaged pcap', async () => {
    const prng = new Prng(SEED + 14);
    expect(await runCases('zstd', zstdCases(prng, 600), prng, false)).toEqual([]);
  });

  // A compressed input that faults in its first read chunk must still close its file
  // (src/capture/reader.ts, prepend).
  it('zstd input faulting in its first chunk: the input file is closed', async () => {
    const prng = new Prng(SEED + 15);
    const { pcap } = baseInputs();
    const badBlockType = zstdRawFrame(pcap.bytes);
    badBlockType[ZSTD_FRAME_HEADER_BYTES] |= ZSTD_RESERVED_BLOCK_TYPE << 1;
    const cases: FuzzCase[] = [
      { label: 'zstd-reserved-block-type', bytes: badBlockType, expected: { exit: 2, packets: 0 } },
      {
        label: 'zstd-pcap-first-caplen-huge',
        bytes: zstdRawFrame(withU32le(pcap.bytes, PCAP_HEADER_BYTES + PCAP_CAPLEN_AT, 0xffffffff)),
        expected: { exit: 2, packets: 0 },
      },
    ];
    expect(await runCases('zstd leak', cases, prng)).toEqual([]);
  });

  it('pcap bit flips, judged by an independent pcap-savefile walker', async () => {
    const prng = new Prng(SEED + 4);
    expect(await runCases('pcap flips', pcapBitFlips(prng, 2000), prng)).toEqual([]);
  });

  it('pcap byte overwrites, absurd caplen/len/version fields, odd frame sizes', async () => {
    const prng = new Prng(SEED + 5);
    const cases = [...pcapOverwrites(prng, 1000), ...pcapLengthEdges(prng, 500), ...pcapOddFrames(prng, 120)];
    expect(await runCases('pcap fields', cases, prng)).toEqual([]);
  });

  it('packet data flips keep every packet (pcap and pcapng)', async () => {
    const prng = new Prng(SEED + 6);
    const { pcap, pcapng } = baseInputs();
    const cases = [...dataOnlyFlips(pcap, PCAP_RECORD_HEADER_BYTES, prng, 300), ...dataOnlyFlips(pcapng, EPB_DATA_AT, prng, 300)];
    expect(await runCases('data flips', cases, prng)).toEqual([]);
  });

  it('pcapng bit flips and overwrites', async () => {
    const prng = new Prng(SEED + 7);
    expect(await runCases('pcapng damage', pcapngDamage(prng, 2100), prng)).toEqual([]);
  });

  it('pcapng block lengths 0, 8, unaligned, huge, off by 4; missing interfaces, lying caplen, new sections, odd frames', async () => {
    const prng = new Prng(SEED + 8);
    const cases = [...pcapngLengthEdges(prng, 500), ...pcapngStructure(prng, 350)];
    expect(await runCases('pcapng structure', cases, prng)).toEqual([]);
  });

  it('pcapng with thousands of interfaces (and packets naming one past the last)', async () => {
    const prng = new Prng(SEED + 9);
    expect(await runCases('many interfaces', pcapngManyInterfaces([1000, 5000, 100_000]), prng)).toEqual([]);
  });

  it('tshark TSV flips, overwrites and garbage rows', async () => {
    const prng = new Prng(SEED + 10);
    expect(await runCases('tsv damage', tsvDamage(prng, 1000), prng)).toEqual([]);
  });

  it('no capture at all: empty, unknown magic, random bytes, text, spliced pcap', async () => {
    const prng = new Prng(SEED + 11);
    expect(await runCases('garbage', garbage(prng, 400), prng)).toEqual([]);
  });

  it('score with KitNET on worker threads (the default): truncated, damaged and absurd captures', async () => {
    const prng = new Prng(SEED + 16);
    const { pcap, pcapng } = baseInputs();
    const pick = (cases: FuzzCase[], n: number): FuzzCase[] => Array.from({ length: n }, () => cases[prng.int(0, cases.length - 1)]);
    const cases = [
      ...pick(truncations(pcap, prng, PCAP_HEADER_BYTES, 100), THREADED_EACH),
      ...pick(truncations(pcapng, prng, PCAPNG_HEAD_BYTES, 100), THREADED_EACH),
      ...pick(gzipCorruptTails(prng, 50), THREADED_EACH),
      ...pick(pcapBitFlips(prng, 200), THREADED_EACH),
      ...pick(pcapngStructure(prng, 100), THREADED_EACH),
    ];
    expect(await runCases('threaded', cases, prng, true, true)).toEqual([]);
  });

  it.runIf(HAVE_SHARED)('../shared torture captures, as they are and damaged', async () => {
    const prng = new Prng(SEED + 12);
    const torture = path.join(CAPTURES, 'torture');
    const failures: string[] = [];
    for (const name of readdirSync(torture).sort()) {
      const cases = tortureDamage(name, new Uint8Array(readFileSync(path.join(torture, name))), prng, TORTURE_CASES);
      failures.push(...(await runCases(name, cases, prng, !name.endsWith('.zst'))));
    }
    expect(failures).toEqual([]);
  });

  it(`covered at least ${MIN_CASES} cases`, () => {
    expect(log.cases).toBeGreaterThanOrEqual(MIN_CASES);
  });
});
