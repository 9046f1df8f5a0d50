import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpByVersion } from './tunnel.js';

const MPLS_LABEL_LEN = 4;
const MPLS_BOTTOM_OF_STACK = 0x01;

/**
 * MPLS (RFC 3032): label stack entries up to the bottom-of-stack bit, then an IP packet recognised by its
 * version nibble as tshark's default does. Pseudowires (first nibble 0) are not followed.
 */
export function decodeMpls(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  let p = off;
  for (;;) {
    if (end - p < MPLS_LABEL_LEN) return;
    const bottom = (buf[p + 2] & MPLS_BOTTOM_OF_STACK) !== 0;
    p += MPLS_LABEL_LEN;
    if (bottom) break;
  }
  decodeIpByVersion(buf, p, end, out, ctx);
}
