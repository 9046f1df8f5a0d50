import { statSync } from 'node:fs';
import type { PacketFields } from '../decode/fields.js';
import { readPackets } from '../decode/stream.js';
import type { OutputSink } from '../output/sink.js';
import { stopOnSignals, type CliContext } from './common.js';
import { Progress } from './progress.js';

/** Bytes a capture reader consumes between two `afterChunk` calls (its default chunk size). */
const READ_CHUNK_BYTES = 1 << 20;

export interface PacketLoopOptions {
  limit?: number;
  /** Show a progress bar on a terminal's stderr (file inputs only; not beside rows printed on the terminal). */
  progress?: boolean;
  /** Called between input chunks, before the output is drained. */
  afterChunk?: () => void;
}

/**
 * The loop every command shares: reads the inputs as one packet stream and hands each packet to
 * `onPacket`, synchronously. Between chunks it waits for the output to drain, so memory stays
 * bounded; it stops early on --limit, on SIGINT/SIGTERM and when the reader of the output goes
 * away. Bad input rejects with InputError after every packet before the fault was handed over.
 */
export async function forEachPacket(
  inputs: readonly string[],
  context: CliContext,
  sink: OutputSink,
  options: PacketLoopOptions,
  onPacket: (packet: PacketFields) => void,
): Promise<number> {
  const controller = new AbortController();
  const removeSignalHandlers = stopOnSignals(controller, context);
  sink.onClose(() => controller.abort());
  const limit = options.limit ?? Infinity;
  // Never in CI logs, even when a CI runner gives the job a terminal.
  const showProgress = options.progress && context.stderrIsTTY && !process.env.CI;
  const progress = showProgress ? Progress.forFiles(inputs, statSize, limit) : undefined;
  let seen = 0;
  if (limit === 0) return 0;
  try {
    await readPackets(
      [...inputs],
      (packet) => {
        if (seen >= limit) return;
        onPacket(packet);
        seen++;
        if (seen >= limit) controller.abort();
      },
      {
        signal: controller.signal,
        afterChunk: () => {
          options.afterChunk?.();
          progress?.advance(READ_CHUNK_BYTES, seen);
          return sink.drain();
        },
      },
    );
  } finally {
    progress?.clear();
    removeSignalHandlers();
  }
  return seen;
}

function statSize(path: string): number | undefined {
  if (path === '-') return undefined;
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}
