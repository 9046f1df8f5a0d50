import { u16le, u32le } from '../capture/bytes.js';
import { type DecodeContext, MAX_LAYERS } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeLink } from './link.js';

/** PPI header: version (1), flags (1), length (2) and the inner link type (4), little-endian. */
const PPI_HEADER_LEN = 8;
const LENGTH_AT = 2;
const DLT_AT = 4;

/**
 * Per-Packet Information (linktype 192, tshark packet-ppi.c): a little-endian header of stated length,
 * its fields, then a frame of the link type the header names (802.11 mostly). tshark reads a stated
 * length below the fixed header as the fixed header. Counts one layer against MAX_LAYERS.
 */
export function decodePpi(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < PPI_HEADER_LEN || ctx.depth >= MAX_LAYERS) return;
  const len = Math.max(PPI_HEADER_LEN, u16le(buf, off + LENGTH_AT));
  if (len > end - off) return;
  ctx.depth++;
  decodeLink(u32le(buf, off + DLT_AT), buf, off + len, end, out, ctx);
  ctx.depth--;
}
