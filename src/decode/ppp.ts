import { decodeChdlc } from './chdlc.js';
import { type DecodeContext, MAX_LAYERS } from './context.js';
import { decodeEthernet } from './ethernet.js';
import type { TsharkFields } from './fields.js';
import { IPPROTO_TCP } from './ip-proto.js';
import { decodeIpv4, IP_VERSION_4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeMpls } from './mpls.js';

const PPP_ADDRESS = 0xff;
/** A frame starting with the address and UI control bytes 0xFF 0x03 is PPP in HDLC-like framing. */
const PPP_UI_CONTROL = 0x03;
/** Cisco HDLC's address bytes (unicast, broadcast): tshark's PPP-in-HDLC dissector hands such frames to Cisco HDLC. */
const CHDLC_ADDR_UNICAST = 0x0f;
const CHDLC_ADDR_MULTICAST = 0x8f;
const ADDRESS_CONTROL_LEN = 2;
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MPLS_UNICAST = 0x0281;
const PPP_MPLS_MULTICAST = 0x0283;
/** Van Jacobson uncompressed TCP/IP: an IPv4 header whose protocol byte carries the connection slot. */
const PPP_VJ_UNCOMPRESSED = 0x002f;
const IPV4_PROTOCOL_AT = 9;
/** Multilink PPP (RFC 1990), long sequence numbers: B and E flags and the sequence (4 bytes), then a PPP protocol field. */
const PPP_MULTILINK = 0x003d;
const MP_HEADER_LEN = 4;
const MP_BEGIN_END = 0xc0;
/** Bridging (BCP, RFC 3518): flags (1), MAC type (1), then the bridged frame; type 1 is Ethernet. */
const PPP_BRIDGED = 0x0031;
const BCP_HEADER_LEN = 2;
const BCP_FLAG_LAN_FCS = 0x80;
const BCP_MAC_ETHERNET = 1;
const ETHERNET_FCS_LEN = 4;
/** PPPoE session header: version/type, code, session id (2), length (2). */
const PPPOE_HEADER_LEN = 6;

/** Whether buf[at..] starts 0xFF 0x03 (bounds checked): PPP in HDLC-like framing. */
export function startsPppHdlc(buf: Uint8Array, at: number, end: number): boolean {
  return end - at >= ADDRESS_CONTROL_LEN && buf[at] === PPP_ADDRESS && buf[at + 1] === PPP_UI_CONTROL;
}

/**
 * PPP in HDLC-like framing (RFC 1661/1662; linktypes 9 and 50, PPTP's GRE, L2TP; tshark
 * packet-ppp.c dissect_ppp_hdlc): a first byte 0x0F or 0x8F is Cisco HDLC; an address byte 0xFF is
 * skipped with the control byte after it, whatever it is; then the protocol (one byte when compressed:
 * odd first byte).
 */
export function decodePpp(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < 1) return;
  if (buf[off] === CHDLC_ADDR_UNICAST || buf[off] === CHDLC_ADDR_MULTICAST) {
    decodeChdlc(buf, off, end, out, ctx);
    return;
  }
  const p = buf[off] === PPP_ADDRESS && end - off >= ADDRESS_CONTROL_LEN ? off + ADDRESS_CONTROL_LEN : off;
  decodePppProtocolField(buf, p, end, out, ctx);
}

/** PPPoE session stage (RFC 2516, EtherType 0x8864): header, then a PPP protocol field; length bounds it. */
export function decodePppoeSession(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < PPPOE_HEADER_LEN + 1) return;
  const length = (buf[off + 4] << 8) | buf[off + 5];
  decodePppProtocolField(buf, off + PPPOE_HEADER_LEN, Math.min(end, off + PPPOE_HEADER_LEN + length), out, ctx);
}

/** A PPP protocol field (one byte when its first byte is odd: protocol-field compression), then the payload. */
function decodePppProtocolField(buf: Uint8Array, p: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - p < 1) return;
  if ((buf[p] & 1) !== 0) {
    dispatchPppProtocol(buf[p], buf, p + 1, end, out, ctx);
    return;
  }
  if (end - p < 2) return;
  dispatchPppProtocol((buf[p] << 8) | buf[p + 1], buf, p + 2, end, out, ctx);
}

function dispatchPppProtocol(
  proto: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): void {
  switch (proto) {
    case PPP_IPV4:
      decodeIpv4(buf, off, end, out, ctx);
      return;
    case PPP_IPV6:
      decodeIpv6(buf, off, end, out, ctx);
      return;
    case PPP_MPLS_UNICAST:
    case PPP_MPLS_MULTICAST:
      decodeMpls(buf, off, end, out, ctx);
      return;
    case PPP_VJ_UNCOMPRESSED: {
      // tshark restores the protocol (TCP) in a copy of the header and dissects it as IPv4.
      const n = Math.min(end - off, ctx.scratch.length);
      if (n <= IPV4_PROTOCOL_AT || buf[off] >> 4 !== IP_VERSION_4) return;
      ctx.scratch.set(buf.subarray(off, off + n));
      ctx.scratch[IPV4_PROTOCOL_AT] = IPPROTO_TCP;
      decodeIpv4(ctx.scratch, 0, n, out, ctx);
      return;
    }
    case PPP_MULTILINK:
      // A fragment both first and last is a whole packet (tshark shows nothing else without
      // reassembly). It nests, so it counts one layer against MAX_LAYERS.
      if (end - off >= MP_HEADER_LEN && (buf[off] & MP_BEGIN_END) === MP_BEGIN_END && ctx.depth < MAX_LAYERS) {
        ctx.depth++;
        decodePppProtocolField(buf, off + MP_HEADER_LEN, end, out, ctx);
        ctx.depth--;
      }
      return;
    case PPP_BRIDGED:
      if (end - off < BCP_HEADER_LEN || buf[off + 1] !== BCP_MAC_ETHERNET) return;
      decodeEthernet(buf, off + BCP_HEADER_LEN, (buf[off] & BCP_FLAG_LAN_FCS) !== 0 ? end - ETHERNET_FCS_LEN : end, out, ctx);
      return;
    default:
  }
}
