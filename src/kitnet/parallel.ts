import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  allocateBatchBuffers,
  BatchViews,
  CONTROL_FAILED,
  CONTROL_STOP,
  errorOffsets,
  PHASE_CODE_TRAIN,
  type BatchLayout,
} from './batch-layout.js';
import type { EnsembleWorkerData } from './ensemble-worker.js';
import { KitNET, type KitNETModel, type Phase } from './kitnet.js';
import type { AutoencoderModel } from './autoencoder.js';
import type { DecisionState } from '../detect/decision.js';
import { explainExecution, type Explanation } from '../detect/explanation.js';
import { SCORE_CELLS_MAX_BYTES } from '../output/score-cells.js';

/** Packets per batch: large enough that a batch's synchronisation costs little per packet. */
export const BATCH_SIZE = 512;
/** Batches in flight: the main thread fills one while the workers score the others. */
export const PARALLEL_SLOTS = 4;
const SLOTS = PARALLEL_SLOTS;
/** How long one blocking wait lasts before the failure flag is checked again. */
const WAIT_SLICE_MS = 1000;

/**
 * The compiled worker. Tests run this module from the TypeScript sources, where only the compiled
 * worker in dist/ can be started (the test setup compiles it first).
 */
function workerUrl(): URL {
  const beside = new URL('./ensemble-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  return new URL('../../dist/kitnet/ensemble-worker.js', import.meta.url);
}

/** Options a worker must not inherit: a script given to `node -e`/`-p` would run again in it. */
const NOT_FOR_WORKERS = /^--(eval|print|input-type)(=|$)/;

/** Node's error for options a worker refuses (V8 flags such as --trace-gc). */
const INVALID_EXEC_ARGV = 'ERR_WORKER_INVALID_EXEC_ARGV';

/** The process's Node options passed on to workers (profiling, ...); narrowed once if refused. */
let workerArgv: string[] | undefined;

function inheritedExecArgv(): string[] {
  workerArgv ??= process.execArgv.filter((arg) => arg.startsWith('--') && !NOT_FOR_WORKERS.test(arg));
  return workerArgv;
}

/** Whether a worker accepts `arg` (a throwaway worker that is stopped at once). */
function acceptedByWorkers(arg: string): boolean {
  try {
    void new Worker('', { eval: true, execArgv: [arg] }).terminate();
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === INVALID_EXEC_ARGV) return false;
    throw error;
  }
}

/**
 * A worker with the inherited options; if Node refuses some of them (it rejects V8 flags in
 * workers), the refused ones are dropped, for this and later workers.
 */
function startWorker(data: EnsembleWorkerData): Worker {
  try {
    return new Worker(workerUrl(), { workerData: data, execArgv: inheritedExecArgv() });
  } catch (error) {
    if ((error as { code?: unknown }).code !== INVALID_EXEC_ARGV) throw error;
    workerArgv = inheritedExecArgv().filter(acceptedByWorkers);
    return new Worker(workerUrl(), { workerData: data, execArgv: workerArgv });
  }
}

/**
 * KitNET's training and execution phases on worker threads, over shared memory, in batches
 * (issue: 300,000 packets/s end to end). The ensemble layer's autoencoders are split between the
 * workers; worker 0 also runs the output layer. Packets keep their order and every score is the one
 * KitNET.process gives, bit for bit: each autoencoder sees the same inputs in the same order.
 *
 * Worker 0 also continues the detection step (detect/decision.ts) from the given state and, with a
 * cell separator, formats each row's last cells (output/score-cells.ts). With `explain`, the workers
 * also hand back each executed packet's reconstruction errors, so that a result can be explained
 * (detect/explanation.ts) as the single-threaded Detector.explain would.
 *
 * Use: write a packet's features into `nextFeatures()`, then `commit()`; results come back in order
 * through `drain(onResult, wait)`. The feature mapper phase stays on the calling thread: start this
 * once the map exists.
 */
export class ParallelKitNET {
  private readonly views: BatchViews;
  private readonly featureRows: Float64Array[];
  private readonly workers: Worker[];
  private readonly results: Promise<WorkerResult>[];
  private readonly base: KitNETModel;
  private trained: number;
  private executed: number;
  /** Sequence number of the batch being filled (1-based) and its packet count. */
  private filling = 1;
  private filled = 0;
  /** Oldest batch whose results have not been delivered yet. */
  private delivering = 1;
  private failure: Error | undefined;
  /** Handed to every onResult call, refilled each time (no object per packet). */
  private readonly result: ParallelResult;

