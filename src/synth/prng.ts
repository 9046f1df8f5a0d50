/**
 * Deterministic pseudo-random numbers for the synthetic captures: xoshiro128** (Blackman & Vigna,
 * "Scrambled linear pseudorandom number generators", 2018) on uint32 arithmetic, its 128-bit state
 * filled from the seed by splitmix32. Only integer operations and IEEE-754 divisions are used
 * (plus Math.log in `exponential`, whose V8 implementation is the platform-independent fdlibm port),
 * so the same seed yields the same sequence, and the same capture bytes, on every machine.
 */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + SPLITMIX32_GAMMA) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), SPLITMIX32_MIX1);
      z = Math.imul(z ^ (z >>> 13), SPLITMIX32_MIX2);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Next 32 random bits as an unsigned integer: result = rotl(s1 * 5, 7) * 9. */
  u32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits: (a >>> 5) * 2^26 + (b >>> 6), over 2^53. */
  uniform(): number {
    const a = this.u32() >>> 5;
    const b = this.u32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  /** One element of a non-empty list, uniformly. */
  choice<T>(items: readonly T[]): T {
    return items[Math.floor(this.uniform() * items.length)];
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Exponential variate with the given mean (inverse transform: -mean ln(1 - u)). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /** Fills `length` bytes of `out` from `offset` with random bytes. */
  fill(out: Uint8Array, offset: number, length: number): void {
    for (let i = 0; i < length; i += 4) {
      let word = this.u32();
      for (let k = i; k < i + 4 && k < length; k++) {
        out[offset + k] = word & BYTE_MASK;
        word >>>= 8;
      }
    }
  }
}

const SPLITMIX32_GAMMA = 0x9e3779b9;
const SPLITMIX32_MIX1 = 0x85ebca6b;
const SPLITMIX32_MIX2 = 0xc2b2ae35;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
const BYTE_MASK = 0xff;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
