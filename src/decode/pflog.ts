import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeBsdFamily } from './null.js';

/** pflog header: its length (1), address family (1), ...; the packet starts at the length rounded up to 4. */
const AF_AT = 1;
/** The shortest stated header length tshark 4.0.17 reads a packet after (measured: 4 and below show nothing). */
const MIN_PFLOG_HEADER_LEN = 5;
const BPF_WORD = 4;

/** OpenBSD pf's log (linktype 117, tshark packet-pflog.c): the logged packet by its BSD address family. */
export function decodePflog(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < MIN_PFLOG_HEADER_LEN) return;
  const headerLen = buf[off];
  if (headerLen < MIN_PFLOG_HEADER_LEN) return;
  decodeBsdFamily(buf[off + AF_AT], buf, off + Math.ceil(headerLen / BPF_WORD) * BPF_WORD, end, out, ctx);
}
