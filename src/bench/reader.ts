import { readInputs } from '../capture/reader.js';

/**
 * Capture reader benchmark: records/s of readInputs over one capture file (read in 1 MiB chunks,
 * parsed, one callback per record that only counts). Median of RUNS runs.
 */

const RUNS = 5;
const MS_PER_S = 1000;

export interface ReaderBenchResult {
  name: string;
  unit: string;
  runs: number[];
  median: number;
}

export async function benchReader(capturePath: string): Promise<ReaderBenchResult[]> {
  const runs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let records = 0;
    const started = performance.now();
    await readInputs([capturePath], {
      onRecord() {
        records++;
      },
      onFields() {
        records++;
      },
    });
    const seconds = (performance.now() - started) / MS_PER_S;
    runs.push(records / seconds);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return [{ name: 'capture reader', unit: 'records/s', runs, median: sorted[Math.floor(RUNS / 2)] }];
}
