import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchResult, type BenchResult } from './result.js';

const RUNS = 3;
const MS_PER_S = 1000;
const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const PEAK_RSS = fileURLToPath(new URL('./peak-rss.js', import.meta.url));

interface ChildRun {
  seconds: number;
  maxRssMiB: number;
}

/**
 * `kitsune score` end to end in a fresh process with default parameters (fm-grace 5000, ad-grace
 * 50000), output discarded: wall-clock packets/s and the process's peak RSS. Median of RUNS runs.
 */
export async function benchEndToEnd(capturePath: string, packets: number, extraArgs: readonly string[] = []): Promise<BenchResult[]> {
  const runs: ChildRun[] = [];
  for (let r = 0; r < RUNS; r++) runs.push(await scoreInChild(capturePath, extraArgs));
  const label = extraArgs.length > 0 ? `kitsune score ${extraArgs.join(' ')}` : 'kitsune score (defaults)';
  return [
    benchResult(`${label}, end to end`, 'packets/s', runs.map((run) => packets / run.seconds)),
    benchResult(`${label}, peak RSS`, 'MiB', runs.map((run) => run.maxRssMiB)),
  ];
}

/** Runs the command's own entry point in a child and reads back its packet count and rusage. */
export function scoreInChild(capturePath: string, extraArgs: readonly string[]): Promise<ChildRun> {
  const script = `
    const { main } = await import(${JSON.stringify(MAIN)});
    const { peakRssMiB } = await import(${JSON.stringify(PEAK_RSS)});
    const started = performance.now();
    const args = ['node', 'kitsune', 'score', ${JSON.stringify(capturePath)}, '-o', '/dev/null', '--no-summary', ...${JSON.stringify(extraArgs)}];
    const code = await main(args);
    const seconds = (performance.now() - started) / ${MS_PER_S};
    process.stderr.write(JSON.stringify({ code, seconds, maxRssMiB: peakRssMiB() }) + '\\n');
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const last = stderr.trim().split('\n').at(-1) ?? '';
      try {
        const report = JSON.parse(last) as { code: number; seconds: number; maxRssMiB: number };
        if (report.code !== 0) throw new Error(`exit ${report.code}`);
        resolve({ seconds: report.seconds, maxRssMiB: report.maxRssMiB });
      } catch (error) {
        reject(new Error(`end-to-end run failed: ${(error as Error).message}: ${stderr.slice(0, 500)}`));
      }
    });
  });
}
