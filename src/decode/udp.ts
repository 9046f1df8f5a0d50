import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { portString } from './strings.js';
import { decodeUdpTunnel, isTunnelPort } from './tunnel.js';

const UDP_PORTS_LEN = 4;
export const UDP_HEADER_LEN = 8;
/** Ports below this are well known: tshark has a dissector for nearly all that it tries before the higher port. */
const FIRST_UNPRIVILEGED_PORT = 1024;

/**
 * UDP and UDP-Lite (tshark packet-udp.c dissect): the ports are shown once 4 bytes are captured; the
 * length needs 6, the checksum 8 (a shorter capture ends there). A length below 8 stops (IPv6
 * jumbograms, length 0, are not followed), a length of exactly 8 has no payload; otherwise the payload (cut at the length) goes to the port's dissector,
 * the lower port first as tshark tries it (a tunnel on the higher port is followed only when the lower one
 * is not well known). Only tunnel protocols can add to our fields (tunnel.ts).
 */
export function decodeUdp(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < UDP_PORTS_LEN) return;
  const sport = (buf[off] << 8) | buf[off + 1];
  const dport = (buf[off + 2] << 8) | buf[off + 3];
  if (out.udpSrcport === '') out.udpSrcport = portString(sport);
  if (out.udpDstport === '') out.udpDstport = portString(dport);
  if (end - off < UDP_HEADER_LEN) return;
  const ulen = (buf[off + 4] << 8) | buf[off + 5];
  if (ulen <= UDP_HEADER_LEN) return;
  const payloadEnd = Math.min(end, off + ulen);
  const low = Math.min(sport, dport);
  const high = Math.max(sport, dport);
  // tshark tries the lower port's dissector first; a well-known lower port has one of its own.
  const port = isTunnelPort(low) ? low : isTunnelPort(high) && low >= FIRST_UNPRIVILEGED_PORT ? high : -1;
  if (port >= 0) decodeUdpTunnel(port, buf, off + UDP_HEADER_LEN, payloadEnd, out, ctx);
}
