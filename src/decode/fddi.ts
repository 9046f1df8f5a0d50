import type { DecodeContext } from './context.js';
import { decodeLlc } from './ethernet.js';
import type { TsharkFields } from './fields.js';

/** FDDI MAC header: frame control (1), destination (6), source (6); then 802.2 LLC. */
const FDDI_HEADER_LEN = 13;
/** Frame control CLFFZZZZ: format bits FF = 01 mark an LLC frame. */
const FC_FORMAT_MASK = 0x30;
const FC_FORMAT_LLC = 0x10;

/**
 * FDDI (linktype 10, tshark packet-fddi.c): its addresses are fddi.* fields, not eth.*, so only what
 * the LLC payload of an LLC frame (by its frame control) carries reaches our fields.
 */
export function decodeFddi(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < FDDI_HEADER_LEN || (buf[off] & FC_FORMAT_MASK) !== FC_FORMAT_LLC) return;
  decodeLlc(buf, off + FDDI_HEADER_LEN, end, out, ctx);
}
