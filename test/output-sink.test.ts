import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { OutputSink } from '../src/output/sink.js';

/** A stream that takes one write at a time and completes it on the next turn of the event loop. */
function slowStream(received: string[]): Writable {
  return new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk.toString());
      setImmediate(callback);
    },
  });
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('OutputSink', () => {
  it('does not wait for a drain that already happened (a timer flush filled the stream earlier)', async () => {
    const received: string[] = [];
    const sink = OutputSink.toStream(slowStream(received));
    sink.write('row 1\n');
    sink.flush();
    // The stream drains (emitting 'drain') before anyone asks the sink to drain.
    await nextTurn();
    await nextTurn();
    sink.write('row 2\n');
    const drained = await Promise.race([sink.drain().then(() => 'drained'), new Promise((r) => setTimeout(() => r('hung'), 1000))]);
    expect(drained).toBe('drained');
    await sink.end();
    expect(received.join('')).toBe('row 1\nrow 2\n');
  });

  it('waits while the stream is full, then goes on', async () => {
    const received: string[] = [];
    const sink = OutputSink.toStream(slowStream(received));
    sink.write('a\n');
    await sink.drain();
    sink.write('b\n');
    await sink.end();
    expect(received.join('')).toBe('a\nb\n');
  });
});
