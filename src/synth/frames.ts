import { finish, put16, sum16 } from './checksum.js';

/**
 * Frame builders for the synthetic captures: Ethernet II (IEEE 802.3 clause 3), IPv4 (RFC 791),
 * IPv6 (RFC 8200), TCP (RFC 9293), UDP (RFC 768), ICMP echo (RFC 792), ICMPv6 (RFC 4443, 4861),
 * ARP (RFC 826). Each builder writes a whole frame at offset 0 of a scratch buffer and returns
 * its length. The caller places the transport payload first, at the offset the `*PayloadAt`
 * helpers give, so that the builders can compute every checksum (all are correct) without a copy.
 * IP total length, UDP length and IPv6 payload length are exact; frames shorter than the Ethernet
 * minimum of 60 bytes (without FCS) get zero padding, as a switch port mirror shows them.
 */

export const ETH_HEADER_BYTES = 14;
export const IPV4_HEADER_BYTES = 20;
export const IPV6_HEADER_BYTES = 40;
export const TCP_HEADER_BYTES = 20;
export const UDP_HEADER_BYTES = 8;
export const ICMP_ECHO_HEADER_BYTES = 8;
export const ARP_BYTES = 28;
export const ETH_MIN_FRAME = 60;
export const MAX_FRAME = 1514;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ICMPV6 = 58;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export const ICMP_ECHO_REPLY = 0;
export const ICMP_ECHO_REQUEST = 8;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
export const ICMPV6_NEIGHBOR_SOLICITATION = 135;
export const ICMPV6_NEIGHBOR_ADVERTISEMENT = 136;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;

const IPV4_VERSION_IHL = 0x45;
const IPV4_DONT_FRAGMENT = 0x4000;
const IPV6_VERSION_WORD = 0x60000000;
const NDP_HOP_LIMIT = 255;
const NDP_OPTION_SOURCE_LL = 1;
const NDP_OPTION_TARGET_LL = 2;
const NDP_NA_SOLICITED_OVERRIDE = 0x60;
const ARP_HTYPE_ETHERNET = 1;
const MAC_BYTES = 6;

/**
 * One end of a conversation as seen on this LAN segment: `mac` is the address frames to and from
 * it carry (the gateway's for a remote host), `ttl` the TTL / hop limit of packets it sends as
 * they arrive here.
 */
export interface Endpoint {
  mac: Uint8Array;
  ip4: number;
  ip6: Uint8Array | null;
  ttl: number;
}

/** The variable part of a TCP header; `options` is pre-encoded, its length a multiple of 4. */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  options: Uint8Array;
}

export const BROADCAST_MAC = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
export const ZERO_MAC = new Uint8Array(MAC_BYTES);

/** Where the TCP payload starts for a header with `optionsLength` bytes of options. */
export function tcpPayloadAt(v6: boolean, optionsLength: number): number {
  return ipPayloadAt(v6) + TCP_HEADER_BYTES + optionsLength;
}

export function udpPayloadAt(v6: boolean): number {
  return ipPayloadAt(v6) + UDP_HEADER_BYTES;
}

/** Where an ICMP or ICMPv6 message starts. */
export function ipPayloadAt(v6: boolean): number {
  return ETH_HEADER_BYTES + (v6 ? IPV6_HEADER_BYTES : IPV4_HEADER_BYTES);
}

/** TCP over IPv4 or IPv6; the payload is already in place at `tcpPayloadAt`. */
export function tcpFrame(
  buf: Uint8Array,
  src: Endpoint,
  dst: Endpoint,
  v6: boolean,
  seg: TcpSegment,
  payloadLength: number,
  ipId: number,
): number {
  const l4 = ipPayloadAt(v6);
  const headerBytes = TCP_HEADER_BYTES + seg.options.length;
  const l4Length = headerBytes + payloadLength;
  put16(buf, l4, seg.srcPort);
  put16(buf, l4 + 2, seg.dstPort);
  put32(buf, l4 + 4, seg.seq);
  put32(buf, l4 + 8, seg.ack);
  buf[l4 + 12] = (headerBytes / 4) << 4;
  buf[l4 + 13] = seg.flags;
  put16(buf, l4 + 14, seg.window);
  put16(buf, l4 + 16, 0);
  put16(buf, l4 + 18, 0); // urgent pointer
  buf.set(seg.options, l4 + TCP_HEADER_BYTES);
  return finishIp(buf, src, dst, v6, IPPROTO_TCP, l4Length, ipId, l4 + 16);
}

