import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv6 } from './ipv6.js';

const ICMPV6_HEADER_LEN = 8;
/** Error messages 1..4: destination unreachable, packet too big, time exceeded, parameter problem. */
const ICMPV6_ERROR_MAX = 4;
const ICMPV6_ERROR_MIN = 1;
/** Redirect (RFC 4861): header, target (16), destination (16), then neighbour discovery options. */
const ICMPV6_REDIRECT = 137;
const REDIRECT_OPTIONS_AT = 40;
/** ND option: type, length in 8-byte units; the redirected-header option has 6 reserved bytes before the quote. */
const ND_OPTION_UNIT = 8;
const ND_REDIRECTED_HEADER = 4;
const REDIRECTED_HEADER_QUOTE_AT = 8;

/**
 * ICMPv6 (tshark packet-icmpv6.c). It fills none of Kitsune-py's fields (icmp.type is ICMPv4 only), but
 * an error message quotes the offending IPv6 packet, and a redirect's redirected-header option quotes
 * the redirected one, which tshark decodes: its TCP/UDP ports become the frame's first ones, as for
 * ICMPv4 errors. A zero option length ends the option walk.
 */
export function decodeIcmpv6(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < ICMPV6_HEADER_LEN) return;
  const type = buf[off];
  if (type >= ICMPV6_ERROR_MIN && type <= ICMPV6_ERROR_MAX) {
    decodeIpv6(buf, off + ICMPV6_HEADER_LEN, end, out, ctx);
    return;
  }
  if (type !== ICMPV6_REDIRECT) return;
  for (let p = off + REDIRECT_OPTIONS_AT; end - p >= 2; ) {
    const len = buf[p + 1] * ND_OPTION_UNIT;
    if (len === 0) return;
    if (buf[p] === ND_REDIRECTED_HEADER) {
      decodeIpv6(buf, p + REDIRECTED_HEADER_QUOTE_AT, Math.min(end, p + len), out, ctx);
      return;
    }
    p += len;
  }
}
