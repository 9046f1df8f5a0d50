import { u32be } from '../capture/bytes.js';
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
/** The IP header's version nibble of an IPv6 packet. */
export const IP_VERSION_6 = 6;
/** Hop-by-hop options: Pad1 is a lone byte; the jumbo payload option (RFC 2675) holds a 4-byte length above 65535. */
const OPTION_PAD1 = 0;
const OPTION_JUMBO = 0xc2;
const JUMBO_LEN = 4;
const MAX_PLAIN_PAYLOAD = 0xffff;

/**
 * IPv6 (tshark packet-ipv6.c). A version nibble other than 6 shows nothing; ipv6.src needs 24 captured
 * bytes, ipv6.dst and everything after it the whole 40-byte header. Extension headers (hop-by-hop,
 * routing, destination options, AH) are walked; a header running past the captured bytes stops
 * decoding. A payload length of 0 is a jumbogram only with a hop-by-hop jumbo payload option above
 * 65535 (RFC 2675): its length then bounds the datagram; without one tshark shows no upper layer.
 * Fragment header: an atomic one (offset 0, no more fragments) is walked past; otherwise, as for IPv4,
 * a fragment captured whole goes to reassembly (key: addresses and identification) and only the
 * completing fragment decodes the upper layer; unlike IPv4, a fragment not captured whole shows no
 * upper layer, even at offset 0. A hop-by-hop or destination option running past the IPv6 payload
 * is malformed: nothing after it is shown.
 */
export function decodeIpv6(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < DST_OFFSET || buf[off] >> 4 !== IP_VERSION_6) return;
  const src = ipv6String(buf, off + SRC_OFFSET);
  if (out.ipv6Src === '') out.ipv6Src = src;
  if (end - off < IPV6_HEADER_LEN) return;
  const dst = ipv6String(buf, off + DST_OFFSET);
  if (out.ipv6Dst === '') out.ipv6Dst = dst;
  const payloadLen = (buf[off + 4] << 8) | buf[off + 5];
  let next = buf[off + 6];
  let p = off + IPV6_HEADER_LEN;
  const datagramLen = payloadLen !== 0 ? payloadLen : next === NEXT_HOP_BY_HOP ? jumboPayloadLength(buf, p, end) : 0;
  if (datagramLen === 0) return;
  const datagramEnd = off + IPV6_HEADER_LEN + datagramLen;
  const payloadEnd = Math.min(end, datagramEnd);
  ctx.ipv6Payload = true;
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
        if ((next === NEXT_HOP_BY_HOP || next === NEXT_DEST_OPTIONS) && !optionsWellFormed(buf, p + 2, p + len, payloadEnd)) return;
        next = buf[p];
        p += len;
        continue;
      }
      case NEXT_FRAGMENT:
        if (payloadEnd - p >= FRAGMENT_HEADER_LEN && isAtomic(buf, p)) {
          // An atomic fragment (offset 0, no more fragments) is the whole datagram: walk on.
          next = buf[p];
          p += FRAGMENT_HEADER_LEN;
          continue;
        }
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
  const dataLen = datagramEnd - data;
  if (dataLen > 0 && datagramEnd <= end) {
    const id = u32be(buf, p + 4);
    const frags = ctx.ipv6Fragments;
    if (frags.add(`${src}>${dst}#${id}`, fragOffset, dataLen, more, buf, data)) {
      decodeIpPayload(next, frags.prefix, frags.prefixStart, frags.prefixEnd, out, ctx);
    }
    return;
  }
}

/** Whether the fragment header at p is atomic: offset 0 and no more fragments. */
function isAtomic(buf: Uint8Array, p: number): boolean {
  return (((buf[p + 2] << 8) | buf[p + 3]) & (FRAGMENT_OFFSET_MASK | FRAGMENT_MORE)) === 0;
}

/**
 * tshark's options walk in a hop-by-hop or destination options header (options in [q, headerEnd)):
 * an option may run past its header (the walk then ends), but one running past the IPv6 payload
 * (`payloadEnd`; its length byte included) is malformed and stops the packet (measured on every length).
 */
function optionsWellFormed(buf: Uint8Array, q: number, headerEnd: number, payloadEnd: number): boolean {
  while (q < headerEnd) {
    if (buf[q] === OPTION_PAD1) {
      q++;
      continue;
    }
    if (payloadEnd - q < 2) return false;
    q += 2 + buf[q + 1];
    if (q > payloadEnd) return false;
  }
  return true;
}

/** The jumbo payload length in the hop-by-hop header at p, or 0 when it has no valid one. */
function jumboPayloadLength(buf: Uint8Array, p: number, end: number): number {
  if (end - p < 2) return 0;
  const headerEnd = Math.min(end, p + (buf[p + 1] + 1) * OPTIONS_UNIT);
  let q = p + 2;
  while (q < headerEnd) {
    const type = buf[q];
    if (type === OPTION_PAD1) {
      q++;
      continue;
    }
    if (headerEnd - q < 2) return 0;
    const len = buf[q + 1];
    if (type === OPTION_JUMBO && len === JUMBO_LEN && headerEnd - q >= 2 + JUMBO_LEN) {
      const jumbo = u32be(buf, q + 2);
      return jumbo > MAX_PLAIN_PAYLOAD ? jumbo : 0;
    }
    q += 2 + len;
  }
  return 0;
}
