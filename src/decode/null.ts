import { u32be, u32le } from '../capture/bytes.js';
import type { DecodeContext } from './context.js';
import { decodeEtherType, IEEE_802_3_MAX_LEN } from './ethertype.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodePpp, startsPppHdlc } from './ppp.js';

const NULL_HEADER_LEN = 4;
const BSD_AF_INET = 2;
const BSD_AF_INET6_BSD = 24;
const BSD_AF_INET6_FREEBSD = 28;
const BSD_AF_INET6_DARWIN = 30;
const UPPER_HALF = 0xffff0000;
const TOP_BYTE = 0xff000000;
const THIRD_BYTE = 0x00ff0000;
/** Below this in the third byte, a value in the upper half is a 16-bit AF_ type there (IRIX, UNICOS/mp). */
const UPPER_AF_LIMIT = 0x00060000;
const HALF_SHIFT = 16;
const LOW_BYTE = 0xff;
const BYTE_SHIFT = 8;
const ETHERTYPE_MASK = 0xffff;

/**
 * BSD loopback (tshark packet-null.c).
 * LINKTYPE_NULL (0): a frame starting 0xFF03 is PPP; otherwise a 4-byte family in the capturing host's
 * byte order, read as little-endian; when its upper half is set it is either a 16-bit AF_ type in the
 * upper half (top byte 0, third byte below 6: shifted down) or a big-endian value (byte-swapped).
 * Above 1500 it is an EtherType; otherwise a family whose low byte is 0 is shifted down a byte, and
 * the BSD AF_INET (2) and the three AF_INET6 values (24, 28, 30) are followed.
 * LINKTYPE_LOOP (108): the family in network byte order, nothing else (no PPP, no EtherType).
 * (Rules measured against tshark 4.0.17 on every byte position.)
 */
export function decodeNull(
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
  networkOrder: boolean,
): void {
  if (networkOrder) {
    if (end - off < NULL_HEADER_LEN) return;
    decodeBsdFamily(u32be(buf, off), buf, off + NULL_HEADER_LEN, end, out, ctx);
    return;
  }
  if (startsPppHdlc(buf, off, end)) {
    decodePpp(buf, off, end, out, ctx);
    return;
  }
  if (end - off < NULL_HEADER_LEN) return;
  let family = u32le(buf, off);
  if ((family & UPPER_HALF) !== 0) {
    family = (family & TOP_BYTE) === 0 && (family & THIRD_BYTE) < UPPER_AF_LIMIT ? family >>> HALF_SHIFT : u32be(buf, off);
  }
  const p = off + NULL_HEADER_LEN;
  if (family > IEEE_802_3_MAX_LEN) {
    decodeEtherType(family & ETHERTYPE_MASK, buf, p, end, out, ctx);
    return;
  }
  if ((family & LOW_BYTE) === 0) family >>= BYTE_SHIFT;
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
