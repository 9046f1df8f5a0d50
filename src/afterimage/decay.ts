import { exp2NonPositiveInPlace } from './exp2.js';

/**
 * Decay factors of the damped windows: factor = 2^(-λ Δt) for every λ at once (Kitsune-py
 * AfterImage.py, incStat.processDecay: math.pow(2, -Lambda * timeDiff)).
 *
 * 2^y comes from exp2NonPositiveInPlace (exp2.ts: as glibc's pow rounds it, 4x cheaper than Math.pow).
 * The exponent y is formed as Kitsune-py does: (-λ) * Δt.
 * The factors of the last few Δt are cached: within one packet many statistics share a Δt.
 * A row stays valid until the second following call of row() (callers use at most two at once).
 */

/** Number of (Δt, factors) entries remembered. */
const CACHE_SIZE = 4;

export class DecayFactors {
  private readonly negLambdas: Float64Array;
  private readonly count: number;
  /** CACHE_SIZE rows of `count` factors. */
  private readonly table: Float64Array;
  private readonly keys: Float64Array;
  private next = 0;
  private lastSlot = -1;

  constructor(lambdas: readonly number[]) {
    this.count = lambdas.length;
    this.negLambdas = Float64Array.from(lambdas, (l) => -l);
    this.table = new Float64Array(CACHE_SIZE * this.count);
    this.keys = new Float64Array(CACHE_SIZE).fill(Number.NaN);
  }

  /**
   * Row offset into `factors` of the decay factors for a positive Δt: factors[row + k] = 2^(-λ_k Δt).
   */
  row(dt: number): number {
    const keys = this.keys;
    for (let i = 0; i < CACHE_SIZE; i++) {
      if (keys[i] === dt) {
        this.lastSlot = i;
        return i * this.count;
      }
    }
    // Never overwrite the row handed out by the previous call.
    let slot = this.next;
    if (slot === this.lastSlot) slot = (slot + 1) % CACHE_SIZE;
    this.lastSlot = slot;
    keys[slot] = dt;
    this.next = (slot + 1) % CACHE_SIZE;
    const row = slot * this.count;
    for (let k = 0; k < this.count; k++) this.table[row + k] = this.negLambdas[k] * dt;
    exp2NonPositiveInPlace(this.table, row, row + this.count);
    return row;
  }

  get factors(): Float64Array {
    return this.table;
  }
}
