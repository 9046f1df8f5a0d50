/**
 * The shared memory between the main thread and the ensemble workers (kitnet/parallel.ts): a ring
 * of `slots` batches of up to `batchSize` packets. Per batch: the feature vectors (written by the
 * main thread), the ensemble layer's RMSE per autoencoder (written by the worker that owns it), and
 * the phase and score per packet (written by worker 0, which runs the output layer), and from the
 * detection step, also on worker 0: log-probability, alert and the row's last cells as bytes; for
 * `--explain`, each executed packet's per-input squared reconstruction errors of every autoencoder
 * (written by its owner, autoencoder k's at errorOffsets(featureMap)[k]).
 * Control words (Int32, for Atomics): sequence numbers, so a slot is never mistaken for an older use.
 */
export interface BatchLayout {
  slots: number;
  batchSize: number;
  nFeatures: number;
  nAutoencoders: number;
  /** Bytes per packet for its formatted cells (0: none). */
  cellBytes: number;
  /** Reconstruction errors per packet: the ensemble's total input count, or 0 for none. */
  errorWidth: number;
}

/** Where each ensemble autoencoder's errors start in a packet's row of errors (its inputs, in map order). */
export function errorOffsets(featureMap: readonly (readonly number[])[]): Int32Array {
  const offsets = new Int32Array(featureMap.length);
  for (let k = 1; k < featureMap.length; k++) offsets[k] = offsets[k - 1] + featureMap[k - 1].length;
  return offsets;
}

/** Control words: STOP, FAILED, then per slot: packet count, ready sequence, finished sequence, parts done. */
export const CONTROL_STOP = 0;
export const CONTROL_FAILED = 1;
const CONTROL_HEADER = 2;
const CONTROL_PER_SLOT = 4;
const SLOT_COUNT = 0;
const SLOT_READY = 1;
const SLOT_FINISHED = 2;
const SLOT_PARTS_DONE = 3;

/** Phase codes in the shared `phase` array. */
export const PHASE_CODE_TRAIN = 1;
export const PHASE_CODE_EXEC = 2;

export interface BatchBuffers {
  control: SharedArrayBuffer;
  features: SharedArrayBuffer;
  ensembleRmse: SharedArrayBuffer;
  scores: SharedArrayBuffer;
  phases: SharedArrayBuffer;
  logp: SharedArrayBuffer;
  alerts: SharedArrayBuffer;
  cells: SharedArrayBuffer;
  cellLengths: SharedArrayBuffer;
  errors: SharedArrayBuffer;
}

export function allocateBatchBuffers(layout: BatchLayout): BatchBuffers {
  const packets = layout.slots * layout.batchSize;
  return {
    control: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (CONTROL_HEADER + CONTROL_PER_SLOT * layout.slots)),
    features: new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * packets * layout.nFeatures),
    ensembleRmse: new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * packets * layout.nAutoencoders),
    scores: new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * packets),
    phases: new SharedArrayBuffer(packets),
    logp: new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * packets),
    alerts: new SharedArrayBuffer(Int8Array.BYTES_PER_ELEMENT * packets),
    cells: new SharedArrayBuffer(packets * layout.cellBytes),
    cellLengths: new SharedArrayBuffer(Uint16Array.BYTES_PER_ELEMENT * packets),
    errors: new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT * packets * layout.errorWidth),
  };
}

/** Typed views over the buffers, and the addresses of each slot's control words. */
export class BatchViews {
  readonly control: Int32Array;
  readonly features: Float64Array;
  readonly ensembleRmse: Float64Array;
  readonly scores: Float64Array;
  readonly phases: Uint8Array;
  readonly logp: Float64Array;
  readonly alerts: Int8Array;
  readonly cells: Uint8Array;
  readonly cellLengths: Uint16Array;
  readonly errors: Float64Array;

  constructor(
    readonly layout: BatchLayout,
    buffers: BatchBuffers,
  ) {
    this.control = new Int32Array(buffers.control);
    this.features = new Float64Array(buffers.features);
    this.ensembleRmse = new Float64Array(buffers.ensembleRmse);
    this.scores = new Float64Array(buffers.scores);
    this.phases = new Uint8Array(buffers.phases);
    this.logp = new Float64Array(buffers.logp);
    this.alerts = new Int8Array(buffers.alerts);
    this.cells = new Uint8Array(buffers.cells);
    this.cellLengths = new Uint16Array(buffers.cellLengths);
    this.errors = new Float64Array(buffers.errors);
  }

  countWord(slot: number): number {
    return CONTROL_HEADER + CONTROL_PER_SLOT * slot + SLOT_COUNT;
  }

  readyWord(slot: number): number {
    return CONTROL_HEADER + CONTROL_PER_SLOT * slot + SLOT_READY;
  }

  finishedWord(slot: number): number {
    return CONTROL_HEADER + CONTROL_PER_SLOT * slot + SLOT_FINISHED;
  }

  partsDoneWord(slot: number): number {
    return CONTROL_HEADER + CONTROL_PER_SLOT * slot + SLOT_PARTS_DONE;
  }

  /** Per packet position, views of its features and of its ensemble RMSEs (made once: no view per packet). */
  featureRows(): Float64Array[] {
    return rowViews(this.features, this.layout.nFeatures, this.layout.slots * this.layout.batchSize);
  }

  rmseRows(): Float64Array[] {
    return rowViews(this.ensembleRmse, this.layout.nAutoencoders, this.layout.slots * this.layout.batchSize);
  }

  errorRows(): Float64Array[] {
    return rowViews(this.errors, this.layout.errorWidth, this.layout.slots * this.layout.batchSize);
  }

  /** Index of packet `position` of `slot` in the per-packet arrays. */
  packet(slot: number, position: number): number {
    return slot * this.layout.batchSize + position;
  }
}

function rowViews(data: Float64Array, width: number, rows: number): Float64Array[] {
  return Array.from({ length: rows }, (_, row) => data.subarray(row * width, (row + 1) * width));
}
