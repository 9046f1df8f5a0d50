import type { DecodeContext } from './context.js';
import { decodeEthernet, decodeLlc, ETHERNET_HEADER_LEN } from './ethernet.js';
import { decodeEtherType } from './ethertype.js';
import type { TsharkFields } from './fields.js';
import { WLAN_NOTHING, WLAN_REASSEMBLED } from './wlan-fragments.js';

/** Frame control: protocol version in bits 0-1 (0), type in bits 2-3 and subtype in bits 4-7 of the first byte, flags in the second. */
const PROTOCOL_VERSION_MASK = 0x03;
const TYPE_DATA = 2;
const SUBTYPE_QOS = 0x8;
const SUBTYPE_NO_DATA = 0x4;
const FLAG_TO_DS = 0x01;
const FLAG_FROM_DS = 0x02;
const FLAG_MORE_FRAGMENTS = 0x04;
const FLAG_PROTECTED = 0x40;
const FLAG_ORDER = 0x80;
/** Data header: frame control, duration, three addresses, sequence control; then the optional fields. */
const DATA_HEADER_LEN = 24;
/** Addresses 1-3 in the header; the fourth (WDS) follows the sequence control. */
const ADDR1_AT = 4;
const ADDR2_AT = 10;
const ADDR3_AT = 16;
const SEQUENCE_CONTROL_AT = 22;
const MAC_LEN = 6;
const QOS_CONTROL_LEN = 2;
const HT_CONTROL_LEN = 4;
const QOS_AMSDU_PRESENT = 0x80;
const FRAGMENT_NUMBER_MASK = 0x0f;
const SEQUENCE_NUMBER_SHIFT = 4;
/** A-MSDU subframe: destination (6), source (6), length (2), then the MSDU; subframes are padded to a multiple of 4. */
const AMSDU_SUBHEADER_LEN = 14;
const AMSDU_LENGTH_AT = 12;
const AMSDU_ALIGN = 4;
/** 802.11s mesh control: flags (address extension in bits 0-1), TTL, sequence (4), extension addresses. */
const MESH_FLAGS_RESERVED = 0xfc;
const MESH_AE_MASK = 0x03;
const MESH_AE_RESERVED = 3;
const MESH_CONTROL_LEN = 6;
const MESH_AE_ADDR_LEN = 6;
/** The SNAP SAP, 0xAA, whose pair starts an LLC/SNAP header. */
const LLC_SNAP_SAP = 0xaa;
/** Radiotap's "data pad" flag: the header is padded to a multiple of this. */
const DATA_PAD_ALIGN = 4;

/**
 * IEEE 802.11 MAC frames (tshark packet-ieee80211.c, linktype 105 and under radiotap/PPI). Only data
 * frames that carry data reach our fields, through their LLC header; the 802.11 addresses are wlan.*
 * fields, so eth.src/eth.dst stay empty. Management and control frames, null-data subtypes and
 * protected (encrypted) frames show no protocol field. Fragments are reassembled as tshark does
 * (wlan-fragments.ts); an A-MSDU's subframes are dissected in turn (first occurrence wins). A frame
 * control protocol version other than 0 shows nothing.
 * `dataPad`: radiotap says the header is padded to a multiple of 4 bytes.
 */
