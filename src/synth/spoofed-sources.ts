import { ipv4 } from './addresses.js';
import { finish, put16, sum16 } from './checksum.js';
import { ETH_HEADER_BYTES, IPV4_HEADER_BYTES, MAX_FRAME, TCP_SYN, put32, tcpFrame, type Endpoint } from './frames.js';
import { PcapWriter } from './pcap-writer.js';
import { Prng } from './prng.js';

/**
 * The `spoofed-sources` capture for the memory test: a SYN flood of `packets` frames from
 * `sources` distinct spoofed sources (distinct IPv4 address AND distinct locally administered
 * MAC each), to one victim port. The first `sources` packets each introduce a new source; later
 * packets reuse a uniformly drawn one, so stream tables reach exactly `sources` entries.
 * Generation patches one template frame in place (source MAC, IP, port, sequence number, both
 * checksums recomputed over the 20-byte headers) instead of building each frame.
 */
export const SPOOFED_START_US = 1_709_714_400_000_000;
const PACKET_GAP_US = 20;
const VICTIM_PORT = 80;
const FLOOD_WINDOW = 512;
/** Source i gets 16.0.0.0 + (i * odd constant mod 2^28): distinct for i < 2^28, spread over 16.0.0.0/4. */
const SOURCE_BASE = ipv4('16.0.0.0');
const SOURCE_MASK = 0x0fffffff;
const SOURCE_SPREAD = 0x9e3779b1;
const LOCAL_MAC_PREFIX = 0x02;
const IP_AT = ETH_HEADER_BYTES;
const TCP_AT = ETH_HEADER_BYTES + IPV4_HEADER_BYTES;

export function writeSpoofedCapture(file: string, packets: number, sources: number, seed: number): void {
  const rng = new Prng(seed);
  const victim: Endpoint = { mac: new Uint8Array([0, 0, 0x5e, 0, 0x53, 0x0a]), ip4: ipv4('10.40.0.10'), ip6: null, ttl: 64 };
  const source: Endpoint = { mac: new Uint8Array(6), ip4: 0, ip6: null, ttl: 57 };
  const frame = new Uint8Array(MAX_FRAME);
  const seg = { srcPort: 0, dstPort: VICTIM_PORT, seq: 0, ack: 0, flags: TCP_SYN, window: FLOOD_WINDOW, options: new Uint8Array(0) };
  const length = tcpFrame(frame, source, victim, false, seg, 0, 0);
  const out = new PcapWriter(file);
  for (let k = 0; k < packets; k++) {
    const i = k < sources ? k : rng.int(0, sources - 1);
    frame[6] = LOCAL_MAC_PREFIX;
    frame[7] = 0;
    put32(frame, 8, i);
    put32(frame, IP_AT + 12, (SOURCE_BASE + (Math.imul(i, SOURCE_SPREAD) & SOURCE_MASK)) >>> 0);
    put16(frame, IP_AT + 4, k & 0xffff);
    put16(frame, IP_AT + 10, 0);
    put16(frame, IP_AT + 10, finish(sum16(frame, IP_AT, IPV4_HEADER_BYTES)));
    put16(frame, TCP_AT, rng.int(1024, 65535));
    put32(frame, TCP_AT + 4, rng.u32());
    put16(frame, TCP_AT + 16, 0);
    const pseudo = sum16(frame, IP_AT + 12, 8, frame[IP_AT + 9] + (length - TCP_AT));
    put16(frame, TCP_AT + 16, finish(sum16(frame, TCP_AT, length - TCP_AT, pseudo)));
    out.packet(SPOOFED_START_US + k * PACKET_GAP_US, frame, length);
  }
  out.close();
}
