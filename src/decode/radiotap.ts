import { u16le, u32le } from '../capture/bytes.js';
import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIeee80211 } from './ieee80211.js';

/** Radiotap header: version (1), pad (1), length (2, little-endian), then present bitmaps (4 each). */
const RADIOTAP_MIN_LEN = 8;
const LENGTH_AT = 2;
const PRESENT_AT = 4;
const PRESENT_WORD_LEN = 4;
/** Bit 31 of a present word: another word follows. */
const PRESENT_EXT = 0x80000000;
/** The first two fields of the default namespace: TSFT (8 bytes, aligned to 8), then flags (1 byte). */
const PRESENT_TSFT = 0x1;
const PRESENT_FLAGS = 0x2;
const TSFT_LEN = 8;
const FLAG_DATA_PAD = 0x20;
const FLAG_FCS_AT_END = 0x10;
const FCS_LEN = 4;

/**
 * Radiotap (linktype 127, tshark packet-ieee80211-radiotap.c): a little-endian header of its own stated
 * length before an 802.11 frame. A length shorter than the fixed header or past the captured bytes
 * stops (tshark shows no 802.11 frame); the version is not checked. Of its fields only the flags
 * matter here: an FCS at the frame's end (left out) and padding after the 802.11 header.
 */
export function decodeRadiotap(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < RADIOTAP_MIN_LEN) return;
  const len = u16le(buf, off + LENGTH_AT);
  if (len < RADIOTAP_MIN_LEN || len > end - off) return;
  const present = u32le(buf, off + PRESENT_AT);
  let fields = off + PRESENT_AT + PRESENT_WORD_LEN;
  for (let word = present; (word & PRESENT_EXT) !== 0 && fields + PRESENT_WORD_LEN <= off + len; fields += PRESENT_WORD_LEN) {
    word = u32le(buf, fields);
  }
  let flags = 0;
  if ((present & PRESENT_FLAGS) !== 0) {
    // Fields are aligned to their size from the start of the header.
    const flagsAt = (present & PRESENT_TSFT) !== 0 ? off + Math.ceil((fields - off) / TSFT_LEN) * TSFT_LEN + TSFT_LEN : fields;
    if (flagsAt < off + len) flags = buf[flagsAt];
  }
  // The FCS ends the frame as sent (frame.len from the record's start): a capture cut before it holds none.
  const frameEnd = (flags & FLAG_FCS_AT_END) !== 0 ? Math.max(off + len, Math.min(end, out.frameLen - FCS_LEN)) : end;
  decodeIeee80211(buf, off + len, frameEnd, out, ctx, (flags & FLAG_DATA_PAD) !== 0);
}
