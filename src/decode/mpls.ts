import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeIpByVersion } from './tunnel.js';

const MPLS_LABEL_LEN = 4;
const MPLS_BOTTOM_OF_STACK = 0x01;
/** Associated channel header (RFC 5586): first nibble 1, version, reserved, channel type (2). */
const ACH_NIBBLE = 1;
const ACH_LEN = 4;
const ACH_CHANNEL_AT = 2;
/** Channel types carrying IP (the PPP protocol numbers). */
const ACH_IPV4 = 0x0021;
const ACH_IPV6 = 0x0057;

/**
 * MPLS (RFC 3032): label stack entries up to the bottom-of-stack bit, then an IP packet recognised by its
 * version nibble as tshark's default does, or an associated channel (first nibble 1) carrying IPv4 or
 * IPv6. Pseudowires (first nibble 0, tshark guesses at a control word and Ethernet) are not followed.
 */
export function decodeMpls(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  let p = off;
  for (;;) {
    if (end - p < MPLS_LABEL_LEN) return;
    const bottom = (buf[p + 2] & MPLS_BOTTOM_OF_STACK) !== 0;
    p += MPLS_LABEL_LEN;
    if (bottom) break;
  }
  if (end - p >= ACH_LEN && buf[p] >> 4 === ACH_NIBBLE) {
    const channel = (buf[p + ACH_CHANNEL_AT] << 8) | buf[p + ACH_CHANNEL_AT + 1];
    if (channel === ACH_IPV4) decodeIpv4(buf, p + ACH_LEN, end, out, ctx);
    else if (channel === ACH_IPV6) decodeIpv6(buf, p + ACH_LEN, end, out, ctx);
    return;
  }
  decodeIpByVersion(buf, p, end, out, ctx);
}