export function decodeIeee80211(
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
  dataPad: boolean,
): void {
  if (end - off < 2) return;
  const fc = buf[off];
  const flags = buf[off + 1];
  const subtype = fc >> 4;
  if ((fc & PROTOCOL_VERSION_MASK) !== 0 || ((fc >> 2) & 3) !== TYPE_DATA || (subtype & SUBTYPE_NO_DATA) !== 0) return;
  const qos = (subtype & SUBTYPE_QOS) !== 0;
  const toDs = (flags & FLAG_TO_DS) !== 0;
  const fromDs = (flags & FLAG_FROM_DS) !== 0;
  // Both DS flags: a four-address (WDS) frame, its fourth address after the sequence control.
  const wds = toDs && fromDs;
  const qosAt = off + DATA_HEADER_LEN + (wds ? MAC_LEN : 0);
  let len = qosAt - off;
  if (qos) len += QOS_CONTROL_LEN + ((flags & FLAG_ORDER) !== 0 ? HT_CONTROL_LEN : 0);
  if (end - off < len || (flags & FLAG_PROTECTED) !== 0) return;
  if (dataPad) len = Math.ceil(len / DATA_PAD_ALIGN) * DATA_PAD_ALIGN;
  const payload = Math.min(end, off + len);
  const amsdu = qos && (buf[qosAt] & QOS_AMSDU_PRESENT) !== 0;
  const seqControl = buf[off + SEQUENCE_CONTROL_AT] | (buf[off + SEQUENCE_CONTROL_AT + 1] << 8);
  const frag = seqControl & FRAGMENT_NUMBER_MASK;
  const more = (flags & FLAG_MORE_FRAGMENTS) !== 0;
  const sa = off + (wds ? DATA_HEADER_LEN : fromDs ? ADDR3_AT : ADDR2_AT);
  const da = off + (toDs ? ADDR3_AT : ADDR1_AT);
  ctx.wlanHeader = buf;
  ctx.wlanSourceAt = sa;
  ctx.wlanDestinationAt = da;
  if (frag === 0 && !more) {
    decodeMsdus(buf, payload, end, out, ctx, amsdu, wds);
    return;
  }
  // tshark keys the fragments on source address, destination address and sequence number.
  let key = `${seqControl >> SEQUENCE_NUMBER_SHIFT}`;
  for (let i = 0; i < MAC_LEN; i++) key += `:${buf[sa + i]}.${buf[da + i]}`;
  const frags = ctx.wlanFragments;
  const shown = frags.add(key, frag, more, buf, payload, end);
  if (shown === WLAN_REASSEMBLED) decodeMsdus(frags.bytes, 0, frags.length, out, ctx, amsdu, wds);
  else if (shown !== WLAN_NOTHING) decodeMsdus(buf, payload, end, out, ctx, amsdu, wds);
}

/**
 * A data frame's body: one MSDU, or an A-MSDU's subframes (LLC-headed). A four-address frame's body
 * starts with an 802.11s mesh control field when its first byte reads as mesh flags (reserved bits 0,
 * address extension not 3): 6 bytes plus 6 per extension address (tshark's test, measured).
 */
function decodeMsdus(
  buf: Uint8Array,
  off: number,
  end: number,
  out: TsharkFields,
  ctx: DecodeContext,
  amsdu: boolean,
  fourAddress: boolean,
): void {
  if (fourAddress && end - off >= 1 && (buf[off] & MESH_FLAGS_RESERVED) === 0 && (buf[off] & MESH_AE_MASK) !== MESH_AE_RESERVED) {
    off += MESH_CONTROL_LEN + MESH_AE_ADDR_LEN * (buf[off] & MESH_AE_MASK);
  }
  if (!amsdu) {
    decodeMsdu(buf, off, end, out, ctx);
    return;
  }
  let p = off;
  while (end - p >= AMSDU_SUBHEADER_LEN) {
    const msduLen = (buf[p + AMSDU_LENGTH_AT] << 8) | buf[p + AMSDU_LENGTH_AT + 1];
    const msdu = p + AMSDU_SUBHEADER_LEN;
    decodeLlc(buf, msdu, Math.min(end, msdu + msduLen), out, ctx);
    p += Math.ceil((AMSDU_SUBHEADER_LEN + msduLen) / AMSDU_ALIGN) * AMSDU_ALIGN;
  }
}

/**
 * One MSDU as tshark reads it: an Ethernet frame when it starts with the frame's destination address
 * or has its source address at byte 6 (bridged); LLC when it starts 0xAA 0xAA, or after two zero bytes
 * (0x00 0x00 0xAA 0xAA, tshark's "mysterious extra stuff"); a bare EtherType that tshark follows; else LLC.
 */
function decodeMsdu(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < 2) return;
  if (end - off >= ETHERNET_HEADER_LEN && (sameAddress(buf, off, ctx.wlanHeader, ctx.wlanDestinationAt) || sameAddress(buf, off + MAC_LEN, ctx.wlanHeader, ctx.wlanSourceAt))) {
    decodeEthernet(buf, off, end, out, ctx);
    return;
  }
  if (buf[off] === LLC_SNAP_SAP && buf[off + 1] === LLC_SNAP_SAP) {
    decodeLlc(buf, off, end, out, ctx);
    return;
  }
  if (end - off >= 4 && buf[off] === 0 && buf[off + 1] === 0 && buf[off + 2] === LLC_SNAP_SAP && buf[off + 3] === LLC_SNAP_SAP) {
    decodeLlc(buf, off + 2, end, out, ctx);
    return;
  }
  if (!decodeEtherType((buf[off] << 8) | buf[off + 1], buf, off + 2, end, out, ctx)) decodeLlc(buf, off, end, out, ctx);
}

function sameAddress(a: Uint8Array, at: number, b: Uint8Array, bt: number): boolean {
  for (let i = 0; i < MAC_LEN; i++) if (a[at + i] !== b[bt + i]) return false;
  return true;
}
