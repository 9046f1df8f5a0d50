import { sigmoidInPlace } from './sigmoid.js';

/**
 * Straight-line kernels for an autoencoder's two steps (Kitsune-py KitNET/dA.py), written out for one
 * shape (n_visible, n_hidden) with every loop unrolled and the vectors in local variables:
 * - execute: x' = (x - min) / (max - min + 1e-16); y = sigmoid(x' W + hb); z = sigmoid(y W^T + vb);
 *   rmse = sqrt(mean((x' - z)^2));
 * - train: min/max updated by x first, the same forward pass, then with e = x' - z and
 *   g = (e W) * y * (1 - y): W += lr (x'_i g_j + e_i y_j), vb += lr e, hb += lr g.
 *
 * Every sum adds the same terms in the same order as autoencoder.ts and dense.ts do (four weight rows
 * per step, (a + b) + (c + d), for x' W and e W; one product after the other from 0, then the bias,
 * for y W^T; errors from 0), and the sigmoid is sigmoid.ts's, so a kernel's results and updates are
 * bit for bit those of the loops (test/kitnet-unrolled-kernels.test.ts). In V8 this takes about a
 * third less time on KitNET's small autoencoders, where loop control and array traffic cost more
 * than the products.
 *
 * Kernels are compiled (new Function, from numbers only) once per shape and cached; shapes larger
 * than MAX_KERNEL_WEIGHTS get none (a huge function would not be optimised) and keep the loops.
 */

/**
 * kernel(x, index, min, max, w, hb, vb, errors, scratch, out, slot): executes on x[index[i]], writes
 * the squared errors to errors[i] and the RMSE to out[slot]; scratch holds max(nVisible, nHidden).
 */
export type ExecuteKernel = (
  x: Float64Array,
  index: Int32Array,
  min: Float64Array,
  max: Float64Array,
  w: Float64Array,
  hb: Float64Array,
  vb: Float64Array,
  errors: Float64Array,
  scratch: Float64Array,
  out: Float64Array,
  slot: number,
) => void;

/** Largest n_visible x n_hidden with a kernel (maxAE 10 gives 10 x 8 = 80; output layers of ~20 AEs ~300). */
export const MAX_KERNEL_WEIGHTS = 512;
/** Rows of W per accumulation step of the encoder, as dense.ts's ROWS_PER_STEP. */
const ROWS_PER_STEP = 4;
/** dA.py's 0.0000000000000001 (autoencoder.ts NORM_EPSILON). */
const NORM_EPSILON_TEXT = '1e-16';

/**
 * kernel(x, index, min, max, w, hb, vb, errors, scratch, out, slot, lr): one training step on
 * x[index[i]] (min and max updated first), the RMSE before the update to out[slot].
 */
export type TrainKernel = (
  x: Float64Array,
  index: Int32Array,
  min: Float64Array,
  max: Float64Array,
  w: Float64Array,
  hb: Float64Array,
  vb: Float64Array,
  errors: Float64Array,
  scratch: Float64Array,
  out: Float64Array,
  slot: number,
  learningRate: number,
) => void;

const PARAMETERS = 'x, index, min, max, w, hb, vb, errors, scratch, out, slot, lr';
const executeKernels = new Map<string, ExecuteKernel>();
const trainKernels = new Map<string, TrainKernel>();

/** The execute kernel for the shape, or null for shapes above MAX_KERNEL_WEIGHTS. */
export function executeKernel(nVisible: number, nHidden: number): ExecuteKernel | null {
  return cachedKernel(executeKernels, 'execute', nVisible, nHidden, executeSource);
}

/** The train kernel for the shape, or null for shapes above MAX_KERNEL_WEIGHTS. */
export function trainKernel(nVisible: number, nHidden: number): TrainKernel | null {
  return cachedKernel(trainKernels, 'train', nVisible, nHidden, trainSource);
}

function cachedKernel<K>(cache: Map<string, K>, name: string, nv: number, nh: number, source: (nv: number, nh: number) => string): K | null {
  if (nv * nh > MAX_KERNEL_WEIGHTS) return null;
  const key = `${nv}x${nh}`;
  let kernel = cache.get(key);
  if (kernel === undefined) {
    const text = `return function ${name}${key}(${PARAMETERS}) {\n${source(nv, nh)}\n};`;
    kernel = new Function('sigmoidInPlace', text)(sigmoidInPlace) as K;
    cache.set(key, kernel);
  }
  return kernel;
}

