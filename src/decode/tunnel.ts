import type { DecodeContext } from './context.js';
import { decodeEthernet, ETHERNET_HEADER_LEN } from './ethernet.js';
import { decodeEtherType, isFollowedEtherType } from './ethertype.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4, IP_VERSION_4 } from './ipv4.js';
import { decodeIpv6, IP_VERSION_6 } from './ipv6.js';
import { decodeGre } from './gre.js';
import { decodeL2tp } from './l2tp.js';
import { decodeMpls } from './mpls.js';
import { decodeByNextProtocol } from './nsh.js';
import { decodeTzsp } from './tzsp.js';

/** IANA UDP ports of the tunnels tshark decodes by default and that carry whole packets. */
export const UDP_PORT_GTP_U = 2152;
export const UDP_PORT_TEREDO = 3544;
export const UDP_PORT_VXLAN = 4789;
export const UDP_PORT_GENEVE = 6081;
export const UDP_PORT_VXLAN_GPE = 4790;
export const UDP_PORT_MPLS = 6635;
export const UDP_PORT_GRE = 4754;
export const UDP_PORT_LISP_DATA = 4341;
export const UDP_PORT_TZSP = 37008;
export const UDP_PORT_L2TP = 1701;

const VXLAN_HEADER_LEN = 8;
/** VXLAN-GPE: the next-protocol byte of the 8-byte VXLAN header. */
const VXLAN_GPE_NEXT_PROTOCOL_AT = 3;
const LISP_HEADER_LEN = 8;
const GENEVE_HEADER_LEN = 8;
const GENEVE_OPTION_UNIT = 4;
const GENEVE_OPTLEN_MASK = 0x3f;
const ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
const GTP_VERSION_1 = 1;
const GTP_VERSION_2 = 2;
const GTP_MESSAGE_RESERVED = 0;
const GTP_PROTOCOL_TYPE_GTP = 0x10;
const GTP_MESSAGE_G_PDU = 0xff;
const GTP_HEADER_LEN = 8;
const GTP_LENGTH_AT = 2;
const GTP_OPTIONAL_LEN = 4;
const GTP_FLAG_EXTENSION = 0x04;
const GTP_FLAGS_OPTIONAL = 0x07;
const GTP_EXTENSION_UNIT = 4;
const IPV4_IHL_MASK = 0x0f;
/** An IPv4 header length below 5 words is not IPv4 to tshark's heuristic. */
const IPV4_MIN_IHL = 5;
const ETHERTYPE_AT = 12;
const TEREDO_AUTH_TYPE = 0x0001;
const TEREDO_ORIGIN_TYPE = 0x0000;
const TEREDO_AUTH_FIXED_LEN = 4 + 8 + 1;
const TEREDO_ORIGIN_LEN = 8;

const TUNNEL_PORTS: ReadonlySet<number> = new Set([
  UDP_PORT_VXLAN, UDP_PORT_GENEVE, UDP_PORT_GTP_U, UDP_PORT_TEREDO, UDP_PORT_VXLAN_GPE, UDP_PORT_MPLS, UDP_PORT_GRE,
  UDP_PORT_LISP_DATA, UDP_PORT_TZSP, UDP_PORT_L2TP,
]);

export function isTunnelPort(port: number): boolean {
  return TUNNEL_PORTS.has(port);
}

/**
 * UDP tunnels tshark decodes by port with default preferences: VXLAN (RFC 7348) -> Ethernet, Geneve
 * (RFC 8926) -> EtherType, GTP-U G-PDU -> IP by version nibble, Teredo (RFC 4380) -> IPv6 after its
 * optional authentication / origin indication headers, VXLAN-GPE -> its next protocol, MPLS (RFC 7510),
 * GRE (RFC 8086), LISP data (RFC 9300) -> IP by version nibble, TZSP -> its captured frame, L2TPv2 ->
 * PPP. Their inner ports are the frame's second tcp/udp
 * layer: tshark's first-occurrence output keeps the outer UDP ports and adds the inner TCP ones (so
 * Kitsune-py concatenates them). Not decoded: heuristic-only dissectors (e.g. Teredo on other ports),
 * L2TPv3.
 * Returns false when the tunnel's dissector refuses the payload (tshark then tries the other port):
 * GTP refuses a version above 2 or a message type 0 (see gtpAccepts), L2TP a version other than 2 or 3.
 */
