import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv6 } from './ipv6.js';

const ICMPV6_HEADER_LEN = 8;
/** Error messages 1..4: destination unreachable, packet too big, time exceeded, parameter problem. */
const ICMPV6_ERROR_MAX = 4;
const ICMPV6_ERROR_MIN = 1;

/**
 * ICMPv6 (tshark packet-icmpv6.c). It fills none of Kitsune-py's fields (icmp.type is ICMPv4 only), but
 * an error message quotes the offending IPv6 packet, which tshark decodes: its TCP/UDP ports become the
 * frame's first ones, as for ICMPv4 errors.
 */
export function decodeIcmpv6(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < ICMPV6_HEADER_LEN) return;
  const type = buf[off];
  if (type < ICMPV6_ERROR_MIN || type > ICMPV6_ERROR_MAX) return;
  decodeIpv6(buf, off + ICMPV6_HEADER_LEN, end, out, ctx);
}
