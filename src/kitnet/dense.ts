/**
 * The two dense products of an autoencoder layer, for a row-major nRows x nCols matrix w
 * (KitNET/dA.py: numpy.dot(x, W) for the hidden layer and the error back-propagation, numpy.dot(y, W.T)
 * for the reconstruction). Both walk four rows at a time: each loaded vector element feeds four
 * independent multiply-adds and the weights stream contiguously (about 1.5x faster in V8 than one
 * dot product at a time on KitNET's small matrices). The summation order differs from numpy's BLAS,
 * by rounding only (~1e-16 relative).
 */

/** Rows of w per step (the unrolled kernels follow the same grouping). */
export const ROWS_PER_STEP = 4;

/** out[j] += sum_i v[i] w[i][j] for j < nCols (out holds the starting values, e.g. a bias). */
export function accumulateVectorTimesMatrix(v: Float64Array, w: Float64Array, nRows: number, nCols: number, out: Float64Array): void {
  let i = 0;
  let r0 = 0;
  for (; i + ROWS_PER_STEP - 1 < nRows; i += ROWS_PER_STEP, r0 += ROWS_PER_STEP * nCols) {
    const v0 = v[i];
    const v1 = v[i + 1];
    const v2 = v[i + 2];
    const v3 = v[i + 3];
    const r1 = r0 + nCols;
    const r2 = r1 + nCols;
    const r3 = r2 + nCols;
    for (let j = 0; j < nCols; j++) out[j] += v0 * w[r0 + j] + v1 * w[r1 + j] + (v2 * w[r2 + j] + v3 * w[r3 + j]);
  }
  for (; i < nRows; i++, r0 += nCols) {
    const vi = v[i];
    for (let j = 0; j < nCols; j++) out[j] += vi * w[r0 + j];
  }
}

/** out[i] = sum_j w[i][j] v[j] + bias[i] for i < nRows. */
export function matrixTimesVectorPlus(w: Float64Array, v: Float64Array, bias: Float64Array, nRows: number, nCols: number, out: Float64Array): void {
  let i = 0;
  let r0 = 0;
  for (; i + ROWS_PER_STEP - 1 < nRows; i += ROWS_PER_STEP, r0 += ROWS_PER_STEP * nCols) {
    const r1 = r0 + nCols;
    const r2 = r1 + nCols;
    const r3 = r2 + nCols;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < nCols; j++) {
      const vj = v[j];
      s0 += vj * w[r0 + j];
      s1 += vj * w[r1 + j];
      s2 += vj * w[r2 + j];
      s3 += vj * w[r3 + j];
    }
    out[i] = s0 + bias[i];
    out[i + 1] = s1 + bias[i + 1];
    out[i + 2] = s2 + bias[i + 2];
    out[i + 3] = s3 + bias[i + 3];
  }
  for (; i < nRows; i++, r0 += nCols) {
    let s = 0;
    for (let j = 0; j < nCols; j++) s += v[j] * w[r0 + j];
    out[i] = s + bias[i];
  }
}
