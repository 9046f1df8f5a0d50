import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpByVersion } from './tunnel.js';

/** NFLOG header: address family (1), version (1), resource id (2); then TLVs of little-endian length (2, header included) and type (2). */
const NFLOG_HEADER_LEN = 4;
const TLV_HEADER_LEN = 4;
const TLV_ALIGN = 4;
const NFULA_PAYLOAD = 9;
const TLV_TYPE_MASK = 0x7fff;
const AF_INET = 2;
const AF_INET6 = 10;

/**
 * Linux netfilter log (linktype 239, tshark packet-nflog.c): for the IPv4 and IPv6 families, the
 * payload TLV holds the logged IP packet (recognised by its version nibble). A TLV shorter than its
 * header or longer than the captured bytes ends the walk.
 */
export function decodeNflog(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < NFLOG_HEADER_LEN) return;
  const family = buf[off];
  if (family !== AF_INET && family !== AF_INET6) return;
  let p = off + NFLOG_HEADER_LEN;
  while (end - p >= TLV_HEADER_LEN) {
    const len = buf[p] | (buf[p + 1] << 8);
    const type = (buf[p + 2] | (buf[p + 3] << 8)) & TLV_TYPE_MASK;
    if (len < TLV_HEADER_LEN || len > end - p) return;
    if (type === NFULA_PAYLOAD) {
      decodeIpByVersion(buf, p + TLV_HEADER_LEN, p + len, out, ctx);
      return;
    }
    p += Math.ceil(len / TLV_ALIGN) * TLV_ALIGN;
  }
}
