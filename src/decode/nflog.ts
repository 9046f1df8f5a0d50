import { u16le } from '../capture/bytes.js';
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
 * payload TLV holds the logged IP packet (recognised by its version nibble). tshark walks every TLV
 * before it dissects the payload: a TLV shorter than its header or longer than the captured bytes
 * anywhere in the walk shows nothing.
 */
export function decodeNflog(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < NFLOG_HEADER_LEN) return;
  const family = buf[off];
  if (family !== AF_INET && family !== AF_INET6) return;
  let payload = -1;
  let payloadEnd = -1;
  for (let p = off + NFLOG_HEADER_LEN; end - p >= TLV_HEADER_LEN; ) {
    const len = u16le(buf, p);
    if (len < TLV_HEADER_LEN || len > end - p) return;
    if ((u16le(buf, p + 2) & TLV_TYPE_MASK) === NFULA_PAYLOAD && payload < 0) {
      payload = p + TLV_HEADER_LEN;
      payloadEnd = p + len;
    }
    p += Math.ceil(len / TLV_ALIGN) * TLV_ALIGN;
  }
  if (payload >= 0) decodeIpByVersion(buf, payload, payloadEnd, out, ctx);
}
