import type { PacketFields, TsharkFields } from './fields.js';

/** Kitsune-py's IPtype values. */
const IPTYPE_V4 = 0;
const IPTYPE_V6 = 1;

/**
 * The 9 values Kitsune-py's FeatureExtractor (FE.get_next_vector, tsv branch) makes of tshark's row:
 * - srcIP/dstIP = ip.src/ip.dst (IPtype 0) if ip.src is non-empty, else ipv6.src/dst (IPtype 1), else '';
 * - srcProtocol = tcp.srcport + udp.srcport as STRING concatenation (dst likewise);
 * - if srcProtocol is empty: ARP (arp.opcode set) -> protocols 'arp', IPs = arp.src/dst.proto_ipv4,
 *   IPtype 0; else ICMP (icmp.type set) -> protocols 'icmp', IPtype 0; else if srcIP + srcProtocol +
 *   dstIP + dstProtocol is empty -> srcIP/dstIP = eth.src/eth.dst (MACs, possibly empty too);
 * - srcMAC/dstMAC = eth.src/eth.dst; datagramSize = frame.len; timestamp = float(frame.time_epoch).
 * `proto` (not Kitsune-py's) names the packet for people: tcp, udp, arp, icmp, ipv6, ip, eth or ''.
 */
export function toPacketFields(t: TsharkFields, index: number, out: PacketFields): void {
  out.index = index;
  let ipType = Number.NaN;
  let srcIP = '';
  let dstIP = '';
  if (t.ipSrc !== '') {
    srcIP = t.ipSrc;
    dstIP = t.ipDst;
    ipType = IPTYPE_V4;
  } else if (t.ipv6Src !== '') {
    srcIP = t.ipv6Src;
    dstIP = t.ipv6Dst;
    ipType = IPTYPE_V6;
  }
  let srcProtocol = t.tcpSrcport + t.udpSrcport;
  let dstProtocol = t.tcpDstport + t.udpDstport;
  let proto = t.tcpSrcport !== '' ? 'tcp' : t.udpSrcport !== '' ? 'udp' : '';
  if (srcProtocol === '') {
    if (t.arpOpcode !== '') {
      srcProtocol = dstProtocol = proto = 'arp';
      srcIP = t.arpSrcProtoIpv4;
      dstIP = t.arpDstProtoIpv4;
      ipType = IPTYPE_V4;
    } else if (t.icmpType !== '') {
      srcProtocol = dstProtocol = proto = 'icmp';
      ipType = IPTYPE_V4; // Kitsune-py quirk: ICMP is IPtype 0 even inside IPv6
    } else if (srcIP === '' && dstIP === '' && dstProtocol === '') {
      srcIP = t.ethSrc;
      dstIP = t.ethDst;
    }
  }
  if (proto === '') {
    if (ipType === IPTYPE_V6) proto = 'ipv6';
    else if (ipType === IPTYPE_V4) proto = 'ip';
    else if (t.ethSrc !== '') proto = 'eth';
  }
  out.ipType = ipType;
  out.srcMAC = t.ethSrc;
  out.dstMAC = t.ethDst;
  out.srcIP = srcIP;
  out.srcProtocol = srcProtocol;
  out.dstIP = dstIP;
  out.dstProtocol = dstProtocol;
  out.datagramSize = t.frameLen;
  out.timestamp = t.timeEpoch;
  out.proto = proto;
}
