/**
 * numpy's legacy `RandomState(seed)` random stream, bit for bit: the MT19937 generator of Matsumoto and
 * Nishimura seeded with `init_genrand(seed)`, and doubles made from two 32-bit outputs a, b as
 * u = ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53 (numpy randomkit `random_double`; 53 random bits in [0, 1)).
 * `uniform(low, high, n)` draws low + (high - low) * u, numpy's `RandomState.uniform`.
 * Kitsune-py (KitNET/dA.py) seeds a RandomState(1234) per autoencoder to draw its initial weights.
 */

const STATE_WORDS = 624;
const SHIFT_WORDS = 397;
const INIT_MULTIPLIER = 1812433253;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const TEMPER_B = 0x9d2c5680;
const TEMPER_C = 0xefc60000;
/** 2^26: the high 27 bits of `a` sit above the 26 bits taken from `b`. */
const HIGH_SCALE = 67108864;
/** 2^53. */
const DOUBLE_SCALE = 9007199254740992;

export class MT19937 {
  private readonly mt = new Uint32Array(STATE_WORDS);
  private index = STATE_WORDS;

  /** init_genrand(seed): mt[i] = 1812433253 * (mt[i-1] ^ (mt[i-1] >>> 30)) + i (mod 2^32). */
  constructor(seed: number) {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < STATE_WORDS; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = Math.imul(INIT_MULTIPLIER, prev) + i;
    }
  }

  /** The next tempered 32-bit output (genrand_int32). */
  nextUint32(): number {
    if (this.index >= STATE_WORDS) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & TEMPER_B;
    y ^= (y << 15) & TEMPER_C;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy's random_sample(): a double in [0, 1) from two outputs. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * HIGH_SCALE + b) / DOUBLE_SCALE;
  }

  /** numpy's RandomState.uniform(low, high, n), filled into `out` (row-major for a matrix shape). */
  uniform(low: number, high: number, out: Float64Array): Float64Array {
    const range = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + range * this.nextDouble();
    return out;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < STATE_WORDS; i++) {
      const y = (mt[i] & UPPER_MASK) | (mt[(i + 1) % STATE_WORDS] & LOWER_MASK);
      mt[i] = mt[(i + SHIFT_WORDS) % STATE_WORDS] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.index = 0;
  }
}
