import type { ComponentInterner } from './component-interner.js';
import type { LinkTable } from './link-table.js';
import type { StreamTable } from './stream-table.js';

/**
 * Eviction: a NON-faithful option bounding AfterImage's memory (Kitsune-py never forgets a stream,
 * so millions of spoofed sources grow it without bound).
 *
 * A sweep (amortised: run every max(MIN_SWEEP_INTERVAL, streams left by the last sweep) packets, or when a table
 * passes maxStreams) drops
 *  - with evictBelow = W: every stream whose weight, decayed to the latest time seen, is below W in
 *    every window, and every link whose w3 is, or whose stream is dropped;
 *  - with maxStreams = N: when a table still holds more than N streams, its least recently updated
 *    ones (by last time) until LRU_KEEP_SHARE * N remain.
 * A dropped key that comes back starts afresh (weight 1e-20), so its features differ from Kitsune-py's
 * by at most what the forgotten, decayed-below-W history contributed (measured in the bench).
 */

/** Fewest packets between two periodic sweeps. */
export const MIN_SWEEP_INTERVAL = 65_536;
/** Share of maxStreams a table is cut down to when it overflows, so that sweeps stay amortised. */
export const LRU_KEEP_SHARE = 0.5;

export interface EvictableTable {
  streams: StreamTable;
  links?: LinkTable;
}

/** Runs one sweep over all tables; returns the number of streams dropped. */
export function sweep(
  tables: readonly EvictableTable[],
  interner: ComponentInterner,
  now: number,
  evictBelow: number,
  maxStreams: number,
): number {
  for (const { links } of tables) links?.flush();
  const streamKeeps = tables.map(({ streams }) => streamsToKeep(streams, now, evictBelow, maxStreams));
  const used = new Uint8Array(interner.size);
  tables.forEach(({ streams }, i) => streams.markComponents(streamKeeps[i], used));
  const componentRemap = interner.compact(used);
  let dropped = 0;
  tables.forEach(({ streams, links }, i) => {
    const before = streams.count;
    const streamRemap = streams.compact(streamKeeps[i], componentRemap);
    dropped += before - streams.count;
    if (links !== undefined) {
      const keep = new Uint8Array(links.count);
      for (let l = 0; l < links.count; l++) keep[l] = links.maxDecayedWeight(l, now) >= evictBelow ? 1 : 0;
      links.compact(keep, streamRemap);
    }
  });
  return dropped;
}

function streamsToKeep(streams: StreamTable, now: number, evictBelow: number, maxStreams: number): Uint8Array {
  const keep = new Uint8Array(streams.count);
  let kept = 0;
  for (let s = 0; s < streams.count; s++) {
    if (streams.maxDecayedWeight(s, now) >= evictBelow) {
      keep[s] = 1;
      kept++;
    }
  }
  if (kept <= maxStreams) return keep;
  const target = Math.floor(LRU_KEEP_SHARE * maxStreams);
  const candidates = Int32Array.from({ length: kept }, () => 0);
  let n = 0;
  for (let s = 0; s < streams.count; s++) if (keep[s] === 1) candidates[n++] = s;
  // Most recent first; ties broken by the later-created stream, so the cut is deterministic.
  candidates.sort((x, y) => streams.time[y] - streams.time[x] || y - x);
  for (let i = target; i < kept; i++) keep[candidates[i]] = 0;
  return keep;
}
