/**
 * Input format from its first bytes (never from the file name): compressed (gzip, zstd), classic pcap,
 * pcapng, or tshark's TSV text (a header row starting with `frame.time_epoch`, or a data row starting
 * with the epoch's digit or '-').
 */
import { u32be } from './bytes.js';
import { PCAP_MAGIC_NSEC_BE, PCAP_MAGIC_NSEC_LE, PCAP_MAGIC_USEC_BE, PCAP_MAGIC_USEC_LE } from './pcap.js';
import { BLOCK_SHB } from './pcapng.js';

export type InputFormat = 'gzip' | 'zstd' | 'pcap' | 'pcapng' | 'tsv' | 'unknown';

const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;
const ZSTD_MAGIC = 0x28b52ffd;
const TSV_HEADER = 'frame.time_epoch';
const CHAR_0 = 0x30;
const CHAR_9 = 0x39;
const CHAR_MINUS = 0x2d;
const CHAR_F = 0x66;
const MAGIC_LEN = 4;

/** Bytes needed to decide: the longest signature a prefix can still turn into. */
export const DETECT_MAX = TSV_HEADER.length;

/**
 * The format of a stream starting with `head`, or null when more bytes are needed to tell
 * (`complete` = the stream has no more bytes: then decide with what there is).
 */
export function detectFormat(head: Uint8Array, complete: boolean): InputFormat | null {
  if (head.length === 0) return complete ? 'unknown' : null;
  const first = head[0];
  if ((first >= CHAR_0 && first <= CHAR_9) || first === CHAR_MINUS) return 'tsv';
  if (first === CHAR_F) {
    const n = Math.min(head.length, TSV_HEADER.length);
    for (let i = 0; i < n; i++) if (head[i] !== TSV_HEADER.charCodeAt(i)) return 'unknown';
    if (n === TSV_HEADER.length) return 'tsv';
    return complete ? 'unknown' : null;
  }
  if (head.length >= 2 && first === GZIP_ID1 && head[1] === GZIP_ID2) return 'gzip';
  if (head.length < MAGIC_LEN) return complete ? 'unknown' : null;
  const magic = u32be(head, 0);
  switch (magic) {
    case ZSTD_MAGIC:
      return 'zstd';
    case PCAP_MAGIC_USEC_BE:
    case PCAP_MAGIC_USEC_LE:
    case PCAP_MAGIC_NSEC_BE:
    case PCAP_MAGIC_NSEC_LE:
      return 'pcap';
    case BLOCK_SHB:
      return 'pcapng';
    default:
      return 'unknown';
  }
}
