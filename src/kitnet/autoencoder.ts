import { accumulateVectorTimesMatrix, matrixTimesVectorPlus } from './dense.js';
import { executeKernel, type ExecuteKernel } from './unrolled-kernels.js';
import { NORM_EPSILON } from './normalization.js';
import { MT19937 } from './mt19937.js';
import {
  decodeCount,
  decodeFinite,
  decodeNumbers,
  decodeObject,
  encodeNumbers,
  ModelError,
  type ModelNumber,
} from './model-numbers.js';
import { sigmoidInPlace } from './sigmoid.js';

/**
 * One autoencoder of KitNET (paper section IV-D; Kitsune-py KitNET/dA.py `dA`): a tied-weight autoencoder
 * with n_visible inputs and n_hidden = ceil(hiddenRatio * n_visible) hidden units, trained online by SGD.
 *
 * Initial state as Kitsune-py: a fresh numpy RandomState(1234) per autoencoder draws
 * W (n_visible x n_hidden, row-major) = uniform(-1/n_visible, 1/n_visible); biases 0; decoder weights W^T.
 * train(x): max = max(max, x), min = min(min, x) first; x = (x - min) / (max - min + 1e-16);
 *   y = sigmoid(x W + hb); z = sigmoid(y W^T + vb); e = x - z; d = (e W) * y * (1 - y);
 *   W += lr (outer(x, d) + outer(e, y)); hb += lr d; vb += lr e; returns sqrt(mean(e^2)) (before the update).
 * execute(x): the same normalisation with the stored min/max, returns the reconstruction RMSE.
 *
 * All state lives in this object's own typed arrays (so one autoencoder can run anywhere, e.g. on a worker
 * thread, from its toJSON()); calls allocate nothing. The products (dense.ts) sum in another order than
 * numpy's BLAS, which moves scores by ~1e-15 relative. execute() runs an unrolled kernel for its shape
 * (unrolled-kernels.ts) that gives the loops' results bit for bit.
 */

/** Kitsune-py seeds every autoencoder's RandomState with 1234. */
const WEIGHT_SEED = 1234;

/** n_hidden for n_visible inputs (Kitsune-py: int(numpy.ceil(n_visible * hiddenRatio))). */
export function hiddenSize(nVisible: number, hiddenRatio: number): number {
  return Math.ceil(nVisible * hiddenRatio);
}

export interface AutoencoderModel {
  nVisible: number;
  nHidden: number;
  learningRate: number;
  /** dA.n: the number of training calls. */
  trained: number;
  /** n_visible x n_hidden, row-major. */
  weights: ModelNumber[];
  hiddenBias: ModelNumber[];
  visibleBias: ModelNumber[];
  normMin: ModelNumber[];
  normMax: ModelNumber[];
}

export class Autoencoder {
  readonly nVisible: number;
  readonly nHidden: number;
  readonly learningRate: number;
  /** dA.n: the number of training calls. */
  trained = 0;
  readonly weights: Float64Array;
  readonly hiddenBias: Float64Array;
  readonly visibleBias: Float64Array;
  readonly normMin: Float64Array;
  readonly normMax: Float64Array;
  /** Per-input squared reconstruction errors (x - z)^2 of the last train()/execute(). */
  readonly errors: Float64Array;
  private readonly normalized: Float64Array;
  private readonly residual: Float64Array;
  private readonly reconstruction: Float64Array;
  private readonly hidden: Float64Array;
  /** 0, 1, ..., nVisible - 1: the input index of train() and execute(). */
  private readonly identity: Int32Array;
  /** Holds train()/execute()'s result. */
  private readonly result = new Float64Array(1);
  private readonly hiddenError: Float64Array;
  /** The unrolled execute step for this shape (unrolled-kernels.ts), null for large shapes. */
  private readonly kernel: ExecuteKernel | null;
  private readonly kernelScratch: Float64Array;

