/**
 * The 19 fields Kitsune-py asks tshark for (FeatureExtractor's `-e` list, first occurrence), in order.
 * A capture decoder fills them from record bytes; the TSV reader fills them from tshark's text.
 * Absent fields are the empty string, exactly as tshark prints them with `-E occurrence=f`.
 */
export const TSHARK_FIELD_NAMES = [
  'frame.time_epoch',
  'frame.len',
  'eth.src',
  'eth.dst',
  'ip.src',
  'ip.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
  'icmp.type',
  'icmp.code',
  'arp.opcode',
  'arp.src.hw_mac',
  'arp.src.proto_ipv4',
  'arp.dst.hw_mac',
  'arp.dst.proto_ipv4',
  'ipv6.src',
  'ipv6.dst',
] as const;

/** One packet as tshark shows it to Kitsune-py. Reused across packets: copy what you keep. */
export class TsharkFields {
  /** frame.time_epoch parsed as a double (see decode/timestamp.ts for how tshark's string is built). */
  timeEpoch = 0;
  /** frame.len: the wire (original) length. */
  frameLen = 0;
  ethSrc = '';
  ethDst = '';
  ipSrc = '';
  ipDst = '';
  tcpSrcport = '';
  tcpDstport = '';
  udpSrcport = '';
  udpDstport = '';
  icmpType = '';
  icmpCode = '';
  arpOpcode = '';
  arpSrcHwMac = '';
  arpSrcProtoIpv4 = '';
  arpDstHwMac = '';
  arpDstProtoIpv4 = '';
  ipv6Src = '';
  ipv6Dst = '';

  clear(): void {
    this.timeEpoch = 0;
    this.frameLen = 0;
    this.ethSrc = this.ethDst = '';
    this.ipSrc = this.ipDst = '';
    this.tcpSrcport = this.tcpDstport = '';
    this.udpSrcport = this.udpDstport = '';
    this.icmpType = this.icmpCode = '';
    this.arpOpcode = this.arpSrcHwMac = this.arpSrcProtoIpv4 = this.arpDstHwMac = this.arpDstProtoIpv4 = '';
    this.ipv6Src = this.ipv6Dst = '';
  }
}

/**
 * The 9 values Kitsune-py's FeatureExtractor hands to netStat.updateGetStats, plus what the
 * command's output needs to name a packet (index, transport). Reused across packets.
 */
export class PacketFields {
  /** Packet number, from 0, continuous across all inputs. */
  index = 0;
  /** 0 for IPv4, 1 for IPv6, NaN otherwise (computed by Kitsune-py, unused by the features). */
  ipType = Number.NaN;
  srcMAC = '';
  dstMAC = '';
  srcIP = '';
  srcProtocol = '';
  dstIP = '';
  dstProtocol = '';
  /** frame.len (wire length). */
  datagramSize = 0;
  timestamp = 0;
  /** What the analyst sees in the `proto` column: tcp, udp, icmp, arp, ipv6, ip, eth or ''. */
  proto = '';
}
