/**
 * The log-normal fit of benign scores, as Kitsune-py's example.py makes it:
 *   benignSample = np.log(RMSEs[FMgrace+ADgrace+1:100000])
 *   mu, sigma = np.mean(benignSample), np.std(benignSample)      (population std, ddof 0)
 * i.e. over the executed packets with index < 100000. The logs are stored (8 bytes a score; the
 * calibration stretch is ~1e5 scores) and summed as numpy sums a contiguous float64 array
 * (np.add.reduce: pairwise summation of the whole array, see pairwiseSum), so mu and sigma agree
 * with numpy to the last bit given the same logs (V8's Math.log and numpy's log can differ by 1 ulp).
 *
 * Choice where numpy has none: scores that are not > 0 and finite (an RMSE of exactly 0 gives
 * log 0 = −inf, and numpy's mean then is −inf and its std nan, poisoning every log-probability)
 * are left out of the fit and counted in `excluded`.
 */

/** example.py's benign stretch ends before this packet index (RMSEs[...:100000]). */
export const KITSUNE_PY_BENIGN_END = 100000;

/** numpy's pairwise summation: below 8 values a plain loop, up to this many 8 running sums. */
const PAIRWISE_BLOCK = 128;
const UNROLL = 8;
const INITIAL_CAPACITY = 1024;

/**
 * Sum of values[start, start+n) in numpy's order (numpy/_core/src/umath/loops_utils.h,
 * pairwise_sum): n < 8: left to right; n <= 128: eight strided partial sums combined as
 * ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the remainder left to right; else split at
 * n/2 rounded down to a multiple of 8 and add the two halves.
 */
export function pairwiseSum(values: Float64Array, start: number, n: number): number {
  if (n < UNROLL) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[start + i];
    return sum;
  }
  if (n <= PAIRWISE_BLOCK) {
    let r0 = values[start], r1 = values[start + 1], r2 = values[start + 2], r3 = values[start + 3];
    let r4 = values[start + 4], r5 = values[start + 5], r6 = values[start + 6], r7 = values[start + 7];
    const whole = n - (n % UNROLL);
    let i = UNROLL;
    for (; i < whole; i += UNROLL) {
      const k = start + i;
      r0 += values[k]; r1 += values[k + 1]; r2 += values[k + 2]; r3 += values[k + 3];
      r4 += values[k + 4]; r5 += values[k + 5]; r6 += values[k + 6]; r7 += values[k + 7];
    }
    let sum = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) sum += values[start + i];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % UNROLL;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, n - half);
}

/** Collects log(rmse) of calibration scores and fits (mu, sigma) as numpy would. */
export class LogNormalFitter {
  private logs = new Float64Array(INITIAL_CAPACITY);
  private count = 0;
  /** Scores left out because they are not finite and > 0. */
  excluded = 0;

  get n(): number {
    return this.count;
  }

  add(rmse: number): void {
    if (!(rmse > 0 && rmse < Infinity)) {
      this.excluded++;
      return;
    }
    if (this.count === this.logs.length) {
      const grown = new Float64Array(this.logs.length * 2);
      grown.set(this.logs);
      this.logs = grown;
    }
    this.logs[this.count++] = Math.log(rmse);
  }

  /** mu = np.mean(logs), sigma = np.std(logs) (ddof 0); NaN for both when nothing was added. */
  fit(): { mu: number; sigma: number; n: number } {
    const n = this.count;
    if (n === 0) return { mu: NaN, sigma: NaN, n };
    const mu = pairwiseSum(this.logs, 0, n) / n;
    const squares = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = this.logs[i] - mu;
      squares[i] = d * d;
    }
    return { mu, sigma: Math.sqrt(pairwiseSum(squares, 0, n) / n), n };
  }
}
