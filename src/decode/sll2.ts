import type { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeCookedPayload } from './sll.js';

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2 276): protocol (2), reserved (2), ifindex (4), ARPHRD type (2), packet type, address length, address (8). */
export const SLL2_HEADER_LEN = 20;
const SLL2_HATYPE_OFFSET = 8;

/** Linux cooked capture v2 (tshark packet-sll.c): as v1 with the protocol first and an interface index. */
export function decodeSll2(buf: Uint8Array, off: number, end: number, out: TsharkFields, ctx: DecodeContext): void {
  if (end - off < SLL2_HEADER_LEN) return;
  const protocol = (buf[off] << 8) | buf[off + 1];
  const hatype = (buf[off + SLL2_HATYPE_OFFSET] << 8) | buf[off + SLL2_HATYPE_OFFSET + 1];
  decodeCookedPayload(hatype, protocol, buf, off + SLL2_HEADER_LEN, end, out, ctx);
}
