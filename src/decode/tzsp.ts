import type { DecodeContext } from './context.js';
import { decodeEthernet } from './ethernet.js';
import type { TsharkFields } from './fields.js';
import { decodeIeee80211 } from './ieee80211.js';

/** TZSP header: version (1), type (1), encapsulation (2); then tagged fields up to the END tag. */
const TZSP_HEADER_LEN = 4;
/** Keep-alive and port-opener messages carry no frame. */
const TYPE_NULL = 4;
const TYPE_PORT_OPENER = 5;
const ENCAP_ETHERNET = 1;
const ENCAP_IEEE_802_11 = 18;
const TAG_PADDING = 0;
const TAG_END = 1;

/**
 * TZSP (TaZmen Sniffer Protocol, UDP 37008; tshark packet-tzsp.c): a remote sensor's captured frame.
 * Every message but keep-alives and port openers carries, after its tagged fields (padding and END are
 * one byte, the others tag, length, value), a frame of the stated encapsulation: Ethernet or 802.11
 * are followed (not the Prism and AVS radio headers).
 */
export function decodeTzsp(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < TZSP_HEADER_LEN) return;
  const type = buf[off + 1];
  if (type === TYPE_NULL || type === TYPE_PORT_OPENER) return;
  const encapsulation = (buf[off + 2] << 8) | buf[off + 3];
  let p = off + TZSP_HEADER_LEN;
  for (;;) {
    if (p >= end) return;
    const tag = buf[p];
    if (tag === TAG_END) break;
    if (tag === TAG_PADDING) p += 1;
    else if (end - p < 2) return;
    else p += 2 + buf[p + 1];
  }
  p += 1;
  if (encapsulation === ENCAP_ETHERNET) decodeEthernet(buf, p, end, out, ctx);
  else if (encapsulation === ENCAP_IEEE_802_11) decodeIeee80211(buf, p, end, out, ctx, false);
}
