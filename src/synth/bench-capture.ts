import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchScenario, serverManyClientsScenario } from './bench-scenarios.js';
import { PcapWriter } from './pcap-writer.js';
import { writeSpoofedCapture } from './spoofed-sources.js';
import { SYNTH_VERSION } from './version.js';

/**
 * Cached benchmark captures in .bench-cache/ (git-ignored) at the repository root. Each file name
 * carries the generator version and the size parameters, so a capture is generated once and a
 * stale one is never reused; files are written under a temporary name and renamed when complete.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_CACHE_DIR = path.join(ROOT, '.bench-cache');
export const DEFAULT_BENCH_PACKETS = 1_000_000;
export const DEFAULT_MANY_CLIENTS = 20_000;
export const DEFAULT_SPOOFED_PACKETS = 5_000_000;
export const DEFAULT_SPOOFED_SOURCES = 1_000_000;
const BENCH_SEED = 0xbe7c;
const MANY_CLIENTS_SEED = 0x5e7e;
const SPOOFED_SEED = 0x5900f;

export async function ensureBenchCapture(opts: { packets?: number; dir?: string } = {}): Promise<string> {
  const packets = opts.packets ?? DEFAULT_BENCH_PACKETS;
  return ensure(opts.dir, `bench-v${SYNTH_VERSION}-${packets}.pcap`, (file) => {
    const out = new PcapWriter(file);
    benchScenario(out, packets, BENCH_SEED);
    out.close();
  });
}

export async function ensureServerManyClientsCapture(opts: { clients?: number; dir?: string } = {}): Promise<string> {
  const clients = opts.clients ?? DEFAULT_MANY_CLIENTS;
  return ensure(opts.dir, `server-many-clients-v${SYNTH_VERSION}-c${clients}.pcap`, (file) => {
    const out = new PcapWriter(file);
    serverManyClientsScenario(out, clients, MANY_CLIENTS_SEED);
    out.close();
  });
}

export async function ensureSpoofedCapture(opts: { packets?: number; sources?: number; dir?: string } = {}): Promise<string> {
  const packets = opts.packets ?? DEFAULT_SPOOFED_PACKETS;
  const sources = opts.sources ?? DEFAULT_SPOOFED_SOURCES;
  if (sources > packets) throw new RangeError('spoofed capture: more sources than packets');
  return ensure(opts.dir, `spoofed-sources-v${SYNTH_VERSION}-${packets}-s${sources}.pcap`, (file) =>
    writeSpoofedCapture(file, packets, sources, SPOOFED_SEED),
  );
}

async function ensure(dir: string | undefined, name: string, generate: (file: string) => void): Promise<string> {
  const folder = dir ?? BENCH_CACHE_DIR;
  const file = path.join(folder, name);
  if (existsSync(file)) return file;
  mkdirSync(folder, { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  generate(partial);
  renameSync(partial, file);
  return file;
}
