import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpPayload } from './ip-proto.js';
import { decodeIpv6 } from './ipv6.js';
import { ipv4String } from './strings.js';

const IPV4_MIN_HEADER_LEN = 20;
const IPV6_VERSION = 6;
const SRC_OFFSET = 12;
const DST_OFFSET = 16;
const FLAG_MORE_FRAGMENTS = 0x2000;
const FRAGMENT_OFFSET_MASK = 0x1fff;
const FRAGMENT_UNIT = 8;

/**
 * IPv4 (tshark packet-ip.c dissect_ip_v4), in tshark's order so that a fault keeps what came before it:
 * - version 6 under an IPv4 EtherType goes to IPv6; other versions, a header length below 20 or a total
 *   length below the header length (except 0, taken as TSO: the rest of the frame) stop with no field;
 * - ip.src needs 16 captured bytes, ip.dst 20 (a header cut shorter keeps what it has);
 * - the payload ends at the total length when the frame holds it (Ethernet padding is not payload);
 * - fragments: if the whole fragment is captured it goes to reassembly and the payload is decoded only on
 *   the fragment completing the datagram, from the reassembled bytes; a fragment not captured whole is
 *   decoded only if it is the first one (offset 0).
 */
export function decodeIpv4(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < 1) return;
  const version = buf[off] >> 4;
  if (version === IPV6_VERSION) {
    decodeIpv6(buf, off, end, out, ctx);
    return;
  }
  const hlen = (buf[off] & 0x0f) * 4;
  if (version !== 4 || hlen < IPV4_MIN_HEADER_LEN || end - off < 4) return;
  let totalLen = (buf[off + 2] << 8) | buf[off + 3];
  if (totalLen < hlen) {
    if (totalLen !== 0) return;
    totalLen = end - off; // tshark's ip_tso_supported: a zero length means "the rest of the frame"
  }
  if (end - off < DST_OFFSET) return;
  const srcOff = off + SRC_OFFSET;
  if (out.ipSrc === '') out.ipSrc = ipv4String(buf, srcOff);
  if (end - off < IPV4_MIN_HEADER_LEN) return;
  if (out.ipDst === '') out.ipDst = ipv4String(buf, off + DST_OFFSET);
  if (end - off < hlen) return;
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
    const key = `${readU32(buf, srcOff)}>${readU32(buf, off + DST_OFFSET)}/${proto}#${id}`;
    const frags = ctx.ipv4Fragments;
    if (frags.add(key, fragOffset, dataLen, more, buf, payload)) {
      decodeIpPayload(proto, frags.prefix, frags.prefixStart, frags.prefixEnd, out, ctx);
    }
    return;
  }
  if (fragOffset === 0) decodeIpPayload(proto, buf, payload, payloadEnd, out, ctx);
}

function readU32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}
