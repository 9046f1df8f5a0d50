import type { TsharkFields } from '../../src/decode/fields.js';

/**
 * Our fields as tshark's `-T fields` row with Kitsune-py's field list, in its column order;
 * frame.time_epoch is the double Kitsune-py makes of tshark's text, printed back.
 */
export function tsharkColumns(t: TsharkFields): string[] {
  return [
    String(t.timeEpoch),
    String(t.frameLen),
    t.ethSrc,
    t.ethDst,
    t.ipSrc,
    t.ipDst,
    t.tcpSrcport,
    t.tcpDstport,
    t.udpSrcport,
    t.udpDstport,
    t.icmpType,
    t.icmpCode,
    t.arpOpcode,
    t.arpSrcHwMac,
    t.arpSrcProtoIpv4,
    t.arpDstHwMac,
    t.arpDstProtoIpv4,
    t.ipv6Src,
    t.ipv6Dst,
  ];
}
