/** One benchmark measurement: the rate of every run and their median (what the table reports). */
export interface BenchResult {
  name: string;
  unit: string;
  runs: number[];
  median: number;
  extra?: Record<string, unknown>;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function benchResult(name: string, unit: string, runs: number[], extra?: Record<string, unknown>): BenchResult {
  return { name, unit, runs, median: median(runs), ...(extra ? { extra } : {}) };
}
