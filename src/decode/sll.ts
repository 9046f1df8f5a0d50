import type { DecodeContext } from './context.js';
import { decodeEthernet, decodeLlc } from './ethernet.js';
import { decodeEtherType } from './ethertype.js';
import type { TsharkFields } from './fields.js';
import { decodeGreProtocol } from './gre.js';
import { decodePpp } from './ppp.js';

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL 113): packet type, ARPHRD type, address length, address (8), protocol. */
export const SLL_HEADER_LEN = 16;
const SLL_HATYPE_OFFSET = 2;
const SLL_PROTOCOL_OFFSET = 14;
/** ARPHRD_NETLINK: netlink messages, no field of ours. */
export const ARPHRD_NETLINK = 824;
/** ARPHRD_IPGRE: the payload is a GRE tunnel's inner packet and the protocol field its GRE protocol type. */
export const ARPHRD_IPGRE = 778;
/** Linux's pseudo-protocols (below 1536, tshark's sll.ltype table): a whole Ethernet frame, an 802.2 LLC frame, PPP in HDLC framing. */
const LINUX_SLL_P_ETHERNET = 0x0003;
export const LINUX_SLL_P_802_2 = 0x0004;
const LINUX_SLL_P_PPPHDLC = 0x0007;

/**
 * Linux cooked capture v1 (tshark packet-sll.c): no Ethernet header, so eth.src/dst stay empty (but
 * for a whole Ethernet frame); the protocol field is an EtherType or one of Linux's pseudo-types.
 */
export function decodeSll(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < SLL_HEADER_LEN) return;
  const hatype = (buf[off + SLL_HATYPE_OFFSET] << 8) | buf[off + SLL_HATYPE_OFFSET + 1];
  const protocol = (buf[off + SLL_PROTOCOL_OFFSET] << 8) | buf[off + SLL_PROTOCOL_OFFSET + 1];
  decodeCookedPayload(hatype, protocol, buf, off + SLL_HEADER_LEN, end, out, ctx);
}

/** What follows a Linux cooked header (v1 or v2), by ARPHRD type and protocol. */
export function decodeCookedPayload(
  hatype: number,
  protocol: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): void {
  if (hatype === ARPHRD_NETLINK) return;
  if (hatype === ARPHRD_IPGRE) {
    decodeGreProtocol(protocol, false, buf, off, end, out, ctx);
    return;
  }
  switch (protocol) {
    case LINUX_SLL_P_ETHERNET:
      decodeEthernet(buf, off, end, out, ctx);
      return;
    case LINUX_SLL_P_802_2:
      decodeLlc(buf, off, end, out, ctx);
      return;
    case LINUX_SLL_P_PPPHDLC:
      decodePpp(buf, off, end, out, ctx);
      return;
    default:
      decodeEtherType(protocol, buf, off, end, out, ctx);
  }
}
