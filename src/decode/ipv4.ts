import { u32be } from '../capture/bytes.js';
import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpPayload } from './ip-proto.js';
import { decodeIpv6, IP_VERSION_6 } from './ipv6.js';
import { ipv4String } from './strings.js';

const IPV4_MIN_HEADER_LEN = 20;
/** The IP header's version nibble of an IPv4 packet. */
export const IP_VERSION_4 = 4;
const SRC_OFFSET = 12;
const DST_OFFSET = 16;
const FLAG_MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;
const FRAGMENT_UNIT = 8;
const IPOPT_END = 0;
const IPOPT_NOP = 1;
const IPOPT_LSRR = 0x83;
const IPOPT_SSRR = 0x89;
/** Route option: type, length, pointer, then 4-byte addresses; a valid pointer is >= 4 and a multiple of 4. */
const ROUTE_HEADER_LEN = 3;
const ROUTE_MIN_POINTER = 4;
const IPV4_ADDR_LEN = 4;
/** No source route, or one whose final address tshark does not show as ip.dst. */
const NO_ROUTE = -1;
const ROUTE_WITHOUT_DST = -2;
/** The options walk needed a byte past the captured ones: tshark stops before ip.dst. */
const ROUTE_CUT = -3;
/**
 * Shortest length of the known options whose dissector reads a value (tshark 4.0.17, measured for every
 * type at lengths 2 to 12): a shorter one throws, and the packet shows nothing after ip.dst.
 */
const MIN_OPTION_LEN: ReadonlyMap<number, number> = new Map([
  [0x07, 3], // record route
  [0x0b, 4], // MTU probe
  [0x0c, 4], // MTU reply
  [0x19, 8], // quick-start
  [0x44, 4], // timestamp
  [0x52, 12], // traceroute
  [0x82, 3], // security
  [IPOPT_LSRR, 3],
  [0x85, 3], // extended security
  [0x86, 6], // CIPSO
  [0x88, 4], // stream id
  [IPOPT_SSRR, 3],
  [0x94, 4], // router alert
]);

/**
 * IPv4 (tshark packet-ip.c dissect_ip_v4), in tshark's order so that a fault keeps what came before it:
 * - version 6 under an IPv4 EtherType goes to IPv6; other versions, a header length below 20 or a total
 *   length below the header length (except 0, taken as TSO: the rest of the frame) stop with no field;
 * - ip.src needs 16 captured bytes, ip.dst 20 (a header cut shorter keeps what it has);
 * - with a loose/strict source route option still in progress, ip.dst is the route's final address
 *   (the header's is only the next hop); tshark shows it only when the option's length is a whole
 *   number of addresses;
 * - the payload ends at the total length when the frame holds it (Ethernet padding is not payload);
 * - fragments: if the whole fragment is captured it goes to reassembly and the payload is decoded only on
 *   the fragment completing the datagram, from the reassembled bytes; a fragment not captured whole is
 *   decoded only if it is the first one (offset 0).
 */