export function decodeUdpTunnel(
  port: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): boolean {
  switch (port) {
    case UDP_PORT_VXLAN:
      if (end - off >= VXLAN_HEADER_LEN) decodeEthernet(buf, off + VXLAN_HEADER_LEN, end, out, ctx);
      return true;
    case UDP_PORT_GENEVE: {
      if (end - off < GENEVE_HEADER_LEN) return true;
      const len = GENEVE_HEADER_LEN + (buf[off] & GENEVE_OPTLEN_MASK) * GENEVE_OPTION_UNIT;
      if (end - off < len) return true;
      const type = (buf[off + 2] << 8) | buf[off + 3];
      if (type === ETHERTYPE_TRANSPARENT_ETHERNET) decodeEthernet(buf, off + len, end, out, ctx);
      else decodeEtherType(type, buf, off + len, end, out, ctx);
      return true;
    }
    case UDP_PORT_GTP_U:
      if (!gtpAccepts(buf, off, end)) return false;
      decodeGtpU(buf, off, end, out, ctx);
      return true;
    case UDP_PORT_TEREDO:
      decodeTeredo(buf, off, end, out, ctx);
      return true;
    case UDP_PORT_VXLAN_GPE:
      decodeVxlanGpe(buf, off, end, out, ctx);
      return true;
    case UDP_PORT_MPLS:
      decodeMpls(buf, off, end, out, ctx);
      return true;
    case UDP_PORT_GRE:
      decodeGre(buf, off, end, out, ctx);
      return true;
    case UDP_PORT_LISP_DATA:
      if (end - off >= LISP_HEADER_LEN) decodeIpByVersion(buf, off + LISP_HEADER_LEN, end, out, ctx);
      return true;
    case UDP_PORT_TZSP:
      decodeTzsp(buf, off, end, out, ctx);
      return true;
    case UDP_PORT_L2TP:
      return decodeL2tp(buf, off, end, out, ctx);
    default:
      return true;
  }
}

/**
 * tshark's GTP dissector (packet-gtp.c) on a UDP port refuses versions above 2 and, for GTPv0/v1, the
 * reserved message type 0 (checked against tshark 4.0.17 for every version and type 0, 1, 0xff).
 */
function gtpAccepts(buf: Uint8Array, off: number, end: number): boolean {
  if (end - off < 2) return false;
  const version = buf[off] >> 5;
  return version <= GTP_VERSION_2 && (version === GTP_VERSION_2 || buf[off + 1] !== GTP_MESSAGE_RESERVED);
}

function decodeGtpU(buf: Uint8Array, off: number, captured: number, out: TsharkFields, ctx: DecodeContext): void {
  if (captured - off < GTP_HEADER_LEN) return;
  // The message length (bytes after the first 8) bounds the T-PDU.
  const end = Math.min(captured, off + GTP_HEADER_LEN + ((buf[off + GTP_LENGTH_AT] << 8) | buf[off + GTP_LENGTH_AT + 1]));
  const flags = buf[off];
  if (flags >> 5 !== GTP_VERSION_1 || (flags & GTP_PROTOCOL_TYPE_GTP) === 0) return;
  if (buf[off + 1] !== GTP_MESSAGE_G_PDU) return;
  let p = off + GTP_HEADER_LEN;
  if ((flags & GTP_FLAGS_OPTIONAL) !== 0) {
    if (end - p < GTP_OPTIONAL_LEN) return;
    let nextExt = (flags & GTP_FLAG_EXTENSION) !== 0 ? buf[p + 3] : 0;
    p += GTP_OPTIONAL_LEN;
    while (nextExt !== 0) {
      if (end - p < 1) return;
      const len = buf[p] * GTP_EXTENSION_UNIT;
      if (len === 0 || end - p < len) return;
      nextExt = buf[p + len - 1];
      p += len;
    }
  }
  decodeTpdu(buf, p, end, out, ctx);
}

/**
 * A GTP-U T-PDU by tshark's default heuristics: IPv4 when the version is 4 with a header length of at
 * least 20 bytes, IPv6 on version 6, else an Ethernet frame (5G Ethernet PDU sessions) when the
 * EtherType at byte 12 is one tshark follows (measured on IPv4, Ethernet, PPP and garbage payloads).
 */
function decodeTpdu(buf: Uint8Array, p: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - p < 1) return;
  const version = buf[p] >> 4;
  if ((version === IP_VERSION_4 && (buf[p] & IPV4_IHL_MASK) >= IPV4_MIN_IHL) || version === IP_VERSION_6) {
    decodeIpByVersion(buf, p, end, out, ctx);
    return;
  }
  if (end - p >= ETHERNET_HEADER_LEN && isFollowedEtherType((buf[p + ETHERTYPE_AT] << 8) | buf[p + ETHERTYPE_AT + 1])) {
    decodeEthernet(buf, p, end, out, ctx);
  }
}

function decodeVxlanGpe(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off >= VXLAN_HEADER_LEN) decodeByNextProtocol(buf[off + VXLAN_GPE_NEXT_PROTOCOL_AT], buf, off + VXLAN_HEADER_LEN, end, out, ctx);
}

function decodeTeredo(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  let p = off;
  if (end - p >= 2 && ((buf[p] << 8) | buf[p + 1]) === TEREDO_AUTH_TYPE) {
    if (end - p < 4) return;
    p += TEREDO_AUTH_FIXED_LEN + buf[p + 2] + buf[p + 3];
  }
  if (end - p >= 2 && ((buf[p] << 8) | buf[p + 1]) === TEREDO_ORIGIN_TYPE) p += TEREDO_ORIGIN_LEN;
  if (p < end) decodeIpv6(buf, p, end, out, ctx);
}

/** An IP packet whose version nibble says 4 or 6 (GTP-U, MPLS payloads, raw IP link types). */
export function decodeIpByVersion(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < 1) return;
  const version = buf[off] >> 4;
  if (version === IP_VERSION_4) decodeIpv4(buf, off, end, out, ctx);
  else if (version === IP_VERSION_6) decodeIpv6(buf, off, end, out, ctx);
}