/** UDP over IPv4 or IPv6; the payload is already in place at `udpPayloadAt`. */
export function udpFrame(
  buf: Uint8Array,
  src: Endpoint,
  dst: Endpoint,
  v6: boolean,
  srcPort: number,
  dstPort: number,
  payloadLength: number,
  ipId: number,
): number {
  const l4 = ipPayloadAt(v6);
  const l4Length = UDP_HEADER_BYTES + payloadLength;
  put16(buf, l4, srcPort);
  put16(buf, l4 + 2, dstPort);
  put16(buf, l4 + 4, l4Length);
  put16(buf, l4 + 6, 0);
  return finishIp(buf, src, dst, v6, IPPROTO_UDP, l4Length, ipId, l4 + 6);
}

/**
 * ICMP (IPv4) or ICMPv6 echo request/reply with `dataLength` bytes of data, which the builder
 * fills with the incrementing pattern ping uses (byte i = i mod 256).
 */
export function echoFrame(
  buf: Uint8Array,
  src: Endpoint,
  dst: Endpoint,
  v6: boolean,
  type: number,
  id: number,
  seq: number,
  dataLength: number,
  ipId: number,
): number {
  const l4 = ipPayloadAt(v6);
  buf[l4] = type;
  buf[l4 + 1] = 0;
  put16(buf, l4 + 2, 0);
  put16(buf, l4 + 4, id);
  put16(buf, l4 + 6, seq);
  for (let i = 0; i < dataLength; i++) buf[l4 + ICMP_ECHO_HEADER_BYTES + i] = i & 0xff;
  return finishIp(buf, src, dst, v6, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP, ICMP_ECHO_HEADER_BYTES + dataLength, ipId, l4 + 2);
}

/**
 * IPv6 neighbour solicitation (to the target's solicited-node multicast group, RFC 4291 2.7.1)
 * or solicited neighbour advertisement (unicast back), RFC 4861 sections 4.3 and 4.4.
 */
export function neighborFrame(buf: Uint8Array, from: Endpoint, target: Endpoint, advertisement: boolean): number {
  const targetIp = target.ip6;
  const fromIp = from.ip6;
  if (!targetIp || !fromIp) throw new Error('neighbour discovery needs IPv6 endpoints');
  const l4 = ipPayloadAt(true);
  const body = 4 + 4 + 16 + 8; // type/code/checksum, flags, target, link-layer option
  buf[l4] = advertisement ? ICMPV6_NEIGHBOR_ADVERTISEMENT : ICMPV6_NEIGHBOR_SOLICITATION;
  buf[l4 + 1] = 0;
  put16(buf, l4 + 2, 0);
  buf.fill(0, l4 + 4, l4 + 8);
  if (advertisement) buf[l4 + 4] = NDP_NA_SOLICITED_OVERRIDE;
  // The advertised address is the sender's own; the solicited one is the target's.
  buf.set(advertisement ? fromIp : targetIp, l4 + 8);
  buf[l4 + 24] = advertisement ? NDP_OPTION_TARGET_LL : NDP_OPTION_SOURCE_LL;
  buf[l4 + 25] = 1; // option length in units of 8 bytes
  buf.set(from.mac, l4 + 26);
  let dst = target;
  if (!advertisement) {
    const group = solicitedNodeGroup(targetIp);
    dst = { mac: multicastMac(group), ip4: 0, ip6: group, ttl: NDP_HOP_LIMIT };
  }
  const src = { mac: from.mac, ip4: 0, ip6: fromIp, ttl: NDP_HOP_LIMIT };
  return finishIp(buf, src, dst, true, IPPROTO_ICMPV6, body, 0, l4 + 2);
}

/** ARP over Ethernet for IPv4 (28-byte body, padded frame). */
export function arpFrame(
  buf: Uint8Array,
  ethDst: Uint8Array,
  op: number,
  senderMac: Uint8Array,
  senderIp: number,
  targetMac: Uint8Array,
  targetIp: number,
): number {
  writeEthernet(buf, ethDst, senderMac, ETHERTYPE_ARP);
  const a = ETH_HEADER_BYTES;
  put16(buf, a, ARP_HTYPE_ETHERNET);
  put16(buf, a + 2, ETHERTYPE_IPV4);
  buf[a + 4] = MAC_BYTES;
  buf[a + 5] = 4;
  put16(buf, a + 6, op);
  buf.set(senderMac, a + 8);
  put32(buf, a + 14, senderIp);
  buf.set(targetMac, a + 18);
  put32(buf, a + 24, targetIp);
  return pad(buf, a + ARP_BYTES);
}

