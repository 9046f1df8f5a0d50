import { describe, expect, it } from 'vitest';
import { Autoencoder, hiddenSize } from '../src/kitnet/autoencoder.js';
import { accumulateVectorTimesMatrix, matrixTimesVectorPlus } from '../src/kitnet/dense.js';
import { executeKernel, MAX_KERNEL_WEIGHTS, trainKernel } from '../src/kitnet/unrolled-kernels.js';
import { MT19937 } from '../src/kitnet/mt19937.js';
import { sigmoidInPlace } from '../src/kitnet/sigmoid.js';

const SEED = 20180218;

/**
 * The execute step as the loops compute it (autoencoder.ts without a kernel: dense.ts and
 * sigmoid.ts), the reference a kernel must match bit for bit.
 */
function loopExecute(ae: Autoencoder, x: Float64Array, index: Int32Array, errors: Float64Array): number {
  const nv = ae.nVisible;
  const nh = ae.nHidden;
  const xn = new Float64Array(nv);
  for (let i = 0; i < nv; i++) xn[i] = (x[index[i]] - ae.normMin[i]) / (ae.normMax[i] - ae.normMin[i] + 1e-16);
  const y = Float64Array.from(ae.hiddenBias);
  accumulateVectorTimesMatrix(xn, ae.weights, nv, nh, y);
  sigmoidInPlace(y, nh);
  const z = new Float64Array(nv);
  matrixTimesVectorPlus(ae.weights, y, ae.visibleBias, nv, nh, z);
  sigmoidInPlace(z, nv);
  let sum = 0;
  for (let i = 0; i < nv; i++) {
    const e = xn[i] - z[i];
    errors[i] = e * e;
    sum += e * e;
  }
  return Math.sqrt(sum / nv);
}

/** The training step as the loops compute it (autoencoder.ts without a kernel), on plain copies of the state. */
class LoopAutoencoder {
  readonly w: Float64Array;
  readonly hb: Float64Array;
  readonly vb: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;

  constructor(
    private readonly nv: number,
    private readonly nh: number,
    ae: Autoencoder,
  ) {
    this.w = Float64Array.from(ae.weights);
    this.hb = Float64Array.from(ae.hiddenBias);
    this.vb = Float64Array.from(ae.visibleBias);
    this.min = Float64Array.from(ae.normMin);
    this.max = Float64Array.from(ae.normMax);
  }

  train(x: Float64Array, index: Int32Array, lr: number): number {
    const { nv, nh, w, min, max } = this;
    const xn = new Float64Array(nv);
    for (let i = 0; i < nv; i++) {
      const xi = x[index[i]];
      if (xi > max[i]) max[i] = xi;
      if (xi < min[i]) min[i] = xi;
      xn[i] = (xi - min[i]) / (max[i] - min[i] + 1e-16);
    }
    const y = Float64Array.from(this.hb);
    accumulateVectorTimesMatrix(xn, w, nv, nh, y);
    sigmoidInPlace(y, nh);
    const z = new Float64Array(nv);
    matrixTimesVectorPlus(w, y, this.vb, nv, nh, z);
    sigmoidInPlace(z, nv);
    const e = new Float64Array(nv);
    let sum = 0;
    for (let i = 0; i < nv; i++) {
      e[i] = xn[i] - z[i];
      sum += e[i] * e[i];
    }
    const g = new Float64Array(nh);
    accumulateVectorTimesMatrix(e, w, nv, nh, g);
    for (let j = 0; j < nh; j++) g[j] = g[j] * y[j] * (1 - y[j]);
    for (let i = 0; i < nv; i++) {
      for (let j = 0; j < nh; j++) w[i * nh + j] += lr * (xn[i] * g[j] + e[i] * y[j]);
      this.vb[i] += lr * e[i];
    }
    for (let j = 0; j < nh; j++) this.hb[j] += lr * g[j];
    return Math.sqrt(sum / nv);
  }
}

