import { KitNET } from '../kitnet/kitnet.js';
import { MT19937 } from '../kitnet/mt19937.js';

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

export interface BenchResult {
  name: string;
  unit: string;
  runs: number[];
  median: number;
}

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

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `count` packets through kitnet.process() starting at stream row `start`; returns packets/s. */
function timeProcess(kitnet: KitNET, rows: Float64Array[], start: number, count: number): number {
  const begin = performance.now();
  for (let i = 0; i < count; i++) kitnet.process(rows[(start + i) % rows.length]);
  const seconds = (performance.now() - begin) / 1000;
  return count / seconds;
}

export async function benchKitNET(): Promise<BenchResult[]> {
  const rows = syntheticStream();
  const mapRates: number[] = [];
  const trainRates: number[] = [];
  const execRates: number[] = [];
  let autoencoders = 0;
  for (let run = 0; run < RUNS; run++) {
    const kitnet = new KitNET(FEATURES, { maxAE: MAX_AE, fmGrace: FM_GRACE, adGrace: AD_GRACE });
    // The map phase without its last packet (which also clusters, a one-off cost).
    mapRates.push(timeProcess(kitnet, rows, 0, FM_GRACE));
    kitnet.process(rows[FM_GRACE]);
    trainRates.push(timeProcess(kitnet, rows, FM_GRACE + 1, AD_GRACE));
    execRates.push(timeProcess(kitnet, rows, FM_GRACE + AD_GRACE + 1, EXEC_PACKETS));
    autoencoders = kitnet.featureMap?.length ?? 0;
    // Let other work (and the event loop) run between runs.
    await new Promise((resolve) => setImmediate(resolve));
  }
  const shape = `${FEATURES} features, ${autoencoders} autoencoders`;
  const result = (name: string, runs: number[]): BenchResult => ({ name, unit: 'packets/s', runs, median: median(runs) });
  return [
    result(`KitNET feature mapper (${FEATURES} features)`, mapRates),
    result(`KitNET train (${shape})`, trainRates),
    result(`KitNET execute (${shape})`, execRates),
  ];
}
