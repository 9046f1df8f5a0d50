import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';

const PPP_ADDRESS = 0xff;
const PPP_CONTROL = 0x03;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
/** PPPoE session header: version/type, code, session id (2), length (2). */
const PPPOE_HEADER_LEN = 6;

/**
 * PPP (RFC 1661; linktypes 9 and 50, PPTP's GRE): optional address/control bytes 0xFF 0x03, then the
 * protocol (one byte when compressed: odd first byte). Only IPv4 and IPv6 are followed.
 */
export function decodePpp(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  let p = off;
  if (end - p >= 2 && buf[p] === PPP_ADDRESS && buf[p + 1] === PPP_CONTROL) p += 2;
  if (end - p < 1) return;
  let proto: number;
  if ((buf[p] & 1) !== 0) {
    proto = buf[p];
    p += 1;
  } else {
    if (end - p < 2) return;
    proto = (buf[p] << 8) | buf[p + 1];
    p += 2;
  }
  dispatchPppProtocol(proto, buf, p, end, out, ctx);
}

/** PPPoE session stage (RFC 2516, EtherType 0x8864): header, then a PPP protocol field; length bounds it. */
export function decodePppoeSession(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < PPPOE_HEADER_LEN + 2) return;
  const length = (buf[off + 4] << 8) | buf[off + 5];
  const payloadEnd = Math.min(end, off + PPPOE_HEADER_LEN + length);
  const p = off + PPPOE_HEADER_LEN;
  if (payloadEnd - p < 2) return;
  dispatchPppProtocol((buf[p] << 8) | buf[p + 1], buf, p + 2, payloadEnd, out, ctx);
}

function dispatchPppProtocol(
  proto: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): void {
  if (proto === PPP_IPV4) decodeIpv4(buf, off, end, out, ctx);
  else if (proto === PPP_IPV6) decodeIpv6(buf, off, end, out, ctx);
}
