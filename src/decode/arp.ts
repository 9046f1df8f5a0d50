import type { TsharkFields } from './fields.js';
import { ipv4String, macString, portString } from './strings.js';

/** Hardware type, protocol type, hardware length, protocol length, opcode. */
const ARP_FIXED_LEN = 8;
const ARPHRD_ETHER = 1;
const ARPHRD_IEEE802 = 6;
const ARPHRD_ATM2225 = 19;
const MAC_LEN = 6;
const ETHERTYPE_IPV4 = 0x0800;
const AX25_P_IP = 0xcc;
const IPV4_LEN = 4;

/**
 * ARP / RARP (tshark packet-arp.c dissect_arp). arp.opcode shows once the 8 fixed bytes are captured;
 * the addresses only when the packet is captured up to its target protocol address. The hardware addresses as arp.*.hw_mac only for Ethernet/IEEE 802 with 6-byte addresses; the
 * protocol addresses as arp.*.proto_ipv4 only for IPv4 (or AX.25 IP) with 4-byte addresses. ATM ARP
 * (hardware type 19) is a different dissector with other fields.
 */
export function decodeArp(buf: Uint8Array, off: number, end: number, out: TsharkFields): void {
  if (end - off < ARP_FIXED_LEN) return;
  const hrd = (buf[off] << 8) | buf[off + 1];
  if (hrd === ARPHRD_ATM2225) return;
  const pro = (buf[off + 2] << 8) | buf[off + 3];
  const hln = buf[off + 4];
  const pln = buf[off + 5];
  if (out.arpOpcode === '') out.arpOpcode = portString((buf[off + 6] << 8) | buf[off + 7]);
  if (end - off < ARP_FIXED_LEN + 2 * hln + 2 * pln) return;
  const hwIsMac = (hrd === ARPHRD_ETHER || hrd === ARPHRD_IEEE802) && hln === MAC_LEN;
  const protoIsIpv4 = (pro === ETHERTYPE_IPV4 || pro === AX25_P_IP) && pln === IPV4_LEN;
  const sha = off + ARP_FIXED_LEN;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  if (hwIsMac) {
    if (out.arpSrcHwMac === '') out.arpSrcHwMac = macString(buf, sha);
    if (out.arpDstHwMac === '') out.arpDstHwMac = macString(buf, tha);
  }
  if (protoIsIpv4) {
    if (out.arpSrcProtoIpv4 === '') out.arpSrcProtoIpv4 = ipv4String(buf, spa);
    if (out.arpDstProtoIpv4 === '') out.arpDstProtoIpv4 = ipv4String(buf, tpa);
  }
}
