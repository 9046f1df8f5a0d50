import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochToDouble, formatEpoch } from '../src/capture/timestamp.js';

describe('formatEpoch (tshark 4.0 frame.time_epoch)', () => {
  it('prints seconds and a 9-digit nanosecond fraction', () => {
    // Microsecond pcap: usec 992213 -> nsecs 992213000 (corrupt_bogus_caplen row 1 in the reference).
    expect(formatEpoch(1508525002, 992213000)).toBe('1508525002.992213000');
    expect(formatEpoch(0, 5)).toBe('0.000000005');
  });

  it('does not normalise fractions >= 1e9 (pcap_nsec_invalid_fraction row 2)', () => {
    expect(formatEpoch(1418145370, 1000000000)).toBe('1418145370.1000000000');
  });

  it('negates a negative fraction in 32 bits and puts the sign in front (pcap_nsec_invalid_fraction row 3)', () => {
    // The file's fraction field is 0x80000000 = -2^31 as wiretap's int; -(-2^31) prints as 2147483648.
    expect(formatEpoch(1418145370, -2147483648)).toBe('-1418145370.2147483648');
    // Negative seconds already carry the sign: no second '-'.
    expect(formatEpoch(-5, -7)).toBe('-5.000000007');
  });

  it('prints seconds past 2^32 (pcapng_time_2106_overflow)', () => {
    expect(formatEpoch(4294967296, 0)).toBe('4294967296.000000000');
  });
});

describe('epochToDouble equals Python float() of the string', () => {
  // Number() of a decimal string is correctly rounded, as Python's float() is.
  const check = (sec: number, frac: number): void => {
    expect(epochToDouble(sec, frac)).toBe(Number(formatEpoch(sec, frac)));
  };

  it('on many random modern timestamps (the fast path)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2 ** 29, max: 2 ** 33 }), fc.integer({ min: 0, max: 999_999_999 }), (s, f) => {
        check(s, f);
      }),
      { numRuns: 50_000 },
    );
  });

  it('on microsecond fractions, small and huge seconds, and out-of-range fractions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 53 }),
        fc.oneof(
          fc.integer({ min: 0, max: 999_999 }).map((us) => us * 1000),
          fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        ),
        (s, f) => {
          check(s, f);
        },
      ),
      { numRuns: 30_000 },
    );
  });

  it('near binade edges and exact halves', () => {
    for (const s of [2 ** 29, 2 ** 30 - 1, 2 ** 30, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 32, 2 ** 52 - 1]) {
      for (const f of [0, 1, 499_999_999, 500_000_000, 999_999_999]) check(s, f);
    }
  });
});
