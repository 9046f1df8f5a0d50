import { scoreInChild } from './end-to-end.js';
import { benchResult, type BenchResult } from './result.js';

/** Capture lengths whose peak RSS is compared (the first and last must differ enough to show growth). */
const LENGTHS = [1_000_000, 5_000_000] as const;
/** The eviction setting whose memory should not depend on the capture length. */
const EVICTION_ARGS = ['--max-streams', '20000'] as const;

/**
 * Peak RSS of the whole `kitsune score` (defaults otherwise) on the first 1 M and all 5 M packets of
 * the spoofed-sources capture, with eviction (flat in the length, the claim) and without it (the
 * growth it prevents). One run each: RSS does not vary much between runs, and these are long.
 */
export async function benchScoreMemory(spoofedCapture: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [label, args] of [
    [EVICTION_ARGS.join(' '), EVICTION_ARGS],
    ['without eviction', []],
  ] as const) {
    for (const packets of LENGTHS) {
      const run = await scoreInChild(spoofedCapture, [...args, '--limit', String(packets)]);
      const name = `kitsune score ${label}, spoofed sources, first ${packets.toLocaleString('en-US')} packets`;
      results.push(benchResult(`${name}, peak RSS`, 'MiB', [run.maxRssMiB]));
      results.push(benchResult(`${name}, end to end`, 'packets/s', [packets / run.seconds]));
    }
  }
  return results;
}
