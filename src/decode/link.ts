import { decodeChdlc } from './chdlc.js';
import type { DecodeContext } from './context.js';
import { decodeEthernet, decodeLlc } from './ethernet.js';
import { decodeFddi } from './fddi.js';
import type { TsharkFields } from './fields.js';
import { decodeIeee80211 } from './ieee80211.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeNflog } from './nflog.js';
import { decodeNull } from './null.js';
import { decodePflog } from './pflog.js';
import { decodePpi } from './ppi.js';
import { decodePpp } from './ppp.js';
import { decodeAvs, decodePrism } from './prism.js';
import { decodeRadiotap } from './radiotap.js';
import { decodeRaw } from './raw.js';
import { decodeIpByVersion } from './tunnel.js';
import { decodeSll } from './sll.js';
import { decodeSll2 } from './sll2.js';

/** LINKTYPE_* values (tcpdump.org/linktypes.html) and how tshark (wiretap) reads them. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
export const LINKTYPE_FDDI = 10;
/** DLT_RAW on most BSDs is 12, on OpenBSD 14; wiretap reads both as raw IP. */
export const LINKTYPE_RAW_BSD = 12;
export const LINKTYPE_RAW_OPENBSD = 14;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_ATM_RFC1483 = 100;
/** DLT 11 (ATM RFC 1483 on some BSDs), which wiretap reads as 100. */
export const LINKTYPE_ATM_RFC1483_BSD = 11;
/** Linux ATM Classical IP (106), and the old DLT values wiretap maps to it: IP by version. */
export const LINKTYPE_LINUX_ATM_CLIP = 106;
const DLT_ATM_CLIP_16 = 16;
const DLT_ATM_CLIP_18 = 18;
const DLT_ATM_CLIP_19 = 19;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_IEEE802_11 = 105;
export const LINKTYPE_LINUX_SLL = 113;
/** SunATM and PPP with direction: their pseudo-headers are already off (capture/pseudo-header.ts). */
export const LINKTYPE_SUNATM = 123;
export const LINKTYPE_PPP_WITH_DIR = 204;
export const LINKTYPE_PFLOG = 117;
export const LINKTYPE_IEEE802_11_PRISM = 119;
export const LINKTYPE_IEEE802_11_RADIOTAP = 127;
export const LINKTYPE_IEEE802_11_AVS = 163;
export const LINKTYPE_PPI = 192;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_NFLOG = 239;
export const LINKTYPE_LINUX_SLL2 = 276;

/**
 * First layer of a record by link type. Link types we do not decode (netlink, USB, Bluetooth, unknown
 * values such as 281, ...) leave every protocol field empty: what tshark shows for them with
 * Kitsune-py's field list (frame.time_epoch and frame.len only), or all it could show of them.
 */
export function decodeLink(
  linkType: number,
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
): void {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      decodeEthernet(buf, off, end, out, ctx);
      return;
    case LINKTYPE_LINUX_SLL:
      decodeSll(buf, off, end, out, ctx);
      return;
    case LINKTYPE_LINUX_SLL2:
      decodeSll2(buf, off, end, out, ctx);
      return;
    case LINKTYPE_RAW:
    case LINKTYPE_RAW_BSD:
    case LINKTYPE_RAW_OPENBSD:
      decodeRaw(buf, off, end, out, ctx);
      return;
    case LINKTYPE_IPV4:
      decodeIpv4(buf, off, end, out, ctx);
      return;
    case LINKTYPE_IPV6:
      decodeIpv6(buf, off, end, out, ctx);
      return;
    case LINKTYPE_NULL:
      decodeNull(buf, off, end, out, ctx, false);
      return;
    case LINKTYPE_LOOP:
      decodeNull(buf, off, end, out, ctx, true);
      return;
    case LINKTYPE_PPP:
    case LINKTYPE_PPP_HDLC:
    case LINKTYPE_PPP_WITH_DIR:
      decodePpp(buf, off, end, out, ctx);
      return;
    case LINKTYPE_SUNATM:
      decodeLlc(buf, off, end, out, ctx);
      return;
    case LINKTYPE_ATM_RFC1483:
    case LINKTYPE_ATM_RFC1483_BSD:
      decodeLlc(buf, off, end, out, ctx);
      return;
    case LINKTYPE_LINUX_ATM_CLIP:
    case DLT_ATM_CLIP_16:
    case DLT_ATM_CLIP_18:
    case DLT_ATM_CLIP_19:
      decodeIpByVersion(buf, off, end, out, ctx);
      return;
    case LINKTYPE_PFLOG:
      decodePflog(buf, off, end, out, ctx);
      return;
    case LINKTYPE_NFLOG:
      decodeNflog(buf, off, end, out, ctx);
      return;
    case LINKTYPE_C_HDLC:
      decodeChdlc(buf, off, end, out, ctx);
      return;
    case LINKTYPE_FDDI:
      decodeFddi(buf, off, end, out, ctx);
      return;
    case LINKTYPE_IEEE802_11:
      decodeIeee80211(buf, off, end, out, ctx, false);
      return;
    case LINKTYPE_IEEE802_11_PRISM:
      decodePrism(buf, off, end, out, ctx);
      return;
    case LINKTYPE_IEEE802_11_AVS:
      decodeAvs(buf, off, end, out, ctx);
      return;
    case LINKTYPE_IEEE802_11_RADIOTAP:
      decodeRadiotap(buf, off, end, out, ctx);
      return;
    case LINKTYPE_PPI:
      decodePpi(buf, off, end, out, ctx);
      return;
    default:
  }
}
