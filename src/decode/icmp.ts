import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { portString } from './strings.js';

/** tshark reads type, code and byte 5 (RFC 4884 length) before showing anything. */
const ICMP_MIN_READ = 6;
export const ICMP_HEADER_LEN = 8;
const ICMP_UNREACH = 3;
const ICMP_SOURCE_QUENCH = 4;
const ICMP_REDIRECT = 5;
const ICMP_TIME_EXCEEDED = 11;
const ICMP_PARAM_PROBLEM = 12;
/** A redirect quotes the IP header and 8 bytes of its payload. */
const REDIRECT_QUOTED_PAYLOAD = 8;
const RFC4884_UNIT = 4;

/**
 * ICMPv4 (tshark packet-icmp.c dissect_icmp): icmp.type and icmp.code once 6 bytes are captured. The
 * error messages (unreachable, source quench, redirect, time exceeded, parameter problem) then quote the
 * offending datagram after the 8-byte header and tshark decodes it as IP: its ip.src loses to the outer
 * one (first occurrence) but its TCP/UDP ports are the frame's first, so the row is keyed by them.
 * The quoted datagram is cut as tshark cuts it: redirect -> header + 8 bytes; an RFC 4884 length -> that.
 */
export function decodeIcmp(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < ICMP_MIN_READ) return;
  const type = buf[off];
  if (out.icmpType === '') out.icmpType = portString(type);
  if (out.icmpCode === '') out.icmpCode = portString(buf[off + 1]);
  if (
    type !== ICMP_UNREACH &&
    type !== ICMP_SOURCE_QUENCH &&
    type !== ICMP_REDIRECT &&
    type !== ICMP_TIME_EXCEEDED &&
    type !== ICMP_PARAM_PROBLEM
  ) {
    return;
  }
  if (end - off < ICMP_HEADER_LEN) return;
  const quoted = off + ICMP_HEADER_LEN;
  let quotedEnd = end;
  if (type === ICMP_REDIRECT) {
    if (quoted >= end) return;
    quotedEnd = Math.min(end, quoted + (buf[quoted] & 0x0f) * 4 + REDIRECT_QUOTED_PAYLOAD);
  } else {
    const originalWords = buf[off + 5];
    if (originalWords > 0 && end - quoted >= 4) {
      const originalLen = originalWords * RFC4884_UNIT;
      const quotedTotal = (buf[quoted + 2] << 8) | buf[quoted + 3];
      if (end - off > ICMP_HEADER_LEN + originalLen && quotedTotal > originalLen) {
        quotedEnd = Math.min(end, quoted + ((buf[quoted] & 0x0f) * 4 + originalLen));
      }
    }
  }
  decodeIpv4(buf, quoted, quotedEnd, out, ctx);
}
