/**
 * Numbers in a saved model. JSON numbers cannot hold Infinity, NaN or -0, yet an autoencoder's
 * running min/max start at +/-Infinity and a feature may be -0 or NaN; those are written as the strings
 * "Infinity", "-Infinity", "NaN" and "-0", every other double as a JSON number (JavaScript's shortest
 * round-trip text), so a reloaded model holds the very same bits.
 */

export type ModelNumber = number | string;

const SPECIAL: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN, '-0': -0 };

/** Thrown for a model document that is corrupt or of another format/version. */
export class ModelError extends Error {
  constructor(reason: string) {
    super(`invalid KitNET model: ${reason}`);
    this.name = 'ModelError';
  }
}

export function encodeNumber(v: number): ModelNumber {
  if (Number.isFinite(v)) return Object.is(v, -0) ? '-0' : v;
  return String(v);
}

export function encodeNumbers(values: Float64Array): ModelNumber[] {
  return Array.from(values, encodeNumber);
}

export function decodeNumber(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && Object.hasOwn(SPECIAL, v)) return SPECIAL[v];
  throw new ModelError(`${what} is not a number`);
}

/** Decodes an array of exactly `length` numbers. */
export function decodeNumbers(v: unknown, length: number, what: string): Float64Array {
  if (!Array.isArray(v)) throw new ModelError(`${what} is not an array`);
  if (v.length !== length) throw new ModelError(`${what} has ${v.length} values, expected ${length}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) out[i] = decodeNumber(v[i], what);
  return out;
}

/** A non-negative integer field. */
export function decodeCount(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    throw new ModelError(`${what} must be a non-negative integer`);
  }
  return v;
}

/** A finite number field. */
export function decodeFinite(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelError(`${what} must be a finite number`);
  return v;
}

/** A plain-object field. */
export function decodeObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ModelError(`${what} must be an object`);
  return v as Record<string, unknown>;
}
