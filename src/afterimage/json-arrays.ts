/**
 * Typed arrays <-> plain JSON arrays for AfterImage's toJSON/fromJSON. JSON has no NaN, ±Infinity
 * or -0, so those travel as the strings 'NaN', 'Infinity', '-Infinity' and '-0'; every finite
 * double survives JSON's shortest round-trip text exactly.
 */

type JsonNumber = number | string;

function encode(x: number): JsonNumber {
  if (Number.isFinite(x)) return Object.is(x, -0) ? '-0' : x;
  return String(x);
}

function decode(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x === 'NaN' || x === 'Infinity' || x === '-Infinity' || x === '-0') return Number(x);
  throw new TypeError(`AfterImage state: not a number: ${describe(x)}`);
}

/** Characters of a string value quoted in a message. */
const QUOTED_CHARACTERS = 40;

/** A short description of a JSON value for a message (never the whole of a long or deep one). */
function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x.length > QUOTED_CHARACTERS ? `${x.slice(0, QUOTED_CHARACTERS)}...` : x);
  if (Array.isArray(x)) return 'an array';
  return x !== null && typeof x === 'object' ? 'an object' : String(x);
}

/** The first `length` elements as a JSON array. */
export function int32ToJson(array: Int32Array, length: number): number[] {
  return Array.from(array.subarray(0, length));
}

/** An Int32Array of `capacity` holding the JSON's `length` integers, each in [0, limit). */
export function int32FromJson(json: unknown, length: number, capacity: number, limit: number): Int32Array<ArrayBuffer> {
  const values = asArray(json);
  if (values.length !== length) throw new TypeError('AfterImage state: column length does not match the table');
  const out = new Int32Array(capacity);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= limit) {
      throw new TypeError('AfterImage state: an index out of range');
    }
    out[i] = v;
  }
  return out;
}

/** A count or an index from the state: an integer in [0, max]. */
export function integerInRange(json: unknown, max: number): number {
  if (typeof json !== 'number' || !Number.isInteger(json) || json < 0 || json > max) {
    throw new TypeError('AfterImage state: a count or index out of range');
  }
  return json;
}

export function asArray(json: unknown): unknown[] {
  if (!Array.isArray(json)) throw new TypeError('AfterImage state: expected an array');
  return json;
}

export function asRecord(json: unknown): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TypeError('AfterImage state: expected an object');
  }
  return json as Record<string, unknown>;
}

/**
 * A field of a pool of fixed-size records (one Float64Array, record i at [i·stride]): `count` values
 * (1, or one per window) starting `offset` into the record, `step` apart.
 */
export interface RecordField {
  offset: number;
  count: number;
  step: number;
}

/** The field of records 0..n-1, as the column JSON array toJSON writes (record-major). */
export function recordFieldToJson(pool: Float64Array | Int32Array, stride: number, n: number, field: RecordField): JsonNumber[] {
  const out: JsonNumber[] = new Array(n * field.count);
  let i = 0;
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < field.count; k++) out[i++] = encode(pool[r * stride + field.offset + k * field.step]);
  }
  return out;
}

/** Writes a column JSON array (as recordFieldToJson writes it) into the field of the first `records` records. */
export function recordFieldFromJson(
  json: unknown,
  pool: Float64Array | Int32Array,
  stride: number,
  field: RecordField,
  records: number,
): void {
  const values = asArray(json);
  if (values.length !== records * field.count || records * stride > pool.length) {
    throw new TypeError('AfterImage state: column length does not match the table');
  }
  const integers = pool instanceof Int32Array;
  for (let i = 0; i < values.length; i++) {
    const x = decode(values[i]);
    if (integers && !Number.isInteger(x)) throw new TypeError('AfterImage state: not an integer');
    pool[Math.floor(i / field.count) * stride + field.offset + (i % field.count) * field.step] = x;
  }
}
