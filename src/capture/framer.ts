/**
 * Feeds a byte stream, in chunks of any size, to an incremental parser whose units (records, blocks)
 * may span chunk boundaries.
 *
 * Units lying wholly inside a chunk are parsed in place (records get subarray views of the chunk).
 * The bytes of a unit cut by a chunk boundary are copied into a carry buffer, topped up from the next
 * chunks until the parser's stated need is met, and parsed from there. Memory: the carry grows to the
 * largest unit seen, never to the stream.
 */

/** An incremental parser over a byte stream, driven by {@link Framer}. */
export interface UnitParser {
  /**
   * Consumes as many whole units of buf[pos, end) as it can (`offset` is the stream offset of buf[pos])
   * and returns the position after the last one. Before returning it sets `need`: how many bytes from
   * that position it requires to make progress, which must exceed the bytes left (end - returned pos).
   */
  parse(buf: Uint8Array, pos: number, end: number, offset: number): number;
  need: number;
  /** Called at the end of the stream with the bytes left unparsed; throws if that is a fault. */
  finish(leftover: number, offset: number): void;
}

/** Initial capacity of the carry buffer. */
const INITIAL_CARRY = 65536;

export class Framer {
  private carry = new Uint8Array(INITIAL_CARRY);
  private carryLen = 0;
  /** Stream offset of the first byte not yet consumed by the parser. */
  private offset = 0;

  constructor(private readonly parser: UnitParser) {}

  /** Parses one chunk; the chunk may be reused by the caller once this returns. */
  push(chunk: Uint8Array): void {
    let pos = 0;
    const end = chunk.length;
    const parser = this.parser;
    while (this.carryLen > 0) {
      const want = parser.need - this.carryLen;
      const take = Math.min(want, end - pos);
      this.append(chunk, pos, take);
      pos += take;
      if (take < want) return;
      const used = parser.parse(this.carry, 0, this.carryLen, this.offset);
      this.offset += used;
      this.carryLen -= used;
      if (this.carryLen > 0 && used > 0) this.carry.copyWithin(0, used, used + this.carryLen);
    }
    const stop = parser.parse(chunk, pos, end, this.offset);
    this.offset += stop - pos;
    if (stop < end) this.append(chunk, stop, end - stop);
  }

  /** Ends the stream: lets the parser judge what is left. */
  end(): void {
    this.parser.finish(this.carryLen, this.offset);
  }

  private append(src: Uint8Array, from: number, n: number): void {
    const needed = this.carryLen + n;
    if (needed > this.carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.carry.length * 2));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
    }
    this.carry.set(src.subarray(from, from + n), this.carryLen);
    this.carryLen = needed;
  }
}