export function decodeIpv4(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < 1) return;
  const version = buf[off] >> 4;
  if (version === IP_VERSION_6) {
    decodeIpv6(buf, off, end, out, ctx);
    return;
  }
  const hlen = (buf[off] & 0x0f) * 4;
  if (version !== IP_VERSION_4 || hlen < IPV4_MIN_HEADER_LEN || end - off < 4) return;
  let totalLen = (buf[off + 2] << 8) | buf[off + 3];
  if (totalLen < hlen) {
    if (totalLen !== 0) return;
    totalLen = end - off; // tshark's ip_tso_supported: a zero length means "the rest of the frame"
  }
  if (end - off < DST_OFFSET) return;
  const srcOff = off + SRC_OFFSET;
  if (out.ipSrc === '') out.ipSrc = ipv4String(buf, srcOff);
  if (end - off < IPV4_MIN_HEADER_LEN) return;
  const route = finalRouteAddress(buf, off + IPV4_MIN_HEADER_LEN, off + hlen, end);
  if (route === ROUTE_CUT) return;
  if (out.ipDst === '' && route !== ROUTE_WITHOUT_DST) {
    out.ipDst = ipv4String(buf, route === NO_ROUTE ? off + DST_OFFSET : route);
  }
  if (end - off < hlen || !optionsValid(buf, off + IPV4_MIN_HEADER_LEN, off + hlen)) return;
  ctx.ipv6Payload = false;
  const payloadEnd = Math.min(end, off + totalLen);
  const payload = off + hlen;
  const proto = buf[off + 9];
  const fragField = (buf[off + 6] << 8) | buf[off + 7];
  const fragOffset = (fragField & FRAGMENT_OFFSET_MASK) * FRAGMENT_UNIT;
  const more = (fragField & FLAG_MORE_FRAGMENTS) !== 0;
  if (!more && fragOffset === 0) {
    decodeIpPayload(proto, buf, payload, payloadEnd, out, ctx);
    return;
  }
  const dataLen = totalLen - hlen;
  if (dataLen > 0 && off + totalLen <= end) {
    const id = (buf[off + 4] << 8) | buf[off + 5];
    // tshark's key: the addresses and proto ^ id ^ VLAN id (so such XOR collisions share a datagram).
    const key = `${u32be(buf, srcOff)}>${u32be(buf, off + DST_OFFSET)}#${proto ^ id ^ ctx.vlanId}`;
    const frags = ctx.ipv4Fragments;
    if (frags.add(key, fragOffset, dataLen, more, buf, payload)) {
      decodeIpPayload(proto, frags.prefix, frags.prefixStart, frags.prefixEnd, out, ctx);
    }
    return;
  }
  if (fragOffset === 0) decodeIpPayload(proto, buf, payload, payloadEnd, out, ctx);
}

/**
 * Offset of the final destination in a loose/strict source route option among the options in
 * [p, end) (packet-ip.c get_dst_offset, dissect_ipopt_route), NO_ROUTE if there is no route in
 * progress, ROUTE_WITHOUT_DST if the option's length leaves the last address unaligned, ROUTE_CUT if
 * the walk reads past the captured bytes (`captured`).
 */
function finalRouteAddress(buf: Uint8Array, p: number, end: number, captured: number): number {
  // The first route option decides, but the walk goes on to the end of the options (reading past
  // the captured bytes there still hides ip.dst).
  let route = NO_ROUTE;
  let found = false;
  while (p < end) {
    if (p >= captured) return ROUTE_CUT;
    const type = buf[p];
    if (type === IPOPT_END) break;
    if (type === IPOPT_NOP) {
      p++;
      continue;
    }
    if (end - p < 2) break;
    if (p + 1 >= captured) return ROUTE_CUT;
    const len = buf[p + 1];
    if (len < 2 || end - p < len) break;
    if (!found && (type === IPOPT_LSRR || type === IPOPT_SSRR)) {
      found = true;
      if (p + 2 >= captured) return ROUTE_CUT;
      route = routeDestination(buf, p, len, captured);
      if (route === ROUTE_CUT) return ROUTE_CUT;
    }
    p += len;
  }
  return route;
}

/** The final address of the route option at p (length len): an exhausted or invalid pointer means no route in progress. */
function routeDestination(buf: Uint8Array, p: number, len: number, captured: number): number {
  const ptr = buf[p + 2];
  if (ptr < ROUTE_MIN_POINTER || (ptr & 3) !== 0 || ptr > len) return NO_ROUTE;
  if ((len - ROUTE_HEADER_LEN) % IPV4_ADDR_LEN !== 0) return ROUTE_WITHOUT_DST;
  return p + len > captured ? ROUTE_CUT : p + len - IPV4_ADDR_LEN;
}

/**
 * tshark's options walk (dissect_ip_options): false when a known option is shorter than its dissector
 * reads (MIN_OPTION_LEN). A length below 2 or past the options' end only ends the walk.
 */
function optionsValid(buf: Uint8Array, p: number, end: number): boolean {
  while (p < end) {
    const type = buf[p];
    if (type === IPOPT_END) return true;
    if (type === IPOPT_NOP) {
      p++;
      continue;
    }
    if (end - p < 2) return true;
    const len = buf[p + 1];
    if (len < 2 || end - p < len) return true;
    if (len < (MIN_OPTION_LEN.get(type) ?? 2)) return false;
    p += len;
  }
  return true;
}
