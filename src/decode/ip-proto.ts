import { MAX_LAYERS, type DecodeContext } from './context.js';
import { decodeEthernet } from './ethernet.js';
import type { TsharkFields } from './fields.js';
import { decodeGre } from './gre.js';
import { decodeIcmp } from './icmp.js';
import { decodeIcmpv6 } from './icmpv6.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeMpls } from './mpls.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';

/** Authentication header (RFC 4302): next header, length in 4-byte units minus 2. */
const AH_UNIT = 4;
const AH_LENGTH_BIAS = 2;
/** EtherIP (RFC 3378): a 2-byte version header, then an Ethernet frame. */
const ETHERIP_HEADER_LEN = 2;

/** IP protocol numbers (IANA) whose dissectors can reach our 19 fields. */
export const IPPROTO_ICMP = 1;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_GRE = 47;
export const IPPROTO_AH = 51;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_ETHERIP = 97;
export const IPPROTO_MPLS_IN_IP = 137;
/** Ethernet over IPv6 (RFC 8986, SRv6 L2 services). */
export const IPPROTO_ETHERNET = 143;
export const IPPROTO_UDPLITE = 136;

/**
 * The upper layer of an IPv4 or IPv6 datagram (tshark's "ip.proto" table, shared by both).
 * IP-in-IP and IPv6-in-IP are decoded: the first-occurrence ip.src stays the outer one, but the inner
 * transport ports are the first tcp/udp ports of the frame; so are EtherIP's Ethernet frames and MPLS-in-IP.
 * An authentication header (IPv4 here; IPv6 walks its own) is skipped. UDP-Lite fills udp.srcport as UDP does.
 * Counts one layer against MAX_LAYERS.
 */
export function decodeIpPayload(
  proto: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): void {
  if (ctx.depth >= MAX_LAYERS) return;
  ctx.depth++;
  dispatchIpProtocol(proto, buf, off, end, out, ctx);
  ctx.depth--;
}

function dispatchIpProtocol(
  proto: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): void {
  switch (proto) {
    case IPPROTO_TCP:
      decodeTcp(buf, off, end, out);
      return;
    case IPPROTO_UDP:
      decodeUdp(buf, off, end, out, ctx, false);
      return;
    case IPPROTO_UDPLITE:
      decodeUdp(buf, off, end, out, ctx, true);
      return;
    case IPPROTO_ICMP:
      decodeIcmp(buf, off, end, out, ctx);
      return;
    case IPPROTO_ICMPV6:
      decodeIcmpv6(buf, off, end, out, ctx);
      return;
    case IPPROTO_IPIP:
      decodeIpv4(buf, off, end, out, ctx);
      return;
    case IPPROTO_IPV6:
      decodeIpv6(buf, off, end, out, ctx);
      return;
    case IPPROTO_GRE:
      decodeGre(buf, off, end, out, ctx);
      return;
    case IPPROTO_AH: {
      if (end - off < 2) return;
      const len = (buf[off + 1] + AH_LENGTH_BIAS) * AH_UNIT;
      if (end - off >= len) decodeIpPayload(buf[off], buf, off + len, end, out, ctx);
      return;
    }
    case IPPROTO_ETHERIP:
      if (end - off >= ETHERIP_HEADER_LEN) decodeEthernet(buf, off + ETHERIP_HEADER_LEN, end, out, ctx);
      return;
    case IPPROTO_MPLS_IN_IP:
      decodeMpls(buf, off, end, out, ctx);
      return;
    case IPPROTO_ETHERNET:
      decodeEthernet(buf, off, end, out, ctx);
      return;
    default:
  }
}
