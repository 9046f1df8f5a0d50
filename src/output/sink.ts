import type { Writable } from 'node:stream';
import { createWriteStream, openSync } from 'node:fs';
import { OutputError } from '../errors.js';

/** Rows reach a live pipe within this time of being written (the issue asks for under a second). */
export const FLUSH_INTERVAL_MS = 200;
/** Buffered output is handed to the stream in chunks of this many bytes. */
export const SINK_CHUNK_BYTES = 1 << 16;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
const MAX_UTF8_PER_UNIT = 3;

/**
 * Buffered text output to standard output or a file. Rows are batched (no write per line) into a
 * byte chunk and flushed when it is full, on a timer (so a slow live capture still shows rows
 * promptly) and at the end. Writers of many small rows may encode straight into the chunk:
 * `reserve(n)`, write bytes at `bytes[position]`, then advance `position` (output/table.ts).
 * A reader that goes away (`kitsune score x.pcap | head`) closes the sink quietly: `closed` turns
 * true, `onClose` fires once, further writes are dropped and no error surfaces. Any other write
 * error (a full disk) closes it too, so that reading stops, and `end` throws it as an OutputError.
 */
export class OutputSink {
  closed = false;
  /** The chunk being filled, and where the next byte goes. */
  bytes: Buffer = Buffer.allocUnsafe(SINK_CHUNK_BYTES);
  position = 0;
  private readonly timer: NodeJS.Timeout;
  private closeListeners: (() => void)[] = [];

  private constructor(
    private readonly stream: Writable,
    private readonly ownsStream: boolean,
    private readonly target: string,
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') this.failure ??= new OutputError(this.target, error);
      this.markClosed();
    });
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** The first write error other than a closed pipe (for example a full disk), reported at the end. */
  failure: Error | undefined;

  static toStdout(): OutputSink {
    return OutputSink.toStream(process.stdout, 'standard output');
  }

  /** Any writable stream (not closed at the end). */
  static toStream(stream: Writable, name = 'output'): OutputSink {
    return new OutputSink(stream, false, name);
  }

  /** A file, opened (created or truncated) at once: a path that cannot be written fails before any work. */
  static toFile(path: string): OutputSink {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (error) {
      throw new OutputError(path, error);
    }
    return new OutputSink(createWriteStream(path, { fd }), true, path);
  }

  /** Whether the output is a terminal (rows shown as they come: no progress bar beside them). */
  get isTerminal(): boolean {
    return (this.stream as Partial<NodeJS.WriteStream>).isTTY === true;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  write(text: string): void {
    if (this.closed) return;
    const worst = text.length * MAX_UTF8_PER_UNIT;
    if (worst > SINK_CHUNK_BYTES - this.position) {
      this.flush();
      if (worst > SINK_CHUNK_BYTES) {
        this.stream.write(text);
        return;
      }
    }
    this.position += this.bytes.write(text, this.position);
  }

  /**
   * Makes room for `count` bytes (at most SINK_CHUNK_BYTES) at bytes[position], flushing the chunk
   * if it is too full. Bytes written after a close are dropped at the next flush.
   */
  reserve(count: number): void {
    if (count > SINK_CHUNK_BYTES - this.position) this.flush();
  }

  flush(): void {
    if (this.position === 0) return;
    if (this.closed) {
      this.position = 0;
      return;
    }
    // The stream keeps the chunk until written: the next rows go to a new one.
    const chunk = this.bytes.subarray(0, this.position);
    this.bytes = Buffer.allocUnsafe(SINK_CHUNK_BYTES);
    this.position = 0;
    this.stream.write(chunk);
  }

  /** Flushes and waits until the stream has room again: the capture reader calls it between chunks. */
  async drain(): Promise<void> {
    this.flush();
    // Asked of the stream itself: a 'drain' that came after a timer's flush must not be waited for again.
    if (!this.stream.writableNeedDrain || this.closed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('close', done);
    });
  }

  /** Flushes everything and, for a file, closes it. */
  async end(): Promise<void> {
    clearInterval(this.timer);
    this.flush();
    if (this.ownsStream) {
      await new Promise<void>((resolve) => this.stream.end(resolve));
    } else if (!this.closed && this.stream.writableLength > 0) {
      await new Promise<void>((resolve) => {
        this.stream.once('drain', resolve);
        this.stream.once('close', resolve);
        this.stream.once('error', () => resolve());
      });
    }
    // A failed write reports its error on a later tick, synchronous file streams (stdout to a file) too.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.failure) throw this.failure;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.position = 0;
    for (const listener of this.closeListeners) listener();
  }
}
