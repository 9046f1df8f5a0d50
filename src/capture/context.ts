import { InputError } from '../errors.js';
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

  /** Hands the filled record over and counts it. */
  deliver(): void {
    const rec = this.rec;
    rec.index = this.nextIndex++;
    this.onRecord(rec);
  }

  /** An InputError at `offset` for the packet that would come next. */
  fault(offset: number, reason: string): InputError {
    return new InputError(this.file, offset, this.nextIndex, reason + this.offsetNote);
  }
}