  /** `cellSeparator`: the byte between formatted cells (tab, comma), or -1 for no formatted cells. */
  constructor(kitnet: KitNET, workerCount: number, decision: DecisionState, cellSeparator: number, explain = false) {
    const model = kitnet.toJSON();
    if (model.featureMap === null) throw new Error('ParallelKitNET needs a feature map');
    this.base = model;
    this.trained = model.trained;
    this.executed = model.executed;
    const layout: BatchLayout = {
      slots: SLOTS,
      batchSize: BATCH_SIZE,
      nFeatures: model.nFeatures,
      nAutoencoders: model.featureMap.length,
      cellBytes: cellSeparator >= 0 ? SCORE_CELLS_MAX_BYTES : 0,
      errorWidth: explain ? model.featureMap.reduce((sum, inputs) => sum + inputs.length, 0) : 0,
    };
    const buffers = allocateBatchBuffers(layout);
    this.views = new BatchViews(layout, buffers);
    this.featureRows = this.views.featureRows();
    this.result = new ParallelResult(this.views, model.featureMap);
    const count = Math.max(1, Math.min(workerCount, layout.nAutoencoders));
    const owned = balance(model.featureMap, count);
    this.workers = owned.map((autoencoders, worker) => {
      const data: EnsembleWorkerData = { model, layout, buffers, worker, workers: count, owned: autoencoders, decision, cellSeparator };
      return startWorker(data);
    });
    this.results = this.workers.map(
      (worker) =>
        new Promise<WorkerResult>((resolve, reject) => {
          worker.once('message', (message: WorkerResult) => resolve(message));
          worker.once('error', (error) => {
            this.failure = error;
            reject(error);
          });
        }),
    );
    for (const result of this.results) result.catch(() => undefined);
  }

  /** The batch slot and position the next committed packet will have (results come back with them). */
  next(): { slot: number; position: number } {
    this.position.slot = this.slotOf(this.filling);
    this.position.position = this.filled;
    return this.position;
  }

  private readonly position = { slot: 0, position: 0 };

  /** Where the next packet's features go (a view into shared memory). */
  nextFeatures(): Float64Array {
    return this.featureRows[this.views.packet(this.slotOf(this.filling), this.filled)];
  }

  /** The packet whose features were just written is complete; a full batch goes to the workers. */
  commit(onResult: ResultHandler): void {
    this.filled++;
    if (this.filled === BATCH_SIZE) this.dispatch(onResult);
  }

  /** Sends a partly filled batch now (a slow live input must not wait for a full one). */
  flush(onResult: ResultHandler): void {
    if (this.filled > 0) this.dispatch(onResult);
  }

  /**
   * Delivers, in packet order, the results of every finished batch; with `wait`, waits for all
   * dispatched batches. Each result: its position in commit order within the batch, phase, score.
   */
  drain(onResult: ResultHandler, wait: boolean): void {
    while (this.delivering < this.filling) {
      const slot = this.slotOf(this.delivering);
      const word = this.views.finishedWord(slot);
      if (Atomics.load(this.views.control, word) !== this.delivering) {
        if (!wait) return;
        this.block(word, this.delivering);
      }
      const { control, phases, scores, logp, alerts, cellLengths, layout } = this.views;
      const count = control[this.views.countWord(slot)];
      const result = this.result;
      for (let p = 0; p < count; p++) {
        const packet = this.views.packet(slot, p);
        const phase: Phase = phases[packet] === PHASE_CODE_TRAIN ? 'train' : 'exec';
        if (phase === 'train') this.trained++;
        else this.executed++;
        result.phase = phase;
        result.rmse = scores[packet];
        result.logp = logp[packet];
        result.alert = alerts[packet];
        result.cellsStart = packet * layout.cellBytes;
        result.cellsLength = layout.cellBytes > 0 ? cellLengths[packet] : -1;
        result.packet = packet;
        onResult(result, slot, p);
      }
      this.delivering++;
    }
  }

  /**
   * Stops the workers; returns a KitNET holding their autoencoders (for saving a model) and the
   * detection step's state after the last packet.
   */
  async finish(onResult: ResultHandler): Promise<{ kitnet: KitNET; decision: DecisionState }> {
    this.flush(onResult);
    this.drain(onResult, true);
    this.stop();
    const results = await Promise.all(this.results);
    const ensemble: AutoencoderModel[] = [...this.base.ensemble];
    let outputLayer = this.base.outputLayer;
    let decision: DecisionState | null = null;
    for (const result of results) {
      for (const { k, model } of result.ensemble) ensemble[k] = model;
      if (result.outputLayer) outputLayer = result.outputLayer;
      decision ??= result.decision;
    }
    const kitnet = KitNET.fromJSON({ ...this.base, trained: this.trained, executed: this.executed, ensemble, outputLayer });
    return { kitnet, decision: decision as DecisionState };
  }

