/**
 * Capacity growth for the AfterImage pools: typed arrays doubled in place of per-object allocation,
 * so adding a stream or a link costs amortised O(1) and nothing is allocated per packet.
 */

/** Smallest capacity a pool starts with. */
export const MIN_CAPACITY = 64;

/** Next capacity >= needed, doubling from current. */
export function grownCapacity(current: number, needed: number): number {
  let capacity = Math.max(current, MIN_CAPACITY);
  while (capacity < needed) capacity *= 2;
  return capacity;
}

/** A copy of `array` with room for `length` elements (the tail zero). */
export function growFloat64(array: Float64Array, length: number): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(length);
  grown.set(array);
  return grown;
}

/** A copy of `array` with room for `length` elements (the tail zero). */
export function growInt32(array: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(length);
  grown.set(array);
  return grown;
}