/** An autoencoder with random (trained-looking) state and random inputs that reach outside [min, max]. */
function randomCase(nv: number, nh: number, rng: MT19937) {
  const ae = new Autoencoder(nv, nh, 0.1);
  rng.uniform(-2, 2, ae.weights);
  rng.uniform(-1, 1, ae.hiddenBias);
  rng.uniform(-1, 1, ae.visibleBias);
  rng.uniform(-10, 0, ae.normMin);
  rng.uniform(0, 10, ae.normMax);
  const width = nv + 3;
  const x = rng.uniform(-15, 15, new Float64Array(width));
  const index = Int32Array.from({ length: nv }, (_, i) => (i * 7 + 2) % width);
  return { ae, x, index };
}

describe('execute kernels', () => {
  it('give the loops\' RMSE and squared errors bit for bit, for every ensemble shape and output layers', () => {
    const rng = new MT19937(SEED);
    const shapes: [number, number][] = [];
    for (let nv = 1; nv <= 12; nv++) shapes.push([nv, hiddenSize(nv, 0.75)], [nv, nv + 2]);
    shapes.push([13, 10], [20, 15], [25, 19]);
    for (const [nv, nh] of shapes) {
      for (let trial = 0; trial < 20; trial++) {
        const { ae, x, index } = randomCase(nv, nh, rng);
        const expectedErrors = new Float64Array(nv);
        const expected = loopExecute(ae, x, index, expectedErrors);
        const out = new Float64Array(2);
        ae.executeFeatures(x, index, out, 1);
        expect(Object.is(out[1], expected), `${nv}x${nh}: ${out[1]} vs ${expected}`).toBe(true);
        expect(Array.from(ae.errors)).toEqual(Array.from(expectedErrors));
      }
    }
  });

  it('train exactly as the loops do: same RMSEs, weights, biases and min/max after many steps', () => {
    const rng = new MT19937(SEED + 2);
    for (const [nv, nh] of [[1, 1], [3, 3], [4, 3], [5, 4], [7, 6], [8, 6], [10, 8], [13, 10], [6, 9]] as [number, number][]) {
      // A fresh autoencoder (Kitsune-py's initial state: min +inf, max -inf) and its loop twin.
      const ae = new Autoencoder(nv, nh, 0.1);
      const twin = new LoopAutoencoder(nv, nh, ae);
      const width = nv + 2;
      const index = Int32Array.from({ length: nv }, (_, i) => (i * 5 + 1) % width);
      const out = new Float64Array(1);
      for (let step = 0; step < 200; step++) {
        const x = rng.uniform(-5, 5 + step, new Float64Array(width));
        if (step % 50 === 7) x[index[0]] = Number.NaN;
        ae.trainFeatures(x, index, out, 0);
        const expected = twin.train(x, index, 0.1);
        expect(Object.is(out[0], expected), `${nv}x${nh} step ${step}`).toBe(true);
      }
      expect(Array.from(ae.weights)).toEqual(Array.from(twin.w));
      expect(Array.from(ae.hiddenBias)).toEqual(Array.from(twin.hb));
      expect(Array.from(ae.visibleBias)).toEqual(Array.from(twin.vb));
      expect(Array.from(ae.normMin)).toEqual(Array.from(twin.min));
      expect(Array.from(ae.normMax)).toEqual(Array.from(twin.max));
      expect(ae.trained).toBe(200);
    }
  });

  it('propagate NaN and infinite inputs as the loops do', () => {
    const rng = new MT19937(SEED + 1);
    const { ae, x, index } = randomCase(6, 5, rng);
    for (const bad of [Number.NaN, Infinity, -Infinity, 1e300]) {
      x[index[2]] = bad;
      const expected = loopExecute(ae, x, index, new Float64Array(6));
      const out = new Float64Array(1);
      ae.executeFeatures(x, index, out, 0);
      expect(Object.is(out[0], expected)).toBe(true);
    }
  });

  it('exist up to MAX_KERNEL_WEIGHTS and not beyond (large shapes keep the loops)', () => {
    expect(executeKernel(16, 32)).not.toBeNull(); // 512 weights
    expect(executeKernel(16, 33)).toBeNull();
    expect(trainKernel(16, 32)).not.toBeNull();
    expect(trainKernel(16, 33)).toBeNull();
    expect(executeKernel(10, 8)).toBe(executeKernel(10, 8)); // one per shape
    expect(16 * 32).toBe(MAX_KERNEL_WEIGHTS);
  });
});
