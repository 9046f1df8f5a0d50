import { type DecodeContext, MAX_LAYERS } from './context.js';
import { decodeEthernet } from './ethernet.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeMpls } from './mpls.js';

/** NSH base header: flags and length (6 bits, in 4-byte words) in bytes 0-1, MD type, next protocol. */
const NSH_BASE_LEN = 8;
const LENGTH_MASK = 0x3f;
const MD_TYPE_MASK = 0x0f;
const WORD = 4;
const MD_TYPE_AT = 2;
const NEXT_PROTOCOL_AT = 3;
/** MD type 1 has fixed context headers: its length must be 6 words (RFC 8300 section 2.4). */
const MD_TYPE_1 = 1;
const MD_TYPE_1_LEN = 24;
/** Next-protocol values (IANA "NSH Next Protocol", shared with VXLAN-GPE). */
const NEXT_IPV4 = 1;
const NEXT_IPV6 = 2;
const NEXT_ETHERNET = 3;
const NEXT_NSH = 4;
const NEXT_MPLS = 5;

/**
 * Network Service Header (RFC 8300; EtherType 0x894F, tshark packet-nsh.c): a header of its stated
 * length, then the packet its next-protocol field names (IPv4, IPv6, Ethernet, NSH, MPLS); an MD type 1
 * header of another length than 6 words shows nothing (measured). Counts one layer against MAX_LAYERS.
 */
export function decodeNsh(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < NSH_BASE_LEN) return;
  const len = (((buf[off] << 8) | buf[off + 1]) & LENGTH_MASK) * WORD;
  if (len < NSH_BASE_LEN || end - off < len || ctx.depth >= MAX_LAYERS) return;
  if ((buf[off + MD_TYPE_AT] & MD_TYPE_MASK) === MD_TYPE_1 && len !== MD_TYPE_1_LEN) return;
  ctx.depth++;
  decodeByNextProtocol(buf[off + NEXT_PROTOCOL_AT], buf, off + len, end, out, ctx);
  ctx.depth--;
}

/** A packet by the next-protocol values NSH and VXLAN-GPE share (IPv4, IPv6, Ethernet, NSH, MPLS). */
export function decodeByNextProtocol(next: number, buf: Uint8Array, p: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  switch (next) {
    case NEXT_IPV4:
      decodeIpv4(buf, p, end, out, ctx);
      return;
    case NEXT_IPV6:
      decodeIpv6(buf, p, end, out, ctx);
      return;
    case NEXT_ETHERNET:
      decodeEthernet(buf, p, end, out, ctx);
      return;
    case NEXT_NSH:
      decodeNsh(buf, p, end, out, ctx);
      return;
    case NEXT_MPLS:
      decodeMpls(buf, p, end, out, ctx);
      return;
    default:
  }
}
