import type { DecodeContext } from './context.js';
import { decodeLlc } from './ethernet.js';
import type { TsharkFields } from './fields.js';
import { WLAN_NOTHING, WLAN_REASSEMBLED } from './wlan-fragments.js';

/** Frame control: type in bits 2-3 and subtype in bits 4-7 of the first byte, flags in the second. */
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
const ADDRESSES_AT = 4;
const SEQUENCE_CONTROL_AT = 22;
const ADDR4_LEN = 6;
const QOS_CONTROL_LEN = 2;
const HT_CONTROL_LEN = 4;
const QOS_AMSDU_PRESENT = 0x80;
const FRAGMENT_NUMBER_MASK = 0x0f;
const SEQUENCE_NUMBER_SHIFT = 4;
/** A-MSDU subframe: destination (6), source (6), length (2), then the MSDU; subframes are padded to a multiple of 4. */
const AMSDU_SUBHEADER_LEN = 14;
const AMSDU_LENGTH_AT = 12;
const AMSDU_ALIGN = 4;
/** Radiotap's "data pad" flag: the header is padded to a multiple of this. */
const DATA_PAD_ALIGN = 4;

/**
 * IEEE 802.11 MAC frames (tshark packet-ieee80211.c, linktype 105 and under radiotap/PPI). Only data
 * frames that carry data reach our fields, through their LLC header; the 802.11 addresses are wlan.*
 * fields, so eth.src/eth.dst stay empty. Management and control frames, null-data subtypes and
 * protected (encrypted) frames show no protocol field. Fragments are reassembled as tshark does
 * (wlan-fragments.ts); an A-MSDU's subframes are dissected in turn (first occurrence wins).
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
  if (((fc >> 2) & 3) !== TYPE_DATA || (subtype & SUBTYPE_NO_DATA) !== 0) return;
  const qos = (subtype & SUBTYPE_QOS) !== 0;
  const wds = (flags & FLAG_TO_DS) !== 0 && (flags & FLAG_FROM_DS) !== 0;
  const qosAt = off + DATA_HEADER_LEN + (wds ? ADDR4_LEN : 0);
  let len = qosAt - off;
  if (qos) len += QOS_CONTROL_LEN + ((flags & FLAG_ORDER) !== 0 ? HT_CONTROL_LEN : 0);
  if (end - off < len || (flags & FLAG_PROTECTED) !== 0) return;
  if (dataPad) len = Math.ceil(len / DATA_PAD_ALIGN) * DATA_PAD_ALIGN;
  const payload = Math.min(end, off + len);
  const amsdu = qos && (buf[qosAt] & QOS_AMSDU_PRESENT) !== 0;
  const seqControl = buf[off + SEQUENCE_CONTROL_AT] | (buf[off + SEQUENCE_CONTROL_AT + 1] << 8);
  const frag = seqControl & FRAGMENT_NUMBER_MASK;
  const more = (flags & FLAG_MORE_FRAGMENTS) !== 0;
  if (frag === 0 && !more) {
    decodeMsdus(buf, payload, end, out, ctx, amsdu);
    return;
  }
  let key = `${seqControl >> SEQUENCE_NUMBER_SHIFT}`;
  for (let i = off + ADDRESSES_AT; i < qosAt; i++) {
    if (i < off + SEQUENCE_CONTROL_AT || i >= off + DATA_HEADER_LEN) key += `:${buf[i]}`;
  }
  const frags = ctx.wlanFragments;
  const shown = frags.add(key, frag, more, buf, payload, end);
  if (shown === WLAN_REASSEMBLED) decodeMsdus(frags.bytes, 0, frags.length, out, ctx, amsdu);
  else if (shown !== WLAN_NOTHING) decodeMsdus(buf, payload, end, out, ctx, amsdu);
}

/** A data frame's body: one LLC-headed MSDU, or an A-MSDU's subframes. */
function decodeMsdus(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext, amsdu: boolean): void {
  if (!amsdu) {
    decodeLlc(buf, off, end, out, ctx);
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
