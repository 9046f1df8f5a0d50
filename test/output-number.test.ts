import { describe, expect, it } from 'vitest';
import { pyRepr } from '../src/output/number.js';

// Expected strings are what CPython 3 prints for repr(float(x)): fixed notation for decimal
// exponents -4..15, scientific with a two-digit exponent otherwise, '.0' on integral values.
describe('pyRepr', () => {
  it('prints integral doubles with .0, as Kitsune-py reference files do', () => {
    expect(pyRepr(0)).toBe('0.0');
    expect(pyRepr(75)).toBe('75.0');
    expect(pyRepr(-3)).toBe('-3.0');
    expect(pyRepr(1632214646)).toBe('1632214646.0');
  });
  it('prints shortest round-trip digits in fixed notation between 1e-4 and 1e16', () => {
    expect(pyRepr(1632214645.80716)).toBe('1632214645.80716');
    expect(pyRepr(0.0001)).toBe('0.0001');
    expect(pyRepr(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(pyRepr(1e15)).toBe('1000000000000000.0');
    expect(pyRepr(9999999999999998)).toBe('9999999999999998.0');
  });
  it('switches to scientific notation where Python does', () => {
    expect(pyRepr(0.00001)).toBe('1e-05');
    expect(pyRepr(0.000012345)).toBe('1.2345e-05');
    expect(pyRepr(1e16)).toBe('1e+16');
    expect(pyRepr(1.5e16)).toBe('1.5e+16');
    expect(pyRepr(1e-20)).toBe('1e-20');
    expect(pyRepr(-2.5e-300)).toBe('-2.5e-300');
    expect(pyRepr(5e-324)).toBe('5e-324');
    expect(pyRepr(1.7976931348623157e308)).toBe('1.7976931348623157e+308');
  });
  it('names the special values as Python does', () => {
    expect(pyRepr(Number.NaN)).toBe('nan');
    expect(pyRepr(Infinity)).toBe('inf');
    expect(pyRepr(-Infinity)).toBe('-inf');
    expect(pyRepr(-0)).toBe('-0.0');
  });
  it('always parses back to the same double', () => {
    let x = 0x9e3779b9;
    for (let i = 0; i < 10000; i++) {
      x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i) >>> 0;
      const value = (x / 2 ** 32) * 10 ** ((i % 40) - 20) * (i % 3 === 0 ? -1 : 1);
      expect(Number(pyRepr(value))).toBe(value);
    }
  });
});
