import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { readSources } from '../src/capture/reader.js';
import { pcapFile } from './helpers/capture-build.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** One chunk: RECORDS_PER_CHUNK records of RECORD_BYTES bytes (about 1 MiB); CHUNKS of them. */
const RECORD_BYTES = 65_000;
const RECORDS_PER_CHUNK = 16;
const CHUNKS = 64;
const MiB = 1024 * 1024;
/** Far below the ~64 MiB that keeping every chunk would hold. */
const MAX_GROWTH_MiB = 16;
const PCAP_HEADER_BYTES = 24;

describe('capture reader memory', () => {
  it('does not keep the chunks it has parsed (reading with an abort signal)', async () => {
    const file = pcapFile(
      {},
      Array.from({ length: RECORDS_PER_CHUNK }, (_, i) => ({ sec: i, fraction: 0, data: new Uint8Array(RECORD_BYTES) })),
    );
    const header = file.subarray(0, PCAP_HEADER_BYTES);
    const records = file.subarray(PCAP_HEADER_BYTES);
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield header.slice();
      // A fresh copy each time, as a file read would allocate.
      for (let c = 0; c < CHUNKS; c++) yield records.slice();
    }
    let seen = 0;
    let baseline = 0;
    let growth = 0;
    const controller = new AbortController();
    await readSources(
      [{ name: 'synthetic.pcap', source: chunks() }],
      {
        onRecord: () => {
          seen++;
        },
        onFields: () => undefined,
        afterChunk: () => {
          if (seen === RECORDS_PER_CHUNK) {
            gc();
            baseline = process.memoryUsage().arrayBuffers;
          } else if (seen === RECORDS_PER_CHUNK * CHUNKS) {
            gc();
            growth = (process.memoryUsage().arrayBuffers - baseline) / MiB;
          }
        },
      },
      { signal: controller.signal },
    );
    expect(seen).toBe(RECORDS_PER_CHUNK * CHUNKS);
    expect(growth).toBeLessThan(MAX_GROWTH_MiB);
  });
});
