import { grownCapacity, MIN_CAPACITY } from './growth.js';

/** Sentinel for an empty slot and for "not found". */
export const ABSENT = -1;
/** The table is rebuilt twice as large when more than this share of its slots is used. */
const MAX_LOAD = 0.5;
/** Multipliers of the integer hash (golden-ratio and murmur3 constants). */
const HASH_MUL_1 = 0x9e3779b1;
const HASH_MUL_2 = 0x85ebca77;

/** Int32 values per entry: first, second, value (and one of padding, so an entry never straddles a cache line). */
const ENTRY = 4;
const SECOND = 1;
const VALUE = 2;

/**
 * Open-addressing hash from a pair of non-negative integers to a non-negative integer, on one typed
 * array of interleaved entries (linear probing): a probe reads one cache line, not one per field.
 * AfterImage uses it to map (component id, component id) to a stream id and (stream id, stream id)
 * to a link id without building a string per packet.
 * No deletion: eviction rebuilds the index from the survivors (`clear` then `set`).
 */
export class PairIndex {
  /** Entry i at [ENTRY·i]: first (ABSENT when empty), second, value. */
  private entries: Int32Array;
  private mask: number;
  private used = 0;

  constructor(capacity = MIN_CAPACITY) {
    const size = grownCapacity(MIN_CAPACITY, capacity);
    this.entries = emptyEntries(size);
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
    const entries = this.entries;
    const mask = this.mask;
    for (let i = this.slot(first, second); ; i = (i + 1) & mask) {
      const at = i * ENTRY;
      const f = entries[at];
      if (f === ABSENT) return ABSENT;
      if (f === first && entries[at + SECOND] === second) return entries[at + VALUE];
    }
  }

  /** Stores (first, second) -> value (the pair must not be present yet). */
  set(first: number, second: number, value: number): void {
    if ((this.used + 1) > (this.mask + 1) * MAX_LOAD) this.resize((this.mask + 1) * 2);
    this.place(first, second, value);
    this.used++;
  }

  clear(): void {
    this.entries.fill(ABSENT);
    this.used = 0;
  }

  private place(first: number, second: number, value: number): void {
    const entries = this.entries;
    const mask = this.mask;
    let i = this.slot(first, second);
    while (entries[i * ENTRY] !== ABSENT) i = (i + 1) & mask;
    entries[i * ENTRY] = first;
    entries[i * ENTRY + SECOND] = second;
    entries[i * ENTRY + VALUE] = value;
  }

  private resize(size: number): void {
    const old = this.entries;
    this.entries = emptyEntries(size);
    this.mask = size - 1;
    for (let at = 0; at < old.length; at += ENTRY) {
      if (old[at] !== ABSENT) this.place(old[at], old[at + SECOND], old[at + VALUE]);
    }
  }
}

function emptyEntries(size: number): Int32Array {
  return new Int32Array(size * ENTRY).fill(ABSENT);
}
