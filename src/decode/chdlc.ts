import type { DecodeContext } from './context.js';
import { decodeEtherType } from './ethertype.js';
import type { TsharkFields } from './fields.js';

/** Cisco HDLC header: address (1), control (1), protocol (2, an EtherType). */
const CHDLC_HEADER_LEN = 4;
const PROTOCOL_AT = 2;
/** Cisco's Serial Line ARP, which takes RARP's EtherType value here: none of our fields. */
const CHDLC_SLARP = 0x8035;

/** Cisco HDLC (linktype 104, tshark packet-chdlc.c): the protocol field is an EtherType (but SLARP); no MACs. */
export function decodeChdlc(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < CHDLC_HEADER_LEN) return;
  const protocol = (buf[off + PROTOCOL_AT] << 8) | buf[off + PROTOCOL_AT + 1];
  if (protocol !== CHDLC_SLARP) decodeEtherType(protocol, buf, off + CHDLC_HEADER_LEN, end, out, ctx);
}
