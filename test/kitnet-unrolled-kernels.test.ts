import { describe, expect, it } from 'vitest';
import { Autoencoder, hiddenSize } from '../src/kitnet/autoencoder.js';
import { accumulateVectorTimesMatrix, matrixTimesVectorPlus } from '../src/kitnet/dense.js';
import { executeKernel, MAX_KERNEL_WEIGHTS } from '../src/kitnet/unrolled-kernels.js';
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
    expect(executeKernel(10, 8)).toBe(executeKernel(10, 8)); // one per shape
    expect(16 * 32).toBe(MAX_KERNEL_WEIGHTS);
  });
});
