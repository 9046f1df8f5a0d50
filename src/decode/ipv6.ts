import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpPayload } from './ip-proto.js';
import { ipv6String } from './strings.js';

export const IPV6_HEADER_LEN = 40;
const SRC_OFFSET = 8;
const DST_OFFSET = 24;
const NEXT_HOP_BY_HOP = 0;
const NEXT_ROUTING = 43;
const NEXT_FRAGMENT = 44;
const NEXT_AUTH = 51;
const NEXT_DEST_OPTIONS = 60;
const FRAGMENT_HEADER_LEN = 8;
const FRAGMENT_OFFSET_MASK = 0xfff8;
const FRAGMENT_MORE = 0x0001;
/** Options headers: length in 8-octet units, not counting the first 8. */
const OPTIONS_UNIT = 8;
/** Authentication header: length in 4-octet units, minus 2. */
const AH_UNIT = 4;
const AH_LENGTH_BIAS = 2;

/**
 * IPv6 (tshark packet-ipv6.c). tshark copies the whole 40-byte header first, so a shorter capture shows
 * no IPv6 field. Extension headers (hop-by-hop, routing, destination options, AH) are walked; a header
 * running past the captured bytes stops decoding. A payload length of 0 (jumbogram) means the rest of the
 * frame. Fragment header: as for IPv4, a fragment captured whole goes to reassembly (key: addresses and
 * identification) and only the completing fragment decodes the upper layer; a fragment not captured
 * whole is decoded only at offset 0.
 */
export function decodeIpv6(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < IPV6_HEADER_LEN) return;
  const src = ipv6String(buf, off + SRC_OFFSET);
  const dst = ipv6String(buf, off + DST_OFFSET);
  if (out.ipv6Src === '') out.ipv6Src = src;
  if (out.ipv6Dst === '') out.ipv6Dst = dst;
  const payloadLen = (buf[off + 4] << 8) | buf[off + 5];
  let next = buf[off + 6];
  let p = off + IPV6_HEADER_LEN;
  const datagramEnd = payloadLen === 0 ? end : off + IPV6_HEADER_LEN + payloadLen;
  const payloadEnd = Math.min(end, datagramEnd);
  for (;;) {
    switch (next) {
      case NEXT_HOP_BY_HOP:
      case NEXT_ROUTING:
      case NEXT_DEST_OPTIONS:
      case NEXT_AUTH: {
        if (payloadEnd - p < 2) return;
        const len =
          next === NEXT_AUTH ? (buf[p + 1] + AH_LENGTH_BIAS) * AH_UNIT : (buf[p + 1] + 1) * OPTIONS_UNIT;
        if (payloadEnd - p < len) return;
        next = buf[p];
        p += len;
        continue;
      }
      case NEXT_FRAGMENT:
        decodeFragment(buf, p, payloadEnd, datagramEnd, src, dst, out, ctx);
        return;
      default:
        decodeIpPayload(next, buf, p, payloadEnd, out, ctx);
        return;
    }
  }
}

function decodeFragment(
  buf: Uint8Array,
  p: number,
  end: number,
  datagramEnd: number,
  src: string,
  dst: string,
  out: TsharkFields,
  ctx: DecodeContext,
): void {
  if (end - p < FRAGMENT_HEADER_LEN) return;
  const next = buf[p];
  const field = (buf[p + 2] << 8) | buf[p + 3];
  const fragOffset = field & FRAGMENT_OFFSET_MASK;
  const more = (field & FRAGMENT_MORE) !== 0;
  const data = p + FRAGMENT_HEADER_LEN;
  if (fragOffset === 0 && !more) {
    decodeIpPayload(next, buf, data, end, out, ctx);
    return;
  }
  const dataLen = datagramEnd - data;
  if (dataLen > 0 && datagramEnd <= end) {
    const id = ((buf[p + 4] << 24) | (buf[p + 5] << 16) | (buf[p + 6] << 8) | buf[p + 7]) >>> 0;
    const frags = ctx.ipv6Fragments;
    if (frags.add(`${src}>${dst}#${id}`, fragOffset, dataLen, more, buf, data)) {
      decodeIpPayload(next, frags.prefix, frags.prefixStart, frags.prefixEnd, out, ctx);
    }
    return;
  }
  if (fragOffset === 0) decodeIpPayload(next, buf, data, end, out, ctx);
}
