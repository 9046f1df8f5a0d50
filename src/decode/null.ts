import type { DecodeContext } from './context.js';
import { decodeEtherType, IEEE_802_3_MAX_LEN } from './ethertype.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodePpp } from './ppp.js';

const NULL_HEADER_LEN = 4;
const BSD_AF_INET = 2;
const BSD_AF_INET6_BSD = 24;
const BSD_AF_INET6_FREEBSD = 28;
const BSD_AF_INET6_DARWIN = 30;
const PPP_ADDRESS_CONTROL = 0xff03;
const UPPER_HALF = 0xffff0000;

/**
 * BSD loopback (tshark packet-null.c). LINKTYPE_NULL (0): a 4-byte address family in the byte order of
 * the capturing host, read as little-endian and byte-swapped when its upper half is set. LINKTYPE_LOOP (108): the
 * same in network byte order. A frame starting 0xFF03 is PPP; a value above 1500 is an EtherType;
 * otherwise the BSD AF_INET (2) and the three AF_INET6 values (24, 28, 30) are followed.
 */
export function decodeNull(
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
  networkOrder: boolean,
): void {
  if (end - off >= 2 && ((buf[off] << 8) | buf[off + 1]) === PPP_ADDRESS_CONTROL) {
    decodePpp(buf, off, end, out, ctx);
    return;
  }
  if (end - off < NULL_HEADER_LEN) return;
  const bigEndian = ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
  const littleEndian = ((buf[off + 3] << 24) | (buf[off + 2] << 16) | (buf[off + 1] << 8) | buf[off]) >>> 0;
  // tshark copies the header into a host (little-endian, as on the reference machine) integer and swaps
  // it when the upper half is set.
  const family = networkOrder || (littleEndian & UPPER_HALF) !== 0 ? bigEndian : littleEndian;
  const p = off + NULL_HEADER_LEN;
  if (family > IEEE_802_3_MAX_LEN) {
    decodeEtherType(family, buf, p, end, out, ctx);
    return;
  }
  decodeBsdFamily(family, buf, p, end, out, ctx);
}

/** A packet by BSD address family: AF_INET (2) and the three AF_INET6 values (24, 28, 30); others carry nothing of ours. */
export function decodeBsdFamily(family: number, buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  switch (family) {
    case BSD_AF_INET:
      decodeIpv4(buf, off, end, out, ctx);
      return;
    case BSD_AF_INET6_BSD:
    case BSD_AF_INET6_FREEBSD:
    case BSD_AF_INET6_DARWIN:
      decodeIpv6(buf, off, end, out, ctx);
      return;
    default:
  }
}