  /** A fresh autoencoder in Kitsune-py's initial state (nHidden: see hiddenSize()). */
  constructor(nVisible: number, nHidden: number, learningRate: number) {
    this.nVisible = nVisible;
    this.nHidden = nHidden;
    this.learningRate = learningRate;
    const limit = 1 / nVisible;
    this.weights = new MT19937(WEIGHT_SEED).uniform(-limit, limit, new Float64Array(nVisible * this.nHidden));
    this.hiddenBias = new Float64Array(this.nHidden);
    this.visibleBias = new Float64Array(nVisible);
    this.normMin = new Float64Array(nVisible).fill(Infinity);
    this.normMax = new Float64Array(nVisible).fill(-Infinity);
    this.identity = Int32Array.from({ length: nVisible }, (_, i) => i);
    this.errors = new Float64Array(nVisible);
    this.normalized = new Float64Array(nVisible);
    this.residual = new Float64Array(nVisible);
    this.reconstruction = new Float64Array(nVisible);
    this.hidden = new Float64Array(this.nHidden);
    this.hiddenError = new Float64Array(this.nHidden);
    this.kernel = executeKernel(nVisible, this.nHidden);
    this.kernelScratch = new Float64Array(Math.max(nVisible, this.nHidden));
  }

  /** One SGD step on x (length nVisible); returns the RMSE of the reconstruction before the step. */
  train(x: Float64Array): number {
    this.trainFeatures(x, this.identity, this.result, 0);
    return this.result[0];
  }

  /** Reconstruction RMSE of x (length nVisible) with the current weights and stored min/max. */
  execute(x: Float64Array): number {
    this.executeFeatures(x, this.identity, this.result, 0);
    return this.result[0];
  }

  /**
   * train() on the input x[index[0]], x[index[1]], ... (the ensemble layer picks its cluster's features
   * from the whole vector), writing the RMSE to out[slot]: no double crosses a call boundary, so
   * nothing is boxed on the hot path.
   */
  trainFeatures(x: Float64Array, index: Int32Array, out: Float64Array, slot: number): void {
    const nv = this.nVisible;
    const nh = this.nHidden;
    const min = this.normMin;
    const max = this.normMax;
    const xn = this.normalized;
    this.trained++;
    for (let i = 0; i < nv; i++) {
      const xi = x[index[i]];
      // numpy's masked updates (max[x > max] = x): a NaN compares false and never moves min/max.
      if (xi > max[i]) max[i] = xi;
      if (xi < min[i]) min[i] = xi;
      xn[i] = (xi - min[i]) / (max[i] - min[i] + NORM_EPSILON);
    }
    this.encode();
    this.decode();
    out[slot] = this.reconstructionError();

    const w = this.weights;
    const y = this.hidden;
    const e = this.residual;
    const g = this.hiddenError;
    // g = (e W) * y * (1 - y), with the weights before the update.
    for (let j = 0; j < nh; j++) g[j] = 0;
    accumulateVectorTimesMatrix(e, w, nv, nh, g);
    for (let j = 0; j < nh; j++) g[j] = g[j] * y[j] * (1 - y[j]);

    const lr = this.learningRate;
    const vb = this.visibleBias;
    for (let i = 0, row = 0; i < nv; i++, row += nh) {
      const xi = xn[i];
      const ei = e[i];
      for (let j = 0; j < nh; j++) w[row + j] += lr * (xi * g[j] + ei * y[j]);
      vb[i] += lr * ei;
    }
    const hb = this.hiddenBias;
    for (let j = 0; j < nh; j++) hb[j] += lr * g[j];
  }