/** The execute kernel's body: x0.. are the normalised inputs. */
function executeSource(nv: number, nh: number): string {
  const lines: string[] = [];
  for (let i = 0; i < nv; i++) {
    lines.push(`const x${i} = (x[index[${i}]] - min[${i}]) / (max[${i}] - min[${i}] + ${NORM_EPSILON_TEXT});`);
  }
  forwardPass(lines, nv, nh);
  lines.push(`out[slot] = Math.sqrt(sum / ${nv});`);
  return lines.join('\n');
}

/** The train kernel's body: min/max and x0.. first, the forward pass, then the updates. */
function trainSource(nv: number, nh: number): string {
  const lines: string[] = [];
  const weight = (i: number, j: number) => `w[${i * nh + j}]`;
  for (let i = 0; i < nv; i++) {
    // numpy's masked updates (autoencoder.ts): a NaN compares false and never moves min/max.
    lines.push(`const v${i} = x[index[${i}]];`);
    lines.push(`if (v${i} > max[${i}]) max[${i}] = v${i};`);
    lines.push(`if (v${i} < min[${i}]) min[${i}] = v${i};`);
    lines.push(`const x${i} = (v${i} - min[${i}]) / (max[${i}] - min[${i}] + ${NORM_EPSILON_TEXT});`);
  }
  forwardPass(lines, nv, nh);
  lines.push(`out[slot] = Math.sqrt(sum / ${nv});`);
  // g = (e W) * y * (1 - y), with the weights before the update (dense.ts accumulateVectorTimesMatrix from 0).
  for (let j = 0; j < nh; j++) lines.push(`let g${j} = 0;`);
  let i = 0;
  for (; i + ROWS_PER_STEP - 1 < nv; i += ROWS_PER_STEP) {
    for (let j = 0; j < nh; j++) {
      lines.push(
        `g${j} += e${i} * ${weight(i, j)} + e${i + 1} * ${weight(i + 1, j)} + (e${i + 2} * ${weight(i + 2, j)} + e${i + 3} * ${weight(i + 3, j)});`,
      );
    }
  }
  for (; i < nv; i++) for (let j = 0; j < nh; j++) lines.push(`g${j} += e${i} * ${weight(i, j)};`);
  for (let j = 0; j < nh; j++) lines.push(`g${j} = g${j} * y${j} * (1 - y${j});`);
  for (let r = 0; r < nv; r++) {
    for (let j = 0; j < nh; j++) lines.push(`${weight(r, j)} += lr * (x${r} * g${j} + e${r} * y${j});`);
    lines.push(`vb[${r}] += lr * e${r};`);
  }
  for (let j = 0; j < nh; j++) lines.push(`hb[${j}] += lr * g${j};`);
  return lines.join('\n');
}

/**
 * From the normalised inputs x0..: the hidden units y0.., the residuals e0.. = x' - z, the squared
 * errors into errors[], and their sum in `sum`.
 */
function forwardPass(lines: string[], nv: number, nh: number): void {
  const weight = (i: number, j: number) => `w[${i * nh + j}]`;
  // Encoder: y = hb, then four rows of W at a time, then the remaining rows one by one (dense.ts).
  for (let j = 0; j < nh; j++) lines.push(`let y${j} = hb[${j}];`);
  let i = 0;
  for (; i + ROWS_PER_STEP - 1 < nv; i += ROWS_PER_STEP) {
    for (let j = 0; j < nh; j++) {
      lines.push(
        `y${j} += x${i} * ${weight(i, j)} + x${i + 1} * ${weight(i + 1, j)} + (x${i + 2} * ${weight(i + 2, j)} + x${i + 3} * ${weight(i + 3, j)});`,
      );
    }
  }
  for (; i < nv; i++) for (let j = 0; j < nh; j++) lines.push(`y${j} += x${i} * ${weight(i, j)};`);
  // The sigmoid runs over an array, as in autoencoder.ts (written out per unit it is slower in V8).
  for (let j = 0; j < nh; j++) lines.push(`scratch[${j}] = y${j};`);
  lines.push(`sigmoidInPlace(scratch, ${nh});`);
  for (let j = 0; j < nh; j++) lines.push(`y${j} = scratch[${j}];`);
  // Decoder: z_i = (0 + y0 W[i][0] + y1 W[i][1] + ...) + vb_i.
  for (let r = 0; r < nv; r++) {
    let sum = '0';
    for (let j = 0; j < nh; j++) sum = `(${sum} + y${j} * ${weight(r, j)})`;
    lines.push(`scratch[${r}] = ${sum} + vb[${r}];`);
  }
  lines.push(`sigmoidInPlace(scratch, ${nv});`);
  lines.push('let sum = 0;');
  for (let r = 0; r < nv; r++) {
    lines.push(`const e${r} = x${r} - scratch[${r}];`);
    lines.push(`{ const sq = e${r} * e${r}; errors[${r}] = sq; sum += sq; }`);
  }
}
