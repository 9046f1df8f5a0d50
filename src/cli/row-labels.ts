import type { PacketFields } from '../decode/fields.js';

/**
 * What a score row says about its packet (index, time, addresses, ports, protocol), kept while the
 * packet's score is computed, possibly on a worker thread. Fixed capacity, reused: storing a packet
 * copies numbers and string references, nothing is allocated.
 */
export class RowLabels {
  readonly index: Float64Array;
  readonly time: Float64Array;
  readonly src: string[];
  readonly dst: string[];
  readonly sport: string[];
  readonly dport: string[];
  readonly proto: string[];

  constructor(capacity: number) {
    this.index = new Float64Array(capacity);
    this.time = new Float64Array(capacity);
    this.src = new Array<string>(capacity).fill('');
    this.dst = new Array<string>(capacity).fill('');
    this.sport = new Array<string>(capacity).fill('');
    this.dport = new Array<string>(capacity).fill('');
    this.proto = new Array<string>(capacity).fill('');
  }

  /** Ports are shown for TCP and UDP only: Kitsune-py's srcProtocol is 'arp' or 'icmp' otherwise. */
  store(slot: number, packet: PacketFields): void {
    const ports = packet.proto === 'tcp' || packet.proto === 'udp';
    this.index[slot] = packet.index;
    this.time[slot] = packet.timestamp;
    this.src[slot] = packet.srcIP;
    this.dst[slot] = packet.dstIP;
    this.sport[slot] = ports ? packet.srcProtocol : '';
    this.dport[slot] = ports ? packet.dstProtocol : '';
    this.proto[slot] = packet.proto;
  }

  /** A row of a feature table: only its index is known. */
  storeIndex(slot: number, index: number): void {
    this.index[slot] = index;
    this.time[slot] = Number.NaN;
    this.src[slot] = this.dst[slot] = this.sport[slot] = this.dport[slot] = this.proto[slot] = '';
  }
}