  private dispatch(onResult: ResultHandler): void {
    const slot = this.slotOf(this.filling);
    const { control } = this.views;
    control[this.views.countWord(slot)] = this.filled;
    Atomics.store(control, this.views.readyWord(slot), this.filling);
    Atomics.notify(control, this.views.readyWord(slot));
    this.filling++;
    this.filled = 0;
    // The next slot must be free before the main thread writes into it.
    if (this.filling - this.delivering >= SLOTS) this.drainOldest(onResult);
  }

  private drainOldest(onResult: ResultHandler): void {
    const target = this.filling - SLOTS + 1;
    while (this.delivering < target) {
      this.block(this.views.finishedWord(this.slotOf(this.delivering)), this.delivering);
      this.drain(onResult, false);
    }
  }

  private block(word: number, sequence: number): void {
    const { control } = this.views;
    for (;;) {
      const current = Atomics.load(control, word);
      if (current === sequence) return;
      if (Atomics.load(control, CONTROL_FAILED) !== 0 || this.failure) {
        this.stop();
        throw new Error(`a KitNET worker failed${this.failure ? `: ${this.failure.message}` : ''}`);
      }
      Atomics.wait(control, word, current, WAIT_SLICE_MS);
    }
  }

  private stop(): void {
    const { control } = this.views;
    Atomics.store(control, CONTROL_STOP, 1);
    for (let slot = 0; slot < SLOTS; slot++) {
      Atomics.notify(control, this.views.readyWord(slot));
      Atomics.notify(control, this.views.partsDoneWord(slot));
    }
  }

  private slotOf(sequence: number): number {
    return (sequence - 1) % SLOTS;
  }
}

/**
 * One packet's results: KitNET's, the detection step's, and where its formatted cells are in `cells`.
 * One object, refilled for each packet.
 */
export class ParallelResult {
  phase: Phase = 'train';
  rmse = 0;
  logp = Number.NaN;
  alert = 0;
  readonly cells: Uint8Array;
  cellsStart = 0;
  /** -1 when no cells were formatted. */
  cellsLength = -1;
  /** The packet's index in the batch arrays. */
  packet = 0;
  private readonly rmseRows: Float64Array[];
  private readonly errorRows: Float64Array[];
  private readonly offsets: Int32Array;

  constructor(
    views: BatchViews,
    private readonly featureMap: readonly (readonly number[])[],
  ) {
    this.cells = views.cells;
    this.rmseRows = views.rmseRows();
    this.errorRows = views.errorRows();
    this.offsets = errorOffsets(featureMap);
  }

  /** The explanation of this executed packet (ParallelKitNET made with `explain`). */
  explain(featureNames: readonly string[]): Explanation {
    const errors = this.errorRows[this.packet];
    if (errors.length === 0) throw new Error('ParallelKitNET was made without explain');
    const errorsOf = (k: number) => errors.subarray(this.offsets[k], this.offsets[k] + this.featureMap[k].length);
    return explainExecution(this.rmseRows[this.packet], errorsOf, this.featureMap, featureNames);
  }
}

/** Receives each packet's results (a reused object: read it during the call) with its batch slot and position. */
export type ResultHandler = (result: ParallelResult, slot: number, position: number) => void;

interface WorkerResult {
  worker: number;
  ensemble: { k: number; model: AutoencoderModel }[];
  outputLayer: AutoencoderModel | null;
  decision: DecisionState | null;
}

/**
 * Splits the autoencoders between workers so that each gets about the same work (the cost of an
 * autoencoder grows with n_visible²): largest first, each to the least loaded worker; ties by number.
 */
function balance(featureMap: readonly number[][], workers: number): number[][] {
  const owned: number[][] = Array.from({ length: workers }, () => []);
  const load = new Float64Array(workers);
  const order = featureMap.map((_, k) => k).sort((a, b) => featureMap[b].length - featureMap[a].length || a - b);
  for (const k of order) {
    let lightest = 0;
    for (let w = 1; w < workers; w++) if (load[w] < load[lightest]) lightest = w;
    owned[lightest].push(k);
    load[lightest] += featureMap[k].length ** 2;
  }
  for (const list of owned) list.sort((a, b) => a - b);
  return owned;
}
