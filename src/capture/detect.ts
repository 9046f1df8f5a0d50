/**
 * Input format from its first bytes (never from the file name): compressed (gzip, zstd), text behind a
 * byte-order mark (text-encoding.ts), classic pcap, pcapng, or tshark's TSV text: a data row starts
 * with the epoch's digit or '-'; a header row is a line of printable text with a `frame.time_epoch`
 * column (first in Kitsune-py's order, anywhere when the columns are reordered). Binary magics never start with a printable character other than
 * '(' (zstd, followed by 0xb5), 'M' (nanosecond pcap, followed by '<' and 0xb2) and '4' (little-endian
 * modified pcap, followed by 0xcd: checked before a digit is taken for a TSV row).
 */
import { u32be } from './bytes.js';
import {
  PCAP_MAGIC_MODIFIED_BE, PCAP_MAGIC_MODIFIED_LE, PCAP_MAGIC_NSEC_BE, PCAP_MAGIC_NSEC_LE, PCAP_MAGIC_USEC_BE, PCAP_MAGIC_USEC_LE,
} from './pcap.js';
import { BLOCK_SHB } from './pcapng.js';
import { detectTextMark, type TextEncodingMark } from './text-encoding.js';

export type InputFormat = 'gzip' | 'zstd' | TextEncodingMark | 'pcap' | 'pcapng' | 'tsv' | 'unknown';

const GZIP_ID1 = 0x1f;
const GZIP_ID2 = 0x8b;
const ZSTD_MAGIC = 0x28b52ffd;
const TSV_TIME_COLUMN = 'frame.time_epoch';
const CHAR_0 = 0x30;
const CHAR_9 = 0x39;
const CHAR_MINUS = 0x2d;
const CHAR_TAB = 0x09;
const CHAR_LF = 0x0a;
const CHAR_CR = 0x0d;
/** Printable ASCII, space excluded at the start (pcapng's magic is CR/LF bytes). */
const PRINTABLE_MIN = 0x20;
const PRINTABLE_MAX = 0x7e;
const MAGIC_LEN = 4;
/** The modified-pcap little-endian magic's first byte, the digit '4'. */
const MODIFIED_LE_FIRST_BYTE = PCAP_MAGIC_MODIFIED_LE >>> 24;
/** A header line longer than this is not taken for tshark's. */
const MAX_HEADER_LINE = 65536;

/**
 * The format of a stream starting with `head`, or null when more bytes are needed to tell
 * (`complete` = the stream has no more bytes: then decide with what there is).
 */
export function detectFormat(head: Uint8Array, complete: boolean): InputFormat | null {
  if (head.length === 0) return complete ? 'unknown' : null;
  const mark = detectTextMark(head, complete);
  if (mark !== 'none') return mark;
  const first = head[0];
  if (head.length >= MAGIC_LEN && u32be(head, 0) === PCAP_MAGIC_MODIFIED_LE) return 'pcap';
  if (head.length < MAGIC_LEN && !complete && first === MODIFIED_LE_FIRST_BYTE) return null;
  if ((first >= CHAR_0 && first <= CHAR_9) || first === CHAR_MINUS) return 'tsv';
  const header = headerLine(head, complete);
  if (header !== 'binary') return header;
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
    case PCAP_MAGIC_MODIFIED_BE:
      return 'pcap';
    case BLOCK_SHB:
      return 'pcapng';
    default:
      return 'unknown';
  }
}

/** 'tsv' for a TSV header line, 'binary' when the head is not a line of text, null if undecided yet. */
function headerLine(head: Uint8Array, complete: boolean): InputFormat | 'binary' | null {
  if (head[0] <= PRINTABLE_MIN || head[0] > PRINTABLE_MAX) return 'binary';
  const n = Math.min(head.length, MAX_HEADER_LINE);
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if (c === CHAR_LF || c === CHAR_CR) return lineHasTimeColumn(head.subarray(0, i));
    if (c !== CHAR_TAB && (c < PRINTABLE_MIN || c > PRINTABLE_MAX)) return 'binary';
  }
  if (complete) return lineHasTimeColumn(head.subarray(0, n));
  return head.length >= MAX_HEADER_LINE ? 'unknown' : null;
}

function lineHasTimeColumn(line: Uint8Array): InputFormat {
  return new TextDecoder().decode(line).split('\t').includes(TSV_TIME_COLUMN) ? 'tsv' : 'unknown';
}