/** Solicited-node multicast address ff02::1:ffXX:XXXX of an IPv6 address. */
export function solicitedNodeGroup(ip6: Uint8Array): Uint8Array {
  const g = new Uint8Array(16);
  g[0] = 0xff;
  g[1] = 0x02;
  g[11] = 0x01;
  g[12] = 0xff;
  g.set(ip6.subarray(13), 13);
  return g;
}

/** Ethernet address of an IPv6 multicast group: 33:33 + its last 32 bits (RFC 2464 section 7). */
export function multicastMac(group: Uint8Array): Uint8Array {
  const m = new Uint8Array(MAC_BYTES);
  m[0] = 0x33;
  m[1] = 0x33;
  m.set(group.subarray(12), 2);
  return m;
}

/**
 * Writes the Ethernet and IP headers around an L4 message of `l4Length` bytes already in place,
 * computes the IPv4 header checksum and the transport checksum (stored at `checksumAt`), pads.
 */
function finishIp(
  buf: Uint8Array,
  src: Endpoint,
  dst: Endpoint,
  v6: boolean,
  proto: number,
  l4Length: number,
  ipId: number,
  checksumAt: number,
): number {
  const ip = ETH_HEADER_BYTES;
  let pseudo: number;
  if (v6) {
    const s = src.ip6;
    const d = dst.ip6;
    if (!s || !d) throw new Error('IPv6 frame between endpoints without IPv6 addresses');
    writeEthernet(buf, dst.mac, src.mac, ETHERTYPE_IPV6);
    put32(buf, ip, IPV6_VERSION_WORD);
    put16(buf, ip + 4, l4Length);
    buf[ip + 6] = proto;
    buf[ip + 7] = src.ttl;
    buf.set(s, ip + 8);
    buf.set(d, ip + 24);
    pseudo = sum16(buf, ip + 8, 32, l4Length + proto);
  } else {
    writeEthernet(buf, dst.mac, src.mac, ETHERTYPE_IPV4);
    buf[ip] = IPV4_VERSION_IHL;
    buf[ip + 1] = 0;
    put16(buf, ip + 2, IPV4_HEADER_BYTES + l4Length);
    put16(buf, ip + 4, ipId & 0xffff);
    put16(buf, ip + 6, proto === IPPROTO_ICMP ? 0 : IPV4_DONT_FRAGMENT);
    buf[ip + 8] = src.ttl;
    buf[ip + 9] = proto;
    put16(buf, ip + 10, 0);
    put32(buf, ip + 12, src.ip4);
    put32(buf, ip + 16, dst.ip4);
    put16(buf, ip + 10, finish(sum16(buf, ip, IPV4_HEADER_BYTES)));
    // ICMP over IPv4 has no pseudo-header (RFC 792); TCP and UDP do.
    pseudo = proto === IPPROTO_ICMP ? 0 : sum16(buf, ip + 12, 8, l4Length + proto);
  }
  const l4 = ipPayloadAt(v6);
  put16(buf, checksumAt, finish(sum16(buf, l4, l4Length, pseudo)));
  return pad(buf, l4 + l4Length);
}

function writeEthernet(buf: Uint8Array, dst: Uint8Array, src: Uint8Array, etherType: number): void {
  buf.set(dst, 0);
  buf.set(src, MAC_BYTES);
  put16(buf, 2 * MAC_BYTES, etherType);
}

function pad(buf: Uint8Array, length: number): number {
  if (length >= ETH_MIN_FRAME) return length;
  buf.fill(0, length, ETH_MIN_FRAME);
  return ETH_MIN_FRAME;
}

export function put32(buf: Uint8Array, at: number, value: number): void {
  buf[at] = value >>> 24;
  buf[at + 1] = (value >>> 16) & 0xff;
  buf[at + 2] = (value >>> 8) & 0xff;
  buf[at + 3] = value & 0xff;
}
