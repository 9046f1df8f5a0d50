import type { Writable } from 'node:stream';
import { createWriteStream } from 'node:fs';

/** Rows reach a live pipe within this time of being written (the issue asks for under a second). */
export const FLUSH_INTERVAL_MS = 200;
/** Buffered text is handed to the stream once it reaches this many characters. */
const FLUSH_SIZE = 1 << 16;

/**
 * Buffered text output to standard output or a file. Rows are batched (no write per line) and
 * flushed on size, on a timer (so a slow live capture still shows rows promptly) and at the end.
 * A reader that goes away (`kitsune score x.pcap | head`) closes the sink quietly: `closed` turns
 * true, `onClose` fires once, further writes are dropped and no error surfaces.
 */
export class OutputSink {
  closed = false;
  private parts: string[] = [];
  private size = 0;
  private readonly timer: NodeJS.Timeout;
  private closeListeners: (() => void)[] = [];

  private constructor(
    private readonly stream: Writable,
    private readonly ownsStream: boolean,
  ) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.markClosed();
      else this.failure ??= error;
    });
    this.timer = setInterval(() => this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** The first write error other than a closed pipe (for example a full disk), reported at the end. */
  failure: Error | undefined;

  static toStdout(): OutputSink {
    return OutputSink.toStream(process.stdout);
  }

  /** Any writable stream (not closed at the end). */
  static toStream(stream: Writable): OutputSink {
    return new OutputSink(stream, false);
  }

  static toFile(path: string): OutputSink {
    return new OutputSink(createWriteStream(path), true);
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  write(text: string): void {
    if (this.closed) return;
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_SIZE) this.flush();
  }

  flush(): void {
    if (this.size === 0 || this.closed) return;
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.size = 0;
    this.stream.write(text);
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
    if (this.failure) throw this.failure;
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.parts = [];
    this.size = 0;
    for (const listener of this.closeListeners) listener();
  }
}
