import { InputError } from '../errors.js';
import { pseudoHeaderLength } from './pseudo-header.js';
import type { CaptureRecord } from './record.js';

/**
 * What every parser of one run shares: the one reused CaptureRecord, the packet counter that runs on
 * across inputs, the record callback and the name of the input being read.
 */
export class CaptureContext {
  /** Number the next packet gets (= packets delivered so far). */
  nextIndex = 0;
  file = '';
  /** Appended to fault reasons: says when offsets count decompressed bytes. */
  offsetNote = '';
  readonly rec: CaptureRecord = {
    index: 0,
    linkType: 0,
    sec: 0,
    frac: 0,
    hasTime: true,
    caplen: 0,
    wireLen: 0,
    data: new Uint8Array(0),
    file: '',
    offset: 0,
  };

  constructor(readonly onRecord: (rec: CaptureRecord) => void) {}

  /** The next bytes come from the input `name`. */
  startInput(name: string): void {
    this.file = name;
    this.rec.file = name;
    this.offsetNote = '';
  }

  /** Hands the filled record over (without its link type's pseudo-header) and counts it. */
  deliver(): void {
    const rec = this.rec;
    const pseudo = pseudoHeaderLength(rec.linkType);
    if (pseudo > 0) {
      if (rec.caplen < pseudo) {
        throw this.fault(rec.offset, `a ${rec.caplen}-byte record of link type ${rec.linkType} is too short for its ${pseudo}-byte pseudo-header`);
      }
      rec.caplen -= pseudo;
      rec.wireLen = Math.max(0, rec.wireLen - pseudo);
      rec.data = rec.data.subarray(pseudo);
    }
    rec.index = this.nextIndex++;
    this.onRecord(rec);
  }

  /** An InputError at `offset` for the packet that would come next. */
  fault(offset: number, reason: string): InputError {
    return new InputError(this.file, offset, this.nextIndex, reason + this.offsetNote);
  }
}
