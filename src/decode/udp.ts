import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { portString } from './strings.js';
import { decodeUdpTunnel, isTunnelPort } from './tunnel.js';
import { hasUdpPortDissector, refusesTunnelPayload } from './udp-ports.js';

const UDP_PORTS_LEN = 4;
export const UDP_HEADER_LEN = 8;

/**
 * UDP and UDP-Lite (tshark packet-udp.c dissect): the ports are shown once 4 bytes are captured; the
 * length needs 6, the checksum 8 (a shorter capture ends there). A length below 8 stops (but 0 over
 * IPv6, a jumbogram's: the payload runs to the IPv6 payload's end), a length of exactly 8 has no
 * payload; otherwise the payload (cut at the length) goes to the dissector of the lower port, then of
 * the higher one, as tshark tries them (decode_udp_ports; port 0 is never tried): the first port with
 * a registered dissector (udp-ports.ts) takes the payload unless that dissector refuses it (see
 * tryPort). UDP-Lite (`lite`): the length field is the checksum coverage, and the payload is the rest
 * of the IP payload. Only tunnel protocols can add to our fields (tunnel.ts).
 */
export function decodeUdp(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext, lite: boolean): void {
  if (end - off < UDP_PORTS_LEN) return;
  const sport = (buf[off] << 8) | buf[off + 1];
  const dport = (buf[off + 2] << 8) | buf[off + 3];
  if (out.udpSrcport === '') out.udpSrcport = portString(sport);
  if (out.udpDstport === '') out.udpDstport = portString(dport);
  if (end - off < UDP_HEADER_LEN) return;
  const ulen = (buf[off + 4] << 8) | buf[off + 5];
  // UDP-Lite's length field is the checksum coverage, and over IPv6 a UDP length of 0 means a
  // jumbogram's (RFC 2675): either way the payload is the rest of the IP payload.
  const toIpEnd = lite || (ulen === 0 && ctx.ipv6Payload);
  if (!toIpEnd && ulen <= UDP_HEADER_LEN) return;
  const payloadEnd = toIpEnd ? end : Math.min(end, off + ulen);
  if (payloadEnd - off <= UDP_HEADER_LEN) return;
  const low = Math.min(sport, dport);
  const high = Math.max(sport, dport);
  if (tryPort(low, high, buf, off + UDP_HEADER_LEN, payloadEnd, out, ctx)) return;
  tryPort(high, low, buf, off + UDP_HEADER_LEN, payloadEnd, out, ctx);
}

/**
 * tshark's dissector_try_uint on the UDP port table: whether the port's dissector took the payload.
 * A tunnel's decoder says so itself; another dissector is taken to accept, unless it was measured to
 * refuse the payload of a tunnel on the `other` port (udp-ports.ts).
 */
function tryPort(port: number, other: number, buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): boolean {
  if (port === 0 || !hasUdpPortDissector(port)) return false;
  if (isTunnelPort(port)) return decodeUdpTunnel(port, buf, off, end, out, ctx);
  return !(isTunnelPort(other) && refusesTunnelPayload(port, other));
}
