import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodePpp } from './ppp.js';

/** L2TPv2 header (RFC 2661): flags and version (2), [length (2)], tunnel id (2), session id (2), [Ns, Nr (4)], [offset size (2), padding]. */
const FLAG_TYPE_CONTROL = 0x8000;
const FLAG_LENGTH = 0x4000;
const FLAG_SEQUENCE = 0x0800;
const FLAG_OFFSET = 0x0200;
const VERSION_MASK = 0x000f;
const L2TP_VERSION_2 = 2;
const L2TP_VERSION_3 = 3;
const FLAGS_LEN = 2;
const LENGTH_LEN = 2;
const IDS_LEN = 4;
const SEQUENCE_LEN = 4;
const OFFSET_SIZE_LEN = 2;

/**
 * L2TP over UDP 1701 (tshark packet-l2tp.c): a version 2 data message carries a PPP frame after its
 * optional fields; control messages and version 3 carry nothing of ours. Returns false when tshark's
 * dissector refuses the payload (a version other than 2 or 3: tshark then tries the other port).
 */
export function decodeL2tp(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): boolean {
  if (end - off < FLAGS_LEN) return false;
  const flags = (buf[off] << 8) | buf[off + 1];
  const version = flags & VERSION_MASK;
  if (version !== L2TP_VERSION_2 && version !== L2TP_VERSION_3) return false;
  if ((flags & FLAG_TYPE_CONTROL) !== 0 || version !== L2TP_VERSION_2) return true;
  let p = off + FLAGS_LEN;
  if ((flags & FLAG_LENGTH) !== 0) p += LENGTH_LEN;
  p += IDS_LEN;
  if ((flags & FLAG_SEQUENCE) !== 0) p += SEQUENCE_LEN;
  if ((flags & FLAG_OFFSET) !== 0) {
    if (end - p < OFFSET_SIZE_LEN) return true;
    p += OFFSET_SIZE_LEN + ((buf[p] << 8) | buf[p + 1]);
  }
  if (p < end) decodePpp(buf, p, end, out, ctx);
  return true;
}