  /** execute() on the input x[index[0]], x[index[1]], ..., writing the RMSE to out[slot]. */
  executeFeatures(x: Float64Array, index: Int32Array, out: Float64Array, slot: number): void {
    const kernel = this.kernel;
    if (kernel !== null) {
      kernel(x, index, this.normMin, this.normMax, this.weights, this.hiddenBias, this.visibleBias, this.errors, this.kernelScratch, out, slot);
      return;
    }
    const nv = this.nVisible;
    const min = this.normMin;
    const max = this.normMax;
    const xn = this.normalized;
    for (let i = 0; i < nv; i++) xn[i] = (x[index[i]] - min[i]) / (max[i] - min[i] + NORM_EPSILON);
    this.encode();
    this.decode();
    out[slot] = this.reconstructionError();
  }

  /** hidden = sigmoid(normalized W + hb). */
  private encode(): void {
    const y = this.hidden;
    const hb = this.hiddenBias;
    // A loop, not y.set(hb): for a few elements the builtin call costs more than the copy.
    for (let j = 0; j < this.nHidden; j++) y[j] = hb[j];
    accumulateVectorTimesMatrix(this.normalized, this.weights, this.nVisible, this.nHidden, y);
    sigmoidInPlace(y, this.nHidden);
  }

  /** reconstruction = sigmoid(hidden W^T + vb). */
  private decode(): void {
    const z = this.reconstruction;
    matrixTimesVectorPlus(this.weights, this.hidden, this.visibleBias, this.nVisible, this.nHidden, z);
    sigmoidInPlace(z, this.nVisible);
  }

  /** e = normalized - reconstruction, errors = e^2; returns sqrt(mean(e^2)). */
  private reconstructionError(): number {
    const nv = this.nVisible;
    const xn = this.normalized;
    const z = this.reconstruction;
    const e = this.residual;
    const errors = this.errors;
    let errorSum = 0;
    for (let i = 0; i < nv; i++) {
      const ei = xn[i] - z[i];
      e[i] = ei;
      const sq = ei * ei;
      errors[i] = sq;
      errorSum += sq;
    }
    return Math.sqrt(errorSum / nv);
  }

  toJSON(): AutoencoderModel {
    return {
      nVisible: this.nVisible,
      nHidden: this.nHidden,
      learningRate: this.learningRate,
      trained: this.trained,
      weights: encodeNumbers(this.weights),
      hiddenBias: encodeNumbers(this.hiddenBias),
      visibleBias: encodeNumbers(this.visibleBias),
      normMin: encodeNumbers(this.normMin),
      normMax: encodeNumbers(this.normMax),
    };
  }

  /** Rebuilds an autoencoder from toJSON()'s document; `what` names it in error messages. */
  static fromJSON(model: unknown, what = 'autoencoder'): Autoencoder {
    const m = decodeObject(model, what);
    const nVisible = decodeCount(m.nVisible, `${what}.nVisible`);
    if (nVisible === 0) throw new ModelError(`${what}.nVisible must be positive`);
    const nHidden = decodeCount(m.nHidden, `${what}.nHidden`);
    const learningRate = decodeFinite(m.learningRate, `${what}.learningRate`);
    // Every array is checked against the sizes before the autoencoder is made: a corrupt size must not
    // allocate (and randomly fill) a matrix the file does not hold.
    const weights = decodeNumbers(m.weights, nVisible * nHidden, `${what}.weights`);
    const hiddenBias = decodeNumbers(m.hiddenBias, nHidden, `${what}.hiddenBias`);
    const visibleBias = decodeNumbers(m.visibleBias, nVisible, `${what}.visibleBias`);
    const normMin = decodeNumbers(m.normMin, nVisible, `${what}.normMin`);
    const normMax = decodeNumbers(m.normMax, nVisible, `${what}.normMax`);
    const trained = decodeCount(m.trained, `${what}.trained`);
    const ae = new Autoencoder(nVisible, nHidden, learningRate);
    ae.trained = trained;
    ae.weights.set(weights);
    ae.hiddenBias.set(hiddenBias);
    ae.visibleBias.set(visibleBias);
    ae.normMin.set(normMin);
    ae.normMax.set(normMax);
    return ae;
  }
}
