import { MAX_FRAME } from './frames.js';
import type { Prng } from './prng.js';
import type { PacketSink } from './sink.js';

/**
 * A discrete-event simulation that merges many concurrent conversations into one time-ordered
 * packet stream. Each session knows the time of its next packet; the simulation keeps them in a
 * binary min-heap ordered by (time, order of scheduling), pops the earliest, lets it emit at most
 * one packet at that time, and reschedules it if it has more. Ties are broken by the scheduling
 * counter, so the output is fully deterministic. Times are integer microseconds.
 */
export abstract class Session {
  /** Time of this session's next step, in microseconds. */
  time = 0;
  /** Tie-breaker assigned by the simulation on each (re)scheduling. */
  order = 0;

  /** Emits at most one packet at `this.time`; returns true (after advancing `time`) if it has more. */
  abstract step(sim: Simulation): boolean;
}

export class Simulation {
  /** Scratch frame the sessions build into; sinks copy it. */
  readonly frame = new Uint8Array(MAX_FRAME);
  /** Packets emitted so far (the index of the next one). */
  count = 0;
  /** Time of the last step run, in microseconds. */
  now = 0;
  /** For each attack label, the inclusive [first, last] packet-index ranges of its packets. */
  readonly labelled = new Map<string, Array<[number, number]>>();
  private readonly heap: Session[] = [];
  private scheduled = 0;
  private ipId = 0;

  constructor(
    readonly rng: Prng,
    readonly sink: PacketSink,
  ) {}

  /** Schedules a session at its `time` (which must not be in the past). */
  add(session: Session): void {
    if (session.time < this.now) throw new Error(`session scheduled in the past (${session.time} < ${this.now})`);
    session.order = this.scheduled++;
    const heap = this.heap;
    let i = heap.length;
    heap.push(session);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(session, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = session;
  }

  /** Sends the scratch frame's first `length` bytes as the next packet, under an attack label or none. */
  emit(length: number, label: string | null = null): void {
    if (label !== null) {
      let ranges = this.labelled.get(label);
      if (!ranges) this.labelled.set(label, (ranges = []));
      const last = ranges.at(-1);
      if (last && last[1] === this.count - 1) last[1] = this.count;
      else ranges.push([this.count, this.count]);
    }
    this.sink.packet(this.now, this.frame, length);
    this.count++;
  }

  /** Next IPv4 identification value (one counter for the whole capture keeps it simple). */
  nextIpId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  /** Runs steps in time order until `done()` holds or no session is left. */
  run(done: () => boolean): void {
    const heap = this.heap;
    while (heap.length > 0 && !done()) {
      const s = heap[0];
      const last = heap.pop() as Session;
      if (heap.length > 0) siftDown(heap, last);
      this.now = s.time;
      if (s.step(this)) this.add(s);
    }
  }
}

function before(a: Session, b: Session): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}

/** Places `item` at the root and sifts it down to restore the heap order. */
function siftDown(heap: Session[], item: Session): void {
  const n = heap.length;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= n) break;
    if (child + 1 < n && before(heap[child + 1], heap[child])) child++;
    if (!before(heap[child], item)) break;
    heap[i] = heap[child];
    i = child;
  }
  heap[i] = item;
}
