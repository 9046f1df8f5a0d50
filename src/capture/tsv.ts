/**
 * tshark TSV text (`tshark -T fields -E header=y -E occurrence=f` with Kitsune-py's field list, and
 * Kitsune-py's own .tsv files, which are the same), read line by line into a reused TsharkFields.
 *
 * With a header row (a first line with a `frame.time_epoch` column) columns are matched by name (any order,
 * extra columns ignored, missing ones empty); without one, the 19 columns are in Kitsune-py's order.
 * Numbers follow Kitsune-py (FeatureExtractor): timeEpoch = float(text), frameLen = int(text); a text
 * Python would reject is an InputError at the line's byte offset, as are a frame.len beyond 2^53 and a
 * line over MAX_LINE_BYTES. LF or CRLF line ends; blank lines skipped.
 */
import { TSHARK_FIELD_NAMES, TsharkFields } from '../decode/fields.js';
import { MAX_LINE_BYTES } from '../text-lines.js';
import type { CaptureContext } from './context.js';

/** TsharkFields string properties in TSHARK_FIELD_NAMES order (the first two are the numbers). */
const STRING_PROPERTIES = [
  'ethSrc',
  'ethDst',
  'ipSrc',
  'ipDst',
  'tcpSrcport',
  'tcpDstport',
  'udpSrcport',
  'udpDstport',
  'icmpType',
  'icmpCode',
  'arpOpcode',
  'arpSrcHwMac',
  'arpSrcProtoIpv4',
  'arpDstHwMac',
  'arpDstProtoIpv4',
  'ipv6Src',
  'ipv6Dst',
] as const satisfies readonly (keyof TsharkFields)[];
const COL_TIME = 0;
const COL_LEN = 1;
const FIRST_STRING_COL = 2;
const TIME_COLUMN = TSHARK_FIELD_NAMES[COL_TIME];
const LF = 0x0a;
const CR = 0x0d;
const INITIAL_PARTIAL = 4096;

/** Python float() syntax: decimal with optional '_' between digits, or inf/infinity/nan, padded by spaces. */
const PY_FLOAT =
  /^\s*([+-]?)(?:((?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?)|(inf(?:inity)?)|(nan))\s*$/i;
/** Python int() syntax in base 10. */
const PY_INT = /^\s*([+-]?\d(?:_?\d)*)\s*$/;

/** Python float(text), or undefined where Python raises ValueError. */
export function pythonFloat(text: string): number | undefined {
  const m = PY_FLOAT.exec(text);
  if (m === null) return undefined;
  const negative = m[1] === '-';
  if (m[3] !== undefined) return negative ? -Infinity : Infinity;
  if (m[4] !== undefined) return NaN;
  const v = Number(m[2].replaceAll('_', ''));
  return negative ? -v : v;
}

/** Python int(text) as a double, or undefined where Python raises ValueError. */
export function pythonInt(text: string): number | undefined {
  const m = PY_INT.exec(text);
  return m === null ? undefined : Number(m[1].replaceAll('_', ''));
}

export type FieldsHandler = (fields: TsharkFields, index: number, file: string, offset: number) => void;

export class TsvParser {
  private readonly fields = new TsharkFields();
  private readonly decoder = new TextDecoder();
  /** Column of each of the 19 fields in a row, or -1 when absent; null until the first line is seen. */
  private columns: number[] | null = null;
  private partial = new Uint8Array(INITIAL_PARTIAL);
  private partialLen = 0;
  /** Stream offset of the first byte of `partial` (or of the next chunk when it is empty). */
  private offset = 0;

  constructor(
    private readonly ctx: CaptureContext,
    private readonly onFields: FieldsHandler,
  ) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    if (this.partialLen > 0) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.append(chunk, 0, chunk.length);
        return;
      }
      this.append(chunk, 0, nl + 1);
      this.line(this.partial, 0, this.partialLen - 1, this.offset);
      this.offset += this.partialLen;
      this.partialLen = 0;
      pos = nl + 1;
    }
    for (;;) {
      const nl = chunk.indexOf(LF, pos);
      if (nl < 0) break;
      if (nl - pos > MAX_LINE_BYTES) throw this.tooLong(this.offset);
      this.line(chunk, pos, nl, this.offset);
      this.offset += nl + 1 - pos;
      pos = nl + 1;
    }
    if (pos < chunk.length) this.append(chunk, pos, chunk.length - pos);
  }

  /** A last line without a line end still counts. */
  end(): void {
    if (this.partialLen > 0) this.line(this.partial, 0, this.partialLen, this.offset);
    this.partialLen = 0;
  }

  private append(src: Uint8Array, from: number, n: number): void {
    const needed = this.partialLen + n;
    const lineBytes = n > 0 && src[from + n - 1] === LF ? needed - 1 : needed;
    if (lineBytes > MAX_LINE_BYTES) throw this.tooLong(this.offset);
    if (needed > this.partial.length) {
      const grown = new Uint8Array(Math.max(needed, this.partial.length * 2));
      grown.set(this.partial.subarray(0, this.partialLen));
      this.partial = grown;
    }
    this.partial.set(src.subarray(from, from + n), this.partialLen);
    this.partialLen = needed;
  }

  private tooLong(offset: number): Error {
    return this.ctx.fault(offset, `line longer than ${MAX_LINE_BYTES} bytes: not tshark's text output`);
  }

  /** One line b[start, end) without its LF; `offset` is its stream offset. */
  private line(b: Uint8Array, start: number, end: number, offset: number): void {
    if (end > start && b[end - 1] === CR) end--;
    if (end === start) return;
    const cells = this.decoder.decode(b.subarray(start, end)).split('\t');
    if (this.columns === null) {
      if (cells.includes(TIME_COLUMN)) {
        this.columns = TSHARK_FIELD_NAMES.map((name) => cells.indexOf(name));
        return;
      }
      this.columns = TSHARK_FIELD_NAMES.map((_, i) => i);
    }
    const cols = this.columns;
    const f = this.fields;
    const time = cellAt(cells, cols[COL_TIME]);
    const timeEpoch = pythonFloat(time);
    if (timeEpoch === undefined) throw this.ctx.fault(offset, `bad frame.time_epoch ${JSON.stringify(shortened(time))}`);
    const len = cellAt(cells, cols[COL_LEN]);
    const frameLen = pythonInt(len);
    if (frameLen === undefined) throw this.ctx.fault(offset, `bad frame.len ${JSON.stringify(shortened(len))}`);
    // Python keeps such an int exact (and Kitsune-py's math.pow(v, 2) overflows on the largest); no
    // frame is that long, so the row is refused rather than rounded.
    if (!Number.isSafeInteger(frameLen)) throw this.ctx.fault(offset, `frame.len ${shortened(len.trim())} is too large`);
    f.timeEpoch = timeEpoch;
    f.frameLen = frameLen;
    for (let i = 0; i < STRING_PROPERTIES.length; i++) {
      f[STRING_PROPERTIES[i]] = cellAt(cells, cols[FIRST_STRING_COL + i]);
    }
    this.onFields(f, this.ctx.nextIndex++, this.ctx.file, offset);
  }
}

/** Cells quoted in messages: at most this many characters of them. */
const QUOTED_MAX = 24;

function shortened(text: string): string {
  return text.length > QUOTED_MAX ? `${text.slice(0, QUOTED_MAX)}... (${text.length} characters)` : text;
}

function cellAt(cells: string[], col: number): string {
  return col >= 0 && col < cells.length ? cells[col] : '';
}
