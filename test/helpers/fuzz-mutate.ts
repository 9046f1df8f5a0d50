/**
 * Deterministic mutations of capture bytes for the malformed-input suite (driven by src/synth's
 * xoshiro128** Prng, so a seed names a case), and little-endian builders of single pcap records and
 * pcapng blocks (pcap-savefile(5); draft-ietf-opsawg-pcapng section 4) to splice absurd ones in.
 */
import type { Prng } from '../../src/synth/prng.js';
import { concat } from './capture-build.js';

/** Byte values that sit on edges: zero, sign bits, all ones, ASCII digit and newline, tab. */
export const EDGE_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff, 0x30, 0x0a, 0x09, 0x2d];
/** 32-bit lengths that sit on edges: zero, tiny, unaligned, at and past pcap's 262144 limit, huge. */
export const EDGE_LENGTHS = [0, 1, 3, 8, 12, 13, 0xffff, 0x10000, 262144, 262145, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff];
const BITS_PER_BYTE = 8;

export function flipBits(bytes: Uint8Array, prng: Prng, count: number, from = 0, to = bytes.length): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < count && to > from; i++) {
    out[prng.int(from, to - 1)] ^= 1 << prng.int(0, BITS_PER_BYTE - 1);
  }
  return out;
}

export function overwriteBytes(bytes: Uint8Array, prng: Prng, count: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < count && out.length > 0; i++) {
    out[prng.int(0, out.length - 1)] = prng.chance(0.5) ? prng.choice(EDGE_BYTES) : prng.int(0, 0xff);
  }
  return out;
}

export function withU32le(bytes: Uint8Array, at: number, value: number): Uint8Array {
  const out = bytes.slice();
  new DataView(out.buffer, out.byteOffset, out.byteLength).setUint32(at, value >>> 0, true);
  return out;
}

/** Removes `length` bytes at `at`, or inserts `length` random bytes there. */
export function deleteSpan(bytes: Uint8Array, at: number, length: number): Uint8Array {
  return concatBytes(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + length)));
}

export function insertRandom(bytes: Uint8Array, prng: Prng, at: number, length: number): Uint8Array {
  const junk = new Uint8Array(length);
  prng.fill(junk, 0, length);
  return concatBytes(bytes.subarray(0, at), junk, bytes.subarray(at));
}

export function randomBytes(prng: Prng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  prng.fill(out, 0, length);
  return out;
}

/** Joins byte arrays (the capture builders' `concat`). */
export const concatBytes = concat;

/** One classic pcap record header + data, little-endian; `caplenField` may lie about the data. */
export function pcapRecord(timeSec: number, usec: number, data: Uint8Array, caplenField = data.length, wireLen = data.length): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, timeSec >>> 0, true);
  v.setUint32(4, usec >>> 0, true);
  v.setUint32(8, caplenField >>> 0, true);
  v.setUint32(12, wireLen >>> 0, true);
  out.set(data, 16);
  return out;
}

/** A pcapng block: type, total length (or `lengthField`), body padded to 4, trailing length. */
export function pcapngBlock(type: number, body: Uint8Array, lengthField?: number): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  v.setUint32(0, type >>> 0, true);
  v.setUint32(4, (lengthField ?? total) >>> 0, true);
  out.set(body, 8);
  v.setUint32(total - 4, (lengthField ?? total) >>> 0, true);
  return out;
}

export const PCAPNG_IDB = 1;
export const PCAPNG_EPB = 6;
export const LINKTYPE_ETHERNET = 1;

/** Interface Description Block: link type, reserved, snaplen, no options. */
export function pcapngIdb(linkType = LINKTYPE_ETHERNET, snaplen = 0): Uint8Array {
  const body = new Uint8Array(8);
  const v = new DataView(body.buffer);
  v.setUint16(0, linkType, true);
  v.setUint32(4, snaplen >>> 0, true);
  return pcapngBlock(PCAPNG_IDB, body);
}

/** Enhanced Packet Block: interface, timestamp (microseconds by default), caplen (or a lie), wire length, data. */
export function pcapngEpb(iface: number, timeUs: number, data: Uint8Array, caplenField = data.length): Uint8Array {
  const body = new Uint8Array(20 + data.length);
  const v = new DataView(body.buffer);
  v.setUint32(0, iface >>> 0, true);
  v.setUint32(4, Math.floor(timeUs / 2 ** 32), true);
  v.setUint32(8, timeUs >>> 0, true);
  v.setUint32(12, caplenField >>> 0, true);
  v.setUint32(16, data.length, true);
  body.set(data, 20);
  return pcapngBlock(PCAPNG_EPB, body);
}

/** zstd (RFC 8878): magic, frame header descriptor, content size, then blocks. */
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
/** Single_Segment_Flag (0x20) with Frame_Content_Size_Flag 1 (0x40): a 2-byte content size, stored minus 256. */
const ZSTD_FHD_SINGLE_SEGMENT_FCS2 = 0x60;
const ZSTD_FCS2_BIAS = 256;
const ZSTD_FCS2_MAX = 0xffff + ZSTD_FCS2_BIAS;
const ZSTD_LAST_BLOCK = 1;
/** Block_Header: Last_Block (bit 0), Block_Type (bits 1-2: 0 = raw), Block_Size (bits 3-23). */
const ZSTD_BLOCK_SIZE_SHIFT = 3;
export const ZSTD_FRAME_HEADER_BYTES = 4 + 1 + 2;
export const ZSTD_BLOCK_HEADER_BYTES = 3;

/**
 * A zstd frame holding `data` (256 to 65791 bytes) as one raw (stored) block: enough to test the
 * zstd path without a compressor (node 20 has none). Offsets: header 7 bytes, block header 3, data.
 */
export function zstdRawFrame(data: Uint8Array): Uint8Array {
  if (data.length < ZSTD_FCS2_BIAS || data.length > ZSTD_FCS2_MAX) throw new Error(`zstdRawFrame: ${data.length} bytes`);
  const header = new Uint8Array(ZSTD_FRAME_HEADER_BYTES + ZSTD_BLOCK_HEADER_BYTES);
  header.set(ZSTD_MAGIC, 0);
  header[4] = ZSTD_FHD_SINGLE_SEGMENT_FCS2;
  const fcs = data.length - ZSTD_FCS2_BIAS;
  header[5] = fcs & 0xff;
  header[6] = fcs >>> 8;
  const block = (data.length << ZSTD_BLOCK_SIZE_SHIFT) | ZSTD_LAST_BLOCK;
  header[7] = block & 0xff;
  header[8] = (block >>> 8) & 0xff;
  header[9] = block >>> 16;
  return concatBytes(header, data);
}
