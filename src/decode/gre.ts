import type { DecodeContext } from './context.js';
import { decodeEthernet } from './ethernet.js';
import { decodeEtherType, inGreTable } from './ethertype.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4, IP_VERSION_4 } from './ipv4.js';
import { decodePpp } from './ppp.js';

const GRE_BASE_LEN = 4;
const GRE_FLAG_CHECKSUM = 0x80;
const GRE_FLAG_ROUTING = 0x40;
const GRE_FLAG_KEY = 0x20;
const GRE_FLAG_SEQUENCE = 0x10;
/** Version 1 (enhanced GRE, PPTP): acknowledgment number present. */
const GRE_FLAG_ACK = 0x80;
const GRE_VERSION_MASK = 0x07;
const GRE_OPTIONAL_FIELD_LEN = 4;
const SRE_HEADER_LEN = 4;
const SRE_LENGTH_AT = 3;
const GRE_PROTO_TRANSPARENT_ETHERNET = 0x6558;
const GRE_PROTO_PPP = 0x880b;
const GRE_PROTO_ERSPAN_2 = 0x88be;
const GRE_PROTO_ERSPAN_3 = 0x22eb;
const GRE_PROTO_WCCP = 0x883e;
const WCCP_REDIRECT_HEADER_LEN = 4;
const ERSPAN_2_HEADER_LEN = 8;
const ERSPAN_3_HEADER_LEN = 12;
const ERSPAN_3_PLATFORM_LEN = 8;
const ERSPAN_3_OPTIONAL_FLAG = 0x01;

/**
 * GRE (RFC 2784/2890; tshark packet-gre.c): skips the optional checksum, key, sequence (and, in version
 * 1, acknowledgment) words and, with the routing flag (RFC 1701), the source route entries, then hands
 * the payload to its protocol type: an EtherType, transparent Ethernet bridging, PPP (PPTP), ERSPAN
 * type I/II/III mirrored frames, or a WCCP redirect.
 */
export function decodeGre(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < GRE_BASE_LEN) return;
  const flags = buf[off];
  const routing = (flags & GRE_FLAG_ROUTING) !== 0;
  const version = buf[off + 1] & GRE_VERSION_MASK;
  const proto = (buf[off + 2] << 8) | buf[off + 3];
  let p = off + GRE_BASE_LEN;
  // RFC 1701: the checksum and offset word is there when either the checksum or the routing bit is set.
  if ((flags & GRE_FLAG_CHECKSUM) !== 0 || routing) p += GRE_OPTIONAL_FIELD_LEN;
  if ((flags & GRE_FLAG_KEY) !== 0) p += GRE_OPTIONAL_FIELD_LEN;
  if ((flags & GRE_FLAG_SEQUENCE) !== 0) p += GRE_OPTIONAL_FIELD_LEN;
  if (version === 1 && (buf[off + 1] & GRE_FLAG_ACK) !== 0) p += GRE_OPTIONAL_FIELD_LEN;
  if (routing) {
    // Source route entries: address family (2), offset (1), length (1), routing information;
    // a NULL entry (family 0, length 0) ends the list.
    for (;;) {
      if (end - p < SRE_HEADER_LEN) return;
      const family = (buf[p] << 8) | buf[p + 1];
      const len = buf[p + SRE_LENGTH_AT];
      p += SRE_HEADER_LEN + len;
      if (family === 0 && len === 0) break;
    }
  }
  if (p > end) return;
  decodeGreProtocol(proto, (flags & GRE_FLAG_SEQUENCE) !== 0, buf, p, end, out, ctx);
}

/**
 * A payload by GRE protocol type (tshark's "gre.proto" table: EtherTypes plus the GRE-specific ones).
 * `hasSequence` tells ERSPAN type II (sequenced) from type I.
 */
export function decodeGreProtocol(
  proto: number,
  hasSequence: boolean,
  buf: Uint8Array,
  p: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): void {
  switch (proto) {
    case GRE_PROTO_TRANSPARENT_ETHERNET:
      decodeEthernet(buf, p, end, out, ctx);
      return;
    case GRE_PROTO_PPP:
      decodePpp(buf, p, end, out, ctx);
      return;
    case GRE_PROTO_ERSPAN_2:
      // ERSPAN type I has no sequence number and no header of its own; type II has an 8-byte one.
      decodeEthernet(buf, hasSequence ? p + ERSPAN_2_HEADER_LEN : p, end, out, ctx);
      return;
    case GRE_PROTO_ERSPAN_3: {
      if (end - p < ERSPAN_3_HEADER_LEN) return;
      const platform = (buf[p + ERSPAN_3_HEADER_LEN - 1] & ERSPAN_3_OPTIONAL_FLAG) !== 0 ? ERSPAN_3_PLATFORM_LEN : 0;
      decodeEthernet(buf, p + ERSPAN_3_HEADER_LEN + platform, end, out, ctx);
      return;
    }
    case GRE_PROTO_WCCP:
      // WCCP v1 puts the IP packet straight after GRE; v2 first adds a 4-byte redirect header
      // (tshark tells them by the first nibble).
      if (end - p >= 1) decodeIpv4(buf, buf[p] >> 4 === IP_VERSION_4 ? p : p + WCCP_REDIRECT_HEADER_LEN, end, out, ctx);
      return;
    default:
      if (inGreTable(proto)) decodeEtherType(proto, buf, p, end, out, ctx);
  }
}
