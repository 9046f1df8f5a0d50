import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH_CACHE_DIR, DEFAULT_BENCH_PACKETS, ensureBenchCapture, ensureSpoofedCapture } from '../synth/bench-capture.js';
import { benchAfterImage } from './afterimage.js';
import { benchDecode } from './decode.js';
import { benchEndToEnd } from './end-to-end.js';
import { benchKitNET } from './kitnet.js';
import { benchScoreMemory } from './memory.js';
import { benchReader } from './reader.js';
import type { BenchResult } from './result.js';

/**
 * `npm run bench`: generates (once, cached in .bench-cache/) a deterministic capture of a million
 * packets with realistic fan-out, then measures every stage and the whole command: medians of
 * several runs, printed as a table and written to .bench-cache/bench-results.json; `memory` compares
 * the command's peak RSS on 1 M and 5 M packets of a spoofed flood, with and without eviction.
 * `npm run bench -- reader kitnet` runs only the named sections.
 */
const SECTIONS = ['reader', 'decode', 'afterimage', 'kitnet', 'end-to-end', 'memory'] as const;

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const run = (section: (typeof SECTIONS)[number]) => wanted.length === 0 || wanted.includes(section);
  const capture = await ensureBenchCapture();
  console.log(`bench capture: ${capture} (${DEFAULT_BENCH_PACKETS.toLocaleString('en-US')} packets)`);
  const results: BenchResult[] = [];
  const section = async (name: (typeof SECTIONS)[number], measure: () => Promise<BenchResult[]>) => {
    if (!run(name)) return;
    const rows = await measure();
    for (const row of rows) console.log(formatRow(row));
    results.push(...rows);
  };
  await section('reader', () => benchReader(capture));
  await section('decode', () => benchDecode(capture));
  await section('afterimage', () => benchAfterImage(capture));
  await section('kitnet', () => benchKitNET());
  await section('end-to-end', () => benchEndToEnd(capture, DEFAULT_BENCH_PACKETS));
  await section('memory', async () => benchScoreMemory(await ensureSpoofedCapture()));
  mkdirSync(BENCH_CACHE_DIR, { recursive: true });
  const file = path.join(BENCH_CACHE_DIR, 'bench-results.json');
  writeFileSync(file, `${JSON.stringify({ node: process.version, capture, results }, null, 2)}\n`);
  console.log(`\n${table(results)}\nresults written to ${file}`);
}

function formatRow(row: BenchResult): string {
  return `${row.name}: ${formatNumber(row.median)} ${row.unit} (runs: ${row.runs.map(formatNumber).join(', ')})`;
}

function formatNumber(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3);
}

function table(results: readonly BenchResult[]): string {
  const width = Math.max(...results.map((r) => r.name.length));
  const lines = [`${'measure'.padEnd(width)}  ${'median'.padStart(12)}  unit`];
  for (const r of results) lines.push(`${r.name.padEnd(width)}  ${formatNumber(r.median).padStart(12)}  ${r.unit}`);
  return lines.join('\n');
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exitCode = 1;
});
