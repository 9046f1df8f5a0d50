import type { CaptureRecord } from '../capture/record.js';
import { epochToDouble } from '../capture/timestamp.js';
import { DecodeContext } from './context.js';
import type { TsharkFields } from './fields.js';
import { decodeLink } from './link.js';

/**
 * Decodes one captured record into the 19 fields tshark prints for it with Kitsune-py's field list
 * (`-T fields -E occurrence=f`): frame.time_epoch as Python's float() of tshark's string, frame.len =
 * the wire length, then the protocol fields, each the FIRST occurrence in the frame.
 * Never throws: a truncated or malformed header keeps the fields tshark shows before its fault.
 */
export class PacketDecoder {
  readonly ctx = new DecodeContext();

  decode(rec: CaptureRecord, out: TsharkFields): void {
    out.clear();
    out.timeEpoch = epochToDouble(rec.sec, rec.frac);
    out.frameLen = rec.wireLen;
    const data = rec.data;
    this.ctx.depth = 0;
    this.ctx.vlanId = 0;
    decodeLink(rec.linkType, data, 0, Math.min(rec.caplen, data.length), out, this.ctx);
  }
}

const defaultDecoder = new PacketDecoder();

/**
 * decodeRecord with a module-wide reassembly state. Prefer one PacketDecoder per run so that fragments
 * of different runs never meet.
 */
export function decodeRecord(rec: CaptureRecord, out: TsharkFields): void {
  defaultDecoder.decode(rec, out);
}
