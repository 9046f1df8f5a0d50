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
 * thread, from its toJSON()); calls allocate nothing. Dot products run as four independent partial sums;
 * numpy's BLAS sums in another order anyway, which moves scores by ~1e-15 relative.
 */

/** dA.py's 0.0000000000000001 added to the range in the 0-1 normalisation. */
const NORM_EPSILON = 1e-16;
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
  /** A scratch input vector a caller may fill and pass to train()/execute(). */
  readonly input: Float64Array;
  /** Per-input squared reconstruction errors (x - z)^2 of the last train()/execute(). */
  readonly errors: Float64Array;
  private readonly normalized: Float64Array;
  private readonly residual: Float64Array;
  private readonly reconstruction: Float64Array;
  private readonly hidden: Float64Array;
  /** Holds train()/execute()'s result. */
  private readonly result = new Float64Array(1);
  private readonly hiddenError: Float64Array;

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
    this.input = new Float64Array(nVisible);
    this.errors = new Float64Array(nVisible);
    this.normalized = new Float64Array(nVisible);
    this.residual = new Float64Array(nVisible);
    this.reconstruction = new Float64Array(nVisible);
    this.hidden = new Float64Array(this.nHidden);
    this.hiddenError = new Float64Array(this.nHidden);
  }

  /** One SGD step on x (length nVisible); returns the RMSE of the reconstruction before the step. */
  train(x: Float64Array): number {
    this.trainInto(x, this.result, 0);
    return this.result[0];
  }

  /** Reconstruction RMSE of x (length nVisible) with the current weights and stored min/max. */
  execute(x: Float64Array): number {
    this.executeInto(x, this.result, 0);
    return this.result[0];
  }

  /** train(x), writing the RMSE to out[slot] (no double crosses a call boundary: nothing is boxed). */
  trainInto(x: Float64Array, out: Float64Array, slot: number): void {
    const nv = this.nVisible;
    const nh = this.nHidden;
    const min = this.normMin;
    const max = this.normMax;
    const xn = this.normalized;
    this.trained++;
    for (let i = 0; i < nv; i++) {
      const xi = x[i];
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
    g.fill(0);
    for (let i = 0, row = 0; i < nv; i++, row += nh) {
      const ei = e[i];
      for (let j = 0; j < nh; j++) g[j] += ei * w[row + j];
    }
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

  /** execute(x), writing the RMSE to out[slot]. */
  executeInto(x: Float64Array, out: Float64Array, slot: number): void {
    const nv = this.nVisible;
    const min = this.normMin;
    const max = this.normMax;
    const xn = this.normalized;
    for (let i = 0; i < nv; i++) xn[i] = (x[i] - min[i]) / (max[i] - min[i] + NORM_EPSILON);
    this.encode();
    this.decode();
    out[slot] = this.reconstructionError();
  }

  /** hidden = sigmoid(normalized W + hb): column dot products, four partial sums each. */
  private encode(): void {
    const nv = this.nVisible;
    const nh = this.nHidden;
    const w = this.weights;
    const xn = this.normalized;
    const y = this.hidden;
    const hb = this.hiddenBias;
    const stride4 = 4 * nh;
    for (let j = 0; j < nh; j++) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      let at = j;
      for (; i + 3 < nv; i += 4, at += stride4) {
        s0 += xn[i] * w[at];
        s1 += xn[i + 1] * w[at + nh];
        s2 += xn[i + 2] * w[at + 2 * nh];
        s3 += xn[i + 3] * w[at + 3 * nh];
      }
      for (; i < nv; i++, at += nh) s0 += xn[i] * w[at];
      y[j] = s0 + s1 + (s2 + s3) + hb[j];
    }
    sigmoidInPlace(y, nh);
  }

  /** reconstruction = sigmoid(hidden W^T + vb): row dot products, four partial sums each. */
  private decode(): void {
    const nv = this.nVisible;
    const nh = this.nHidden;
    const w = this.weights;
    const y = this.hidden;
    const vb = this.visibleBias;
    const z = this.reconstruction;
    for (let i = 0, row = 0; i < nv; i++, row += nh) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let j = 0;
      for (; j + 3 < nh; j += 4) {
        s0 += y[j] * w[row + j];
        s1 += y[j + 1] * w[row + j + 1];
        s2 += y[j + 2] * w[row + j + 2];
        s3 += y[j + 3] * w[row + j + 3];
      }
      for (; j < nh; j++) s0 += y[j] * w[row + j];
      z[i] = s0 + s1 + (s2 + s3) + vb[i];
    }
    sigmoidInPlace(z, nv);
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
    const ae = new Autoencoder(nVisible, nHidden, learningRate);
    ae.trained = decodeCount(m.trained, `${what}.trained`);
    ae.weights.set(decodeNumbers(m.weights, nVisible * nHidden, `${what}.weights`));
    ae.hiddenBias.set(decodeNumbers(m.hiddenBias, nHidden, `${what}.hiddenBias`));
    ae.visibleBias.set(decodeNumbers(m.visibleBias, nVisible, `${what}.visibleBias`));
    ae.normMin.set(decodeNumbers(m.normMin, nVisible, `${what}.normMin`));
    ae.normMax.set(decodeNumbers(m.normMax, nVisible, `${what}.normMax`));
    return ae;
  }
}
