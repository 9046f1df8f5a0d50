import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeIpv4 } from './ipv4.js';
import { decodePpp, startsPppHdlc } from './ppp.js';
import { decodeIpByVersion } from './tunnel.js';

/** Where the old Linux ISDN driver put the PPP header: after a fake MAC (6 bytes) or 1 byte. */
const ISDN_FAKE_MAC_LEN = 6;
const ISDN_ONE_BYTE = 1;
/** A link that was down sent 10 zero bytes before the IP packet. */
const ZERO_PREFIX_LEN = 10;

/**
 * Raw IP link types 101, 12 and 14 (tshark packet-raw.c), tried in its order: PPP in HDLC framing at
 * byte 0, 6 or 1 (workarounds for old Linux PPP and ISDN drivers), 10 zero bytes then IP, else IP by its
 * version nibble. tshark reads bytes 0-1 and 6-7 before anything else, so a frame shorter than 8 bytes
 * shows nothing unless it starts with 0xFF03.
 */
export function decodeRaw(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < 2) return;
  if (startsPppHdlc(buf, off, end)) {
    decodePpp(buf, off, end, out, ctx);
    return;
  }
  if (end - off < ISDN_FAKE_MAC_LEN + 2) return;
  if (startsPppHdlc(buf, off + ISDN_FAKE_MAC_LEN, end)) {
    decodePpp(buf, off + ISDN_FAKE_MAC_LEN, end, out, ctx);
    return;
  }
  if (startsPppHdlc(buf, off + ISDN_ONE_BYTE, end)) {
    decodePpp(buf, off + ISDN_ONE_BYTE, end, out, ctx);
    return;
  }
  if (end - off >= ZERO_PREFIX_LEN && allZero(buf, off, off + ZERO_PREFIX_LEN)) {
    decodeIpv4(buf, off + ZERO_PREFIX_LEN, end, out, ctx);
    return;
  }
  decodeIpByVersion(buf, off, end, out, ctx);
}

function allZero(buf: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (buf[i] !== 0) return false;
  return true;
}
