import { parentPort, workerData } from 'node:worker_threads';
import {
  BatchViews,
  CONTROL_FAILED,
  CONTROL_STOP,
  PHASE_CODE_EXEC,
  PHASE_CODE_TRAIN,
  errorOffsets,
  type BatchBuffers,
  type BatchLayout,
} from './batch-layout.js';
import { KitNET, type KitNETModel } from './kitnet.js';
import { Decision, type DecisionState } from '../detect/decision.js';
import { writeScoreCells } from '../output/score-cells.js';

/** How long a blocked worker sleeps before it looks at the stop flag again. */
const STOP_CHECK_MS = 20;

/** What kitnet/parallel.ts hands each worker. */
export interface EnsembleWorkerData {
  model: KitNETModel;
  layout: BatchLayout;
  buffers: BatchBuffers;
  /** This worker's number; worker 0 also runs the output layer. */
  worker: number;
  workers: number;
  /** The ensemble autoencoders this worker trains and executes. */
  owned: number[];
  /** Worker 0 continues the detection step from this state. */
  decision: DecisionState;
  /** Byte between the formatted cells (TSV tab or CSV comma); -1: no cells wanted. */
  cellSeparator: number;
}

/**
 * An ensemble worker (paper section IV-C: the ensemble layer's autoencoders are independent of each
 * other, in training too). It runs its autoencoders over each batch in order, packet by packet; worker 0
 * then waits for the others and runs the output layer over the batch, which decides every packet's
 * phase and score exactly as KitNET.process would, then the detection step (detect/decision.ts) and,
 * if asked, formats the row's last cells, so that the reading thread has less to do per packet.
 * Blocking loop on Atomics: no event per batch.
 */
function run(data: EnsembleWorkerData): void {
  const kitnet = KitNET.fromJSON(data.model);
  const views = new BatchViews(data.layout, data.buffers);
  const { control, scores, phases, logp, alerts, cells, cellLengths } = views;
  const decision = Decision.fromState(data.decision);
  const { cellBytes } = data.layout;
  const { slots } = data.layout;
  const featureRows = views.featureRows();
  const rmseRows = views.rmseRows();
  const trainUntil = data.model.fmGrace + data.model.adGrace;
  const output = kitnet.outputLayer as NonNullable<KitNET['outputLayer']>;
  // Parallel arrays, walked by index in the packet loop (no iterator per packet).
  const ownedK = data.owned;
  const ownedAe = ownedK.map((k) => kitnet.autoencoder(k));
  const ownedIndex = ownedK.map((k) => kitnet.inputIndex(k));
  const ownedCount = ownedK.length;
  // --explain: each executed packet's reconstruction errors go to shared memory for the reading thread.
  const errorRows = data.layout.errorWidth > 0 ? views.errorRows() : null;
  const offsets = errorOffsets(data.model.featureMap as number[][]);
  const ownedOffset = ownedK.map((k) => offsets[k]);
  let trained = data.model.trained;
  for (let sequence = 1; ; sequence++) {
    const slot = (sequence - 1) % slots;
    if (!waitFor(control, views.readyWord(slot), sequence)) break;
    const count = control[views.countWord(slot)];
    let batchTrained = trained;
    for (let p = 0; p < count; p++) {
      const packet = views.packet(slot, p);
      const x = featureRows[packet];
      const rmse = rmseRows[packet];
      const training = batchTrained <= trainUntil;
      for (let o = 0; o < ownedCount; o++) {
        if (training) ownedAe[o].trainFeatures(x, ownedIndex[o], rmse, ownedK[o]);
        else {
          ownedAe[o].executeFeatures(x, ownedIndex[o], rmse, ownedK[o]);
          if (errorRows !== null) errorRows[packet].set(ownedAe[o].errors, ownedOffset[o]);
        }
      }
      if (training) batchTrained++;
    }
    if (data.worker !== 0) {
      Atomics.add(control, views.partsDoneWord(slot), 1);
      Atomics.notify(control, views.partsDoneWord(slot));
      trained = batchTrained;
      continue;
    }
    if (!waitFor(control, views.partsDoneWord(slot), data.workers - 1)) break;
    control[views.partsDoneWord(slot)] = 0;
    for (let p = 0; p < count; p++) {
      const packet = views.packet(slot, p);
      const rmse = rmseRows[packet];
      if (trained <= trainUntil) {
        // KitNET.process returns 0 while training (Kitsune-py), though the output layer trains.
        output.train(rmse);
        scores[packet] = 0;
        phases[packet] = PHASE_CODE_TRAIN;
        trained++;
        decision.decide('train', 0);
      } else {
        const score = output.execute(rmse);
        scores[packet] = score;
        phases[packet] = PHASE_CODE_EXEC;
        decision.decide('exec', score);
      }
      logp[packet] = decision.logp;
      alerts[packet] = decision.alert;
      if (data.cellSeparator >= 0) {
        const at = packet * cellBytes;
        const end = writeScoreCells(cells, at, data.cellSeparator, decision.rmse, decision.phase, decision.logp, decision.alert);
        cellLengths[packet] = end - at;
      }
    }
    Atomics.store(control, views.finishedWord(slot), sequence);
    Atomics.notify(control, views.finishedWord(slot));
  }
  parentPort?.postMessage({
    worker: data.worker,
    ensemble: data.owned.map((k) => ({ k, model: kitnet.autoencoder(k).toJSON() })),
    outputLayer: data.worker === 0 ? output.toJSON() : null,
    decision: data.worker === 0 ? decision.toState() : null,
  });

  /**
   * Blocks until control[word] === value; false when told to stop first. The wait is sliced: a stop
   * signalled between the check and the wait (which watches another word) is seen at the next slice.
   */
  function waitFor(words: Int32Array, word: number, value: number): boolean {
    for (;;) {
      const current = Atomics.load(words, word);
      if (current === value) return true;
      if (Atomics.load(words, CONTROL_STOP) !== 0) return false;
      Atomics.wait(words, word, current, STOP_CHECK_MS);
    }
  }
}

try {
  run(workerData as EnsembleWorkerData);
} catch (error) {
  const data = workerData as EnsembleWorkerData;
  const control = new Int32Array(data.buffers.control);
  Atomics.store(control, CONTROL_FAILED, 1);
  Atomics.notify(control, CONTROL_FAILED);
  throw error;
}
