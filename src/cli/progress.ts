import { groupDigits } from './terminal.js';

/** The bar is redrawn at most this often. */
const REDRAW_INTERVAL_MS = 250;
const BAR_WIDTH = 30;

/**
 * A progress bar on a terminal's stderr: share of input bytes read, packets/s and ETA. Only for
 * file inputs (sizes known), only when stderr is a TTY: never in pipes or CI logs.
 */
export class Progress {
  private bytes = 0;
  private lastDraw = 0;
  private readonly started = performance.now();

  private constructor(
    private readonly totalBytes: number,
    private readonly limit: number,
  ) {}

  /** For the inputs' total size; with a packet limit, the share done is the larger of bytes and packets. */
  static forFiles(inputs: readonly string[], size: (path: string) => number | undefined, limit = Infinity): Progress | undefined {
    let total = 0;
    for (const input of inputs) {
      const bytes = size(input);
      if (bytes === undefined) return undefined;
      total += bytes;
    }
    return total > 0 ? new Progress(total, limit) : undefined;
  }

  advance(bytes: number, packets: number): void {
    this.bytes = Math.min(this.totalBytes, this.bytes + bytes);
    const now = performance.now();
    if (now - this.lastDraw < REDRAW_INTERVAL_MS) return;
    this.lastDraw = now;
    const share = Math.max(this.bytes / this.totalBytes, packets / this.limit);
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? packets / seconds : 0;
    const eta = share > 0 ? (seconds * (1 - share)) / share : 0;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}`;
    process.stderr.write(
      `\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${groupDigits(packets)} packets  ` +
        `${groupDigits(rate)} packets/s  ETA ${eta.toFixed(0)}s\x1b[K`,
    );
  }

  clear(): void {
    if (this.lastDraw > 0) process.stderr.write('\r\x1b[K');
  }
}
