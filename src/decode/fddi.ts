import type { DecodeContext } from './context.js';
import { decodeLlc } from './ethernet.js';
import type { TsharkFields } from './fields.js';

/** FDDI MAC header: frame control (1), destination (6), source (6); then 802.2 LLC. */
const FDDI_HEADER_LEN = 13;

/**
 * FDDI (linktype 10, tshark packet-fddi.c): its addresses are fddi.* fields, not eth.*, so only what
 * the LLC payload carries reaches our fields.
 */
export function decodeFddi(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < FDDI_HEADER_LEN) return;
  decodeLlc(buf, off + FDDI_HEADER_LEN, end, out, ctx);
}
