import type { TsharkFields } from './fields.js';
import { portString } from './strings.js';

/** Source port (2) then destination port (2): all tshark needs before it adds tcp.srcport/dstport. */
const TCP_PORTS_LEN = 4;

/**
 * TCP (tshark packet-tcp.c dissect_tcp): the ports are read and shown first, so 4 captured bytes are
 * enough (an ICMP error quotes only 8 bytes of TCP). Nothing after the ports reaches our fields.
 */
export function decodeTcp(buf: Uint8Array, off: number, end: number, out: TsharkFields): void {
  if (end - off < TCP_PORTS_LEN) return;
  if (out.tcpSrcport === '') out.tcpSrcport = portString((buf[off] << 8) | buf[off + 1]);
  if (out.tcpDstport === '') out.tcpDstport = portString((buf[off + 2] << 8) | buf[off + 3]);
}
