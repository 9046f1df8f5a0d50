import { KitNET } from '../kitnet/kitnet.js';
import { MT19937 } from '../kitnet/mt19937.js';
import { benchResult, median, type BenchResult } from './result.js';

/**
 * KitNET benchmark: packets/s of the feature-mapper phase, the training phase and the execution phase on
 * 100 features with maxAE 10, single-threaded. The feature stream is synthetic and deterministic, with
 * AfterImage-like structure: features move in correlated groups driven by a few slowly varying latent
 * sources (plus per-feature noise), and some are constant, so the learned map has ~20 autoencoders.
 */

const FEATURES = 100;
const MAX_AE = 10;
const FM_GRACE = 5000;
const AD_GRACE = 20000;
const EXEC_PACKETS = 50000;
const RUNS = 5;
/** Distinct rows generated; the stream cycles through them. */
const STREAM_ROWS = 8192;
const STREAM_SEED = 20180218;
/** Latent sources and how strongly each keeps its last value (AR(1) coefficient). */
const LATENT_SOURCES = 14;
const LATENT_MEMORY = 0.97;
/** Every CONSTANT_EVERY-th feature is constant (like weights of idle streams). */
const CONSTANT_EVERY = 9;
const NOISE_SCALE = 0.05;

/** Row-major STREAM_ROWS x FEATURES synthetic features, as row views. */
function syntheticStream(): Float64Array[] {
  const rng = new MT19937(STREAM_SEED);
  const source = new Int32Array(FEATURES);
  const scale = new Float64Array(FEATURES);
  const offset = new Float64Array(FEATURES);
  for (let f = 0; f < FEATURES; f++) {
    // Contiguous blocks of uneven size share a source, as AfterImage's per-window groups do.
    source[f] = Math.min(LATENT_SOURCES - 1, Math.floor((f * f) / ((FEATURES * FEATURES) / LATENT_SOURCES)));
    scale[f] = 1 + 1000 * rng.nextDouble();
    offset[f] = 100 * rng.nextDouble();
  }
  const latent = new Float64Array(LATENT_SOURCES);
  const data = new Float64Array(STREAM_ROWS * FEATURES);
  const rows: Float64Array[] = [];
  for (let t = 0; t < STREAM_ROWS; t++) {
    for (let s = 0; s < LATENT_SOURCES; s++) latent[s] = LATENT_MEMORY * latent[s] + (rng.nextDouble() - 0.5);
    const row = data.subarray(t * FEATURES, (t + 1) * FEATURES);
    for (let f = 0; f < FEATURES; f++) {
      row[f] =
        f % CONSTANT_EVERY === 0
          ? offset[f]
          : offset[f] + scale[f] * (latent[source[f]] + NOISE_SCALE * (rng.nextDouble() - 0.5));
    }
    rows.push(row);
  }
  return rows;
}

const MS_PER_S = 1000;
const US_PER_S = 1e6;

interface Rates {
  wall: number[];
  /** Rates by this process's CPU time: steadier than wall time on a shared machine. */
  cpu: number[];
}

function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / US_PER_S;
}

/** Runs `count` packets through kitnet.process() from stream row `start`, recording packets/s. */
function timeProcess(kitnet: KitNET, rows: Float64Array[], start: number, count: number, rates: Rates): void {
  const wallStart = performance.now();
  const cpuStart = cpuSeconds();
  for (let i = 0; i < count; i++) kitnet.process(rows[(start + i) % rows.length]);
  rates.cpu.push(count / (cpuSeconds() - cpuStart));
  rates.wall.push(count / ((performance.now() - wallStart) / MS_PER_S));
}

export async function benchKitNET(): Promise<BenchResult[]> {
  const rows = syntheticStream();
  const mapRates: Rates = { wall: [], cpu: [] };
  const trainRates: Rates = { wall: [], cpu: [] };
  const execRates: Rates = { wall: [], cpu: [] };
  let autoencoders = 0;
  for (let run = 0; run < RUNS; run++) {
    const kitnet = new KitNET(FEATURES, { maxAE: MAX_AE, fmGrace: FM_GRACE, adGrace: AD_GRACE });
    // The map phase without its last packet (which also clusters, a one-off cost).
    timeProcess(kitnet, rows, 0, FM_GRACE, mapRates);
    kitnet.process(rows[FM_GRACE]);
    timeProcess(kitnet, rows, FM_GRACE + 1, AD_GRACE, trainRates);
    timeProcess(kitnet, rows, FM_GRACE + AD_GRACE + 1, EXEC_PACKETS, execRates);
    autoencoders = kitnet.featureMap?.length ?? 0;
    // Let other work (and the event loop) run between runs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const shape = `${FEATURES} features, ${autoencoders} autoencoders`;
  const result = (name: string, rates: Rates): BenchResult =>
    benchResult(name, 'packets/s', rates.wall, { autoencoders, cpuTimeMedian: Math.round(median(rates.cpu)) });
  return [
    result(`KitNET feature mapper (${FEATURES} features)`, mapRates),
    result(`KitNET train (${shape})`, trainRates),
    result(`KitNET execute (${shape})`, execRates),
  ];
}
