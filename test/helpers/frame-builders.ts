import type { CaptureRecord } from '../../src/capture/record.js';
import { PacketFields, TsharkFields } from '../../src/decode/fields.js';
import { toPacketFields } from '../../src/decode/kitsune-row.js';
import { PacketDecoder } from '../../src/decode/packet.js';

/*
 * Frame builders for the decoder tests: each writes the bytes of one header in network order, so that
 * a test's expected fields can be read off the values it passes.
 */

export type Bytes = number[];
export const u16 = (v: number): Bytes => [(v >> 8) & 0xff, v & 0xff];
export const le16 = (v: number): Bytes => [v & 0xff, (v >> 8) & 0xff];
export const le32 = (v: number): Bytes => [...le16(v & 0xffff), ...le16(v >>> 16)];
export const u32 = (v: number): Bytes => [(v >>> 24) & 0xff, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff];
export const ip4 = (s: string): Bytes => s.split('.').map(Number);
export const mac = (s: string): Bytes => s.split(':').map((h) => parseInt(h, 16));
export function ip6(s: string): Bytes {
  const [head, tail] = s.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === undefined ? [] : tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => u16(parseInt(g, 16)));
}

export const MAC_A = '00:11:22:33:44:55';
export const MAC_B = 'aa:bb:cc:dd:ee:0f';
export const eth = (type: number, payload: Bytes, dst = MAC_B, src = MAC_A): Bytes => [...mac(dst), ...mac(src), ...u16(type), ...payload];
export const vlan = (tci: number, type: number, payload: Bytes): Bytes => [...u16(tci), ...u16(type), ...payload];

export interface Ipv4Options {
  src?: string;
  dst?: string;
  proto: number;
  id?: number;
  fragOffset?: number;
  more?: boolean;
  totalLen?: number;
}
export function ipv4(o: Ipv4Options, payload: Bytes): Bytes {
  const flags = (o.more ? 0x2000 : 0) | ((o.fragOffset ?? 0) / 8);
  return [
    0x45, 0, ...u16(o.totalLen ?? 20 + payload.length), ...u16(o.id ?? 1), ...u16(flags), 64, o.proto, 0, 0,
    ...ip4(o.src ?? '10.0.0.1'), ...ip4(o.dst ?? '10.0.0.2'), ...payload,
  ];
}
export function ipv6(next: number, payload: Bytes, src = '2001:db8::1', dst = '2001:db8::2'): Bytes {
  return [0x60, 0, 0, 0, ...u16(payload.length), next, 64, ...ip6(src), ...ip6(dst), ...payload];
}
export const udp = (sport: number, dport: number, payload: Bytes = []): Bytes => [
  ...u16(sport), ...u16(dport), ...u16(8 + payload.length), 0, 0, ...payload,
];
export const tcp = (sport: number, dport: number): Bytes => [
  ...u16(sport), ...u16(dport), ...u32(1), ...u32(0), 0x50, 0x02, ...u16(1024), 0, 0, 0, 0,
];
export const icmp = (type: number, code: number, rest: Bytes = [0, 0, 0, 0], payload: Bytes = []): Bytes => [type, code, 0, 0, ...rest, ...payload];
export function arp(op: number, sha: string, spa: string, tha: string, tpa: string): Bytes {
  return [...u16(1), ...u16(0x0800), 6, 4, ...u16(op), ...mac(sha), ...ip4(spa), ...mac(tha), ...ip4(tpa)];
}

export const TCP = 6;
export const UDP = 17;
export const ICMP = 1;
export const ETH = 1;
export const T0 = 1_600_000_000;

export function record(linkType: number, bytes: Bytes | Uint8Array, caplen?: number, index = 0): CaptureRecord {
  const data = bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes);
  const n = caplen ?? data.length;
  return {
    index, linkType, sec: T0, frac: 500_000_000, caplen: n, wireLen: data.length, data: data.subarray(0, n), file: 'x', offset: 0,
    hasTime: true,
  };
}

export function decodeWith(decoder: PacketDecoder, linkType: number, bytes: Bytes, caplen?: number): TsharkFields {
  const t = new TsharkFields();
  decoder.decode(record(linkType, bytes, caplen), t);
  return t;
}
export const decode = (linkType: number, bytes: Bytes, caplen?: number): TsharkFields =>
  decodeWith(new PacketDecoder(), linkType, bytes, caplen);

export function row(t: TsharkFields): PacketFields {
  const p = new PacketFields();
  toPacketFields(t, 0, p);
  return p;
}

