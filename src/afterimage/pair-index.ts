import { grownCapacity, MIN_CAPACITY } from './growth.js';

/** Sentinel for an empty slot and for "not found". */
export const ABSENT = -1;
/** The table is rebuilt twice as large when more than this share of its slots is used. */
const MAX_LOAD = 0.5;
/** Multipliers of the integer hash (golden-ratio and murmur3 constants). */
const HASH_MUL_1 = 0x9e3779b1;
const HASH_MUL_2 = 0x85ebca77;

/**
 * Open-addressing hash from a pair of non-negative integers to a non-negative integer, on typed
 * arrays (linear probing). AfterImage uses it to map (component id, component id) to a stream id
 * and (stream id, stream id) to a link id without building a string per packet.
 * No deletion: eviction rebuilds the index from the survivors (`clear` then `set`).
 */
export class PairIndex {
  private firsts: Int32Array;
  private seconds: Int32Array;
  private values: Int32Array;
  private mask: number;
  private used = 0;

  constructor(capacity = MIN_CAPACITY) {
    const size = grownCapacity(MIN_CAPACITY, capacity);
    this.firsts = new Int32Array(size).fill(ABSENT);
    this.seconds = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.used;
  }

  private slot(first: number, second: number): number {
    const h = Math.imul(first, HASH_MUL_1) ^ Math.imul(second + 1, HASH_MUL_2);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** The value stored for (first, second), or ABSENT. */
  get(first: number, second: number): number {
    const firsts = this.firsts;
    const mask = this.mask;
    for (let i = this.slot(first, second); ; i = (i + 1) & mask) {
      const f = firsts[i];
      if (f === ABSENT) return ABSENT;
      if (f === first && this.seconds[i] === second) return this.values[i];
    }
  }

  /** Stores (first, second) -> value (the pair must not be present yet). */
  set(first: number, second: number, value: number): void {
    if ((this.used + 1) > (this.mask + 1) * MAX_LOAD) this.resize((this.mask + 1) * 2);
    this.place(first, second, value);
    this.used++;
  }

  clear(): void {
    this.firsts.fill(ABSENT);
    this.used = 0;
  }

  private place(first: number, second: number, value: number): void {
    const mask = this.mask;
    let i = this.slot(first, second);
    while (this.firsts[i] !== ABSENT) i = (i + 1) & mask;
    this.firsts[i] = first;
    this.seconds[i] = second;
    this.values[i] = value;
  }

  private resize(size: number): void {
    const { firsts, seconds, values } = this;
    this.firsts = new Int32Array(size).fill(ABSENT);
    this.seconds = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
    for (let i = 0; i < firsts.length; i++) {
      if (firsts[i] !== ABSENT) this.place(firsts[i], seconds[i], values[i]);
    }
  }
}
