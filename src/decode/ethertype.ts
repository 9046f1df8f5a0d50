import { decodeArp } from './arp.js';
import { MAX_LAYERS, type DecodeContext } from './context.js';
import { decodeCiscoMetadata, decodeETag, decodeEthernet, decodePbb, decodeVlan, decodeVnTag } from './ethernet.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeMpls } from './mpls.js';
import { decodeNsh } from './nsh.js';
import { decodePppoeSession } from './ppp.js';

/** EtherType values tshark's ethertype table hands to a dissector that can reach our 19 fields. */
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_RARP = 0x8035;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_PPPOE_SESSION = 0x8864;
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MULTICAST = 0x8848;
export const ETHERTYPE_8021AD = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;
export const ETHERTYPE_PBB = 0x88e7;
export const ETHERTYPE_VN_TAG = 0x8926;
export const ETHERTYPE_E_TAG = 0x893f;
export const ETHERTYPE_TRANSPARENT_ETHERNET = 0x6558;
export const ETHERTYPE_CISCO_METADATA = 0x8909;
export const ETHERTYPE_NSH = 0x894f;
/** Values up to this are an IEEE 802.3 length, not a type: an LLC header follows. */
export const IEEE_802_3_MAX_LEN = 1500;

/** Whether decodeEtherType follows this type (tested without decoding). */
export function isFollowedEtherType(type: number): boolean {
  switch (type) {
    case ETHERTYPE_IPV4:
    case ETHERTYPE_IPV6:
    case ETHERTYPE_ARP:
    case ETHERTYPE_RARP:
    case ETHERTYPE_VLAN:
    case ETHERTYPE_8021AD:
    case ETHERTYPE_QINQ_OLD:
    case ETHERTYPE_PBB:
    case ETHERTYPE_VN_TAG:
    case ETHERTYPE_E_TAG:
    case ETHERTYPE_TRANSPARENT_ETHERNET:
    case ETHERTYPE_CISCO_METADATA:
    case ETHERTYPE_NSH:
    case ETHERTYPE_PPPOE_SESSION:
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MULTICAST:
      return true;
    default:
      return false;
  }
}

/** Whether tshark's gre.proto table follows this EtherType too (measured for every type: all but these). */
export function inGreTable(type: number): boolean {
  switch (type) {
    case ETHERTYPE_VLAN:
    case ETHERTYPE_8021AD:
    case ETHERTYPE_QINQ_OLD:
    case ETHERTYPE_VN_TAG:
    case ETHERTYPE_PBB:
    case ETHERTYPE_PPPOE_SESSION:
    case ETHERTYPE_CISCO_METADATA:
    case ETHERTYPE_E_TAG:
    case ETHERTYPE_RARP:
      return false;
    default:
      return true;
  }
}

/**
 * Dispatches a payload by EtherType (tshark's "ethertype" dissector table): Ethernet II, 802.1Q/ad
 * tags, Linux cooked captures, GRE, VXLAN/Geneve inner frames all use it. Other types stop decoding
 * (an 802.3 length, <= IEEE_802_3_MAX_LEN, is the caller's business: see ethernet.ts).
 * Counts one layer against MAX_LAYERS. Returns whether the type is one we follow (true as well when the
 * layer limit stops it).
 */
export function decodeEtherType(
  type: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): boolean {
  if (ctx.depth >= MAX_LAYERS) return true;
  ctx.depth++;
  const followed = dispatchEtherType(type, buf, off, end, out, ctx);
  ctx.depth--;
  return followed;
}

function dispatchEtherType(
  type: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): boolean {
  switch (type) {
    case ETHERTYPE_IPV4:
      decodeIpv4(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_IPV6:
      decodeIpv6(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_ARP:
    case ETHERTYPE_RARP:
      decodeArp(buf, off, end, out);
      return true;
    case ETHERTYPE_VLAN:
    case ETHERTYPE_8021AD:
    case ETHERTYPE_QINQ_OLD:
      decodeVlan(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_PBB:
      decodePbb(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_VN_TAG:
      decodeVnTag(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_E_TAG:
      decodeETag(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_TRANSPARENT_ETHERNET:
      decodeEthernet(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_CISCO_METADATA:
      decodeCiscoMetadata(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_NSH:
      decodeNsh(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_PPPOE_SESSION:
      decodePppoeSession(buf, off, end, out, ctx);
      return true;
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MULTICAST:
      decodeMpls(buf, off, end, out, ctx);
      return true;
    default:
      return false;
  }
}
