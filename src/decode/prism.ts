import { u32be, u32le } from '../capture/bytes.js';
import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIeee80211 } from './ieee80211.js';

/** AVS capture header: a magic 0x8021100v (v = version, big-endian; how linktype 119 recognises it), then its length (4, big-endian). */
const AVS_MAGIC = 0x80211000;
const AVS_MAGIC_MASK = 0xfffffff0;
const AVS_LENGTH_AT = 4;
const AVS_MIN_LEN = 8;
/** Prism capture header: message code 0x41 or 0x44 (either byte order), then a fixed 144-byte layout. */
const PRISM_MSGCODE_A = 0x41;
const PRISM_MSGCODE_B = 0x44;
const PRISM_HEADER_LEN = 144;

/**
 * Linktype 119 (tshark packet-ieee80211-prism.c): the 802.11 frame after an AVS header (of its stated
 * length) or a Prism header (144 bytes, whatever its stated length), or with no header at all.
 */
export function decodePrism(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < AVS_MIN_LEN) {
    decodeIeee80211(buf, off, end, out, ctx, false);
    return;
  }
  const word = u32be(buf, off);
  if ((word & AVS_MAGIC_MASK) >>> 0 === AVS_MAGIC) {
    decodeAvs(buf, off, end, out, ctx);
    return;
  }
  if (isPrismMsgcode(word) || isPrismMsgcode(u32le(buf, off))) {
    decodeIeee80211(buf, off + PRISM_HEADER_LEN, end, out, ctx, false);
    return;
  }
  decodeIeee80211(buf, off, end, out, ctx, false);
}

/** Linktype 163 (AVS): the 802.11 frame after the header's stated length (the magic is not checked). */
export function decodeAvs(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < AVS_MIN_LEN) return;
  const len = u32be(buf, off + AVS_LENGTH_AT);
  if (len < AVS_MIN_LEN || len > end - off) return;
  decodeIeee80211(buf, off + len, end, out, ctx, false);
}

function isPrismMsgcode(code: number): boolean {
  return code === PRISM_MSGCODE_A || code === PRISM_MSGCODE_B;
}
