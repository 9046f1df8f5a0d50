import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readSources } from '../src/capture/reader.js';
import { pcapFile } from './helpers/capture-build.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const RECORD_BYTES = 1_000;
const RECORDS_PER_CHUNK = 16;
const CHUNKS = 64;
/** The chunk being parsed last may still be referenced; keeping every chunk would leave all 64. */
const MAX_ALIVE = 2;
const PCAP_HEADER_BYTES = 24;

describe('capture reader memory', () => {
  it('does not keep the chunks it has parsed (reading with an abort signal)', async () => {
    const file = pcapFile(
      {},
      Array.from({ length: RECORDS_PER_CHUNK }, (_, i) => ({ sec: i, fraction: 0, data: new Uint8Array(RECORD_BYTES) })),
    );
    const header = file.subarray(0, PCAP_HEADER_BYTES);
    const records = file.subarray(PCAP_HEADER_BYTES);
    // Weak references to every chunk handed to the reader (a process-wide memory figure would also
    // count what other tests allocate meanwhile).
    const handedOut: WeakRef<Uint8Array>[] = [];
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield header.slice();
      for (let c = 0; c < CHUNKS; c++) {
        // A fresh copy each time, as a file read would allocate.
        const chunk = records.slice();
        handedOut.push(new WeakRef(chunk));
        yield chunk;
      }
    }
    let seen = 0;
    const controller = new AbortController();
    await readSources(
      [{ name: 'synthetic.pcap', source: chunks() }],
      {
        onRecord: () => {
          seen++;
        },
        onFields: () => undefined,
      },
      { signal: controller.signal },
    );
    // WeakRef targets survive until the current job ends: collect in a later task.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(seen).toBe(RECORDS_PER_CHUNK * CHUNKS);
    expect(handedOut.filter((ref) => ref.deref() !== undefined).length).toBeLessThanOrEqual(MAX_ALIVE);
    // The controller stays referenced until here, as a command's would for the whole run.
    expect(controller.signal.aborted).toBe(false);
  });
});
