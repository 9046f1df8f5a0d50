import { NORM_EPSILON } from './normalization.js';
import { ROWS_PER_STEP } from './dense.js';
import { sigmoidInPlace } from './sigmoid.js';

/**
 * Straight-line execute kernels: an autoencoder's execute step (Kitsune-py KitNET/dA.py `execute`:
 * x' = (x - min) / (max - min + 1e-16); y = sigmoid(x' W + hb); z = sigmoid(y W^T + vb);
 * rmse = sqrt(mean((x' - z)^2))) written out for one shape (n_visible, n_hidden), with every loop
 * unrolled and the normalised inputs and hidden units in local variables rather than arrays.
 *
 * Every sum adds the same terms in the same order as autoencoder.ts and dense.ts do (encode: four
 * weight rows per step, (a + b) + (c + d); decode: one product after the other from 0, then the
 * bias; errors from 0), and the sigmoid is sigmoid.ts's, so a kernel's results are bit for bit those
 * of the loops (test/kitnet-unrolled-kernels.test.ts). In V8 this takes about a third less time on
 * KitNET's small autoencoders, where loop control and array traffic cost more than the products.
 *
 * A kernel is compiled (new Function, from numbers only) once per shape and cached; shapes larger
 * than MAX_KERNEL_WEIGHTS get none (a huge function would not be optimised) and keep the loops.
 * Training keeps the loops: an unrolled train step was ~30% faster once optimised, but V8 runs such
 * long functions unoptimised (3-25x slower) for the first several thousand packets, longer than the
 * default training stretch on a busy 2-core machine, so it cost more than it saved.
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

const kernels = new Map<string, ExecuteKernel>();

/** The kernel for the shape, or null for shapes above MAX_KERNEL_WEIGHTS. */
export function executeKernel(nVisible: number, nHidden: number): ExecuteKernel | null {
  if (nVisible * nHidden > MAX_KERNEL_WEIGHTS) return null;
  const key = `${nVisible}x${nHidden}`;
  let kernel = kernels.get(key);
  if (kernel === undefined) {
    const body = kernelSource(nVisible, nHidden);
    kernel = new Function('sigmoidInPlace', `return function execute${key}(x, index, min, max, w, hb, vb, errors, scratch, out, slot) {\n${body}\n};`)(
      sigmoidInPlace,
    ) as ExecuteKernel;
    kernels.set(key, kernel);
  }
  return kernel;
}

/** The kernel's body: x0.. are the normalised inputs, y0.. the hidden units. */
function kernelSource(nv: number, nh: number): string {
  const lines: string[] = [];
  const weight = (i: number, j: number) => `w[${i * nh + j}]`;
  for (let i = 0; i < nv; i++) {
    lines.push(`const x${i} = (x[index[${i}]] - min[${i}]) / (max[${i}] - min[${i}] + ${NORM_EPSILON});`);
  }
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
    lines.push(`{ const e = x${r} - scratch[${r}]; const sq = e * e; errors[${r}] = sq; sum += sq; }`);
  }
  lines.push(`out[slot] = Math.sqrt(sum / ${nv});`);
  return lines.join('\n');
}
