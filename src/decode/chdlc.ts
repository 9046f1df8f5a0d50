import type { DecodeContext } from './context.js';
import {
  decodeEtherType, ETHERTYPE_IPV4, ETHERTYPE_IPV6, ETHERTYPE_MPLS, ETHERTYPE_MPLS_MULTICAST, ETHERTYPE_TRANSPARENT_ETHERNET,
} from './ethertype.js';
import type { TsharkFields } from './fields.js';

/** Cisco HDLC header: address (1), control (1), protocol (2, an EtherType). */
const CHDLC_HEADER_LEN = 4;
const PROTOCOL_AT = 2;

/**
 * Cisco HDLC (linktype 104, tshark packet-chdlc.c): the protocol field takes EtherType values, but
 * tshark's chdlc.protocol table follows only IPv4, IPv6, MPLS and bridged Ethernet of ours (measured;
 * 0x8035 is SLARP there, ARP and VLAN tags are not followed). No MACs.
 */
export function decodeChdlc(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < CHDLC_HEADER_LEN) return;
  const protocol = (buf[off + PROTOCOL_AT] << 8) | buf[off + PROTOCOL_AT + 1];
  if (inChdlcTable(protocol)) decodeEtherType(protocol, buf, off + CHDLC_HEADER_LEN, end, out, ctx);
}

function inChdlcTable(protocol: number): boolean {
  switch (protocol) {
    case ETHERTYPE_IPV4:
    case ETHERTYPE_IPV6:
    case ETHERTYPE_MPLS:
    case ETHERTYPE_MPLS_MULTICAST:
    case ETHERTYPE_TRANSPARENT_ETHERNET:
      return true;
    default:
      return false;
  }
}
