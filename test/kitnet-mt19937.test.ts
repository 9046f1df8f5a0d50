import { describe, expect, it } from 'vitest';
import { MT19937 } from '../src/kitnet/mt19937.js';

describe('MT19937 (numpy RandomState)', () => {
  it('reproduces the reference generator seeded with init_genrand(5489)', () => {
    const mt = new MT19937(5489);
    // Matsumoto & Nishimura's mt19937ar with the default seed 5489 starts 3499211612, 581869302.
    expect(mt.nextUint32()).toBe(3499211612);
    expect(mt.nextUint32()).toBe(581869302);
    // C++11 [rand.predef]: the 10000th output of a default-constructed std::mt19937 is 4123659995.
    for (let i = 3; i < 10000; i++) mt.nextUint32();
    expect(mt.nextUint32()).toBe(4123659995);
  });

  it('draws numpy.random.RandomState(1234).random_sample() values', () => {
    const mt = new MT19937(1234);
    // numpy: RandomState(1234).random_sample() = 0.1915194503788923 (the exact double);
    // the next four print as 0.62210877, 0.43772774, 0.78535858, 0.77997581 (numpy's 8-digit display).
    expect(mt.nextDouble()).toBe(0.1915194503788923);
    for (const printed of [0.62210877, 0.43772774, 0.78535858, 0.77997581]) {
      expect(mt.nextDouble()).toBeCloseTo(printed, 8);
    }
  });

  it('uniform(low, high) is low + (high - low) * u, row-major', () => {
    const w = new MT19937(1234).uniform(-0.5, 0.5, new Float64Array(3));
    const u = new MT19937(1234);
    // -0.5 + 1 * 0.1915194503788923 = -0.3084805496211077.
    expect(w[0]).toBe(-0.5 + 1 * 0.1915194503788923);
    expect(w[1]).toBe(-0.5 + (u.nextDouble(), u.nextDouble()));
    expect(w[2]).toBe(-0.5 + u.nextDouble());
  });

  it('uses 53 random bits per double: a draw is a multiple of 2^-53 in [0, 1)', () => {
    const mt = new MT19937(42);
    for (let i = 0; i < 1000; i++) {
      const u = mt.nextDouble();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      expect(Number.isInteger(u * 2 ** 53)).toBe(true);
    }
  });
});
