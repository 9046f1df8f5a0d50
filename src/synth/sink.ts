/**
 * Where a synthetic scenario sends its packets, in time order. `frame` is a reused scratch buffer:
 * a sink copies the first `length` bytes before returning. Times are integer microseconds since
 * the Unix epoch (exact in a double until the year 2255).
 */
export interface PacketSink {
  packet(timeUs: number, frame: Uint8Array, length: number): void;
}

/** Sends every packet to several sinks (e.g. the pcap and the pcapng copy of one capture). */
export class TeeSink implements PacketSink {
  constructor(private readonly sinks: readonly PacketSink[]) {}

  packet(timeUs: number, frame: Uint8Array, length: number): void {
    for (const sink of this.sinks) sink.packet(timeUs, frame, length);
  }
}

/** Keeps copies of the packets in memory (tests and small captures only). */
export class CollectSink implements PacketSink {
  readonly times: number[] = [];
  readonly frames: Uint8Array[] = [];

  packet(timeUs: number, frame: Uint8Array, length: number): void {
    this.times.push(timeUs);
    this.frames.push(frame.slice(0, length));
  }
}
