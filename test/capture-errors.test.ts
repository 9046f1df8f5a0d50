import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseBuffers, readInputs, readSources } from '../src/capture/reader.js';
import { InputError } from '../src/errors.js';
import { block, bytes, concat, epb, idb, parseAll, pcapFile, shb, tsresol } from './helpers/capture-build.js';

const only = (data: Uint8Array, chunkSize?: number) => parseAll([{ name: 'f', bytes: data }], chunkSize);

function expectFault(r: { records: unknown[]; error: unknown }, records: number, offset: number, packet = records): void {
  expect(r.records.length).toBe(records);
  expect(r.error).toBeInstanceOf(InputError);
  expect(r.error).toMatchObject({ file: 'f', offset, packet });
}

describe('truncated files: every complete record, then an InputError at the cut record', () => {
  it('classic pcap cut at every offset', () => {
    const file = pcapFile({}, [
      { sec: 1, fraction: 0, data: bytes(30) },
      { sec: 2, fraction: 0, data: bytes(1) },
      { sec: 3, fraction: 0, data: bytes(50) },
    ]);
    // Records start at 24, 24+16+30 = 70, 70+16+1 = 87; the file ends at 87+16+50 = 153.
    const starts = [24, 70, 87, 153];
    for (let n = 0; n <= file.length; n++) {
      const r = only(file.subarray(0, n), 5);
      const complete = starts.filter((s, i) => i > 0 && s <= n).length;
      if (starts.includes(n)) {
        // Ending between records is a complete (shorter) file.
        expect(r).toMatchObject({ error: null });
        expect(r.records.length).toBe(complete);
      } else {
        // Cut inside the 24-byte header (or the 4-byte magic): offset 0; else the cut record's start.
        expectFault(r, complete, n < 24 ? 0 : starts[complete]);
      }
    }
    expect(only(file).error).toBeNull();
  });

  it('pcapng cut at every offset (a file may end at any block boundary)', () => {
    const blocks = [shb(true), idb(true, 1, 0), epb(true, 0, 1n, bytes(9)), epb(true, 0, 2n, bytes(17))];
    const file = concat(...blocks);
    const starts: number[] = [];
    let at = 0;
    for (const b of blocks) {
      starts.push(at);
      at += b.length;
    }
    for (let n = 1; n < file.length; n++) {
      const r = only(file.subarray(0, n), 3);
      const packets = [2, 3].filter((i) => starts[i] + blocks[i].length <= n).length;
      if (starts.includes(n) && n >= blocks[0].length) {
        expect(r).toMatchObject({ error: null });
        expect(r.records.length).toBe(packets);
      } else {
        const cut = n < 4 ? 0 : Math.max(...starts.filter((s) => s <= n));
        expectFault(r, packets, cut);
      }
    }
  });

  it('an empty input is an InputError', () => {
    expectFault(only(new Uint8Array(0)), 0, 0);
  });
});

describe('bad records and blocks', () => {
  it('caplen 262145 is an error at its record, after the records before it', () => {
    const file = pcapFile({}, [
      { sec: 1, fraction: 0, data: bytes(10) },
      { sec: 2, fraction: 0, data: bytes(262145) },
    ]);
    const r = only(file);
    expectFault(r, 1, 24 + 16 + 10);
    expect((r.error as Error).message).toContain('262145');
  });

  it('unknown magic is an error at offset 0', () => {
    expectFault(only(Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4)), 0, 0);
  });

  it('text without a frame.time_epoch column is not tshark TSV', () => {
    expectFault(only(new TextEncoder().encode('hello\tworld\n1\t2\n')), 0, 0);
  });

  it('unsupported pcap version 1.x', () => {
    expectFault(only(pcapFile({ versionMajor: 1 }, [])), 0, 0);
  });

  describe('corrupt pcapng blocks: error at the block offset, packets before it delivered', () => {
    const head = concat(shb(true), idb(true, 1, 0), epb(true, 0, 1n, bytes(8)));
    const withLength = (type: number, total: number, body: Uint8Array) => {
      const out = new Uint8Array(8 + body.length);
      const view = new DataView(out.buffer);
      view.setUint32(0, type, true);
      view.setUint32(4, total, true);
      out.set(body, 8);
      return out;
    };
    const cases: [string, Uint8Array][] = [
      ['block length < 12', withLength(6, 8, new Uint8Array(32))],
      ['block length not a multiple of 4', withLength(0x0bad, 14, new Uint8Array(32))],
      ['trailing length mismatch', block(true, 0x0bad, bytes(8), 999)],
      ['block length beyond the limit', withLength(6, 0x7ffffffc, new Uint8Array(32))],
      ['EPB naming a missing interface', epb(true, 5, 1n, bytes(4))],
      ['EPB caplen larger than its block', (() => {
        const b = epb(true, 0, 1n, bytes(4));
        new DataView(b.buffer).setUint32(8 + 12, 400, true);
        return b;
      })()],
      ['EPB caplen over 262144', (() => {
        const b = epb(true, 0, 1n, bytes(4));
        new DataView(b.buffer).setUint32(8 + 12, 262145, true);
        return b;
      })()],
      ['SHB with a bad byte-order magic', (() => {
        const b = shb(true);
        b[8] = 0;
        return b;
      })()],
      ['SHB version 2', shb(true, 2)],
      ['IDB with if_tsresol 10^-20', idb(true, 1, 0, [tsresol(20)])],
      ['IDB option overrunning the block', (() => {
        const b = idb(true, 1, 0, [tsresol(6)]);
        new DataView(b.buffer).setUint16(16 + 2, 200, true);
        return b;
      })()],
    ];
    for (const [name, bad] of cases) {
      it(name, () => {
        const file = concat(head, bad, epb(true, 0, 2n, bytes(8)));
        expectFault(only(file), 1, head.length);
        expectFault(only(file, 7), 1, head.length);
      });
    }

    describe('a packet block over 1 MiB (streamed, not buffered whole) delivers its packet only once its trailer is read', () => {
      // 2 MiB of options after 8 bytes of packet data: the reader takes the data, then skips the rest.
      const big = epb(true, 0, 2n, bytes(8), 8, [{ code: 2988, value: new Uint8Array(2 * 1024 * 1024) }]);
      const tail = epb(true, 0, 3n, bytes(8));
      it('whole: all three packets', () => {
        const r = only(concat(head, big, tail), 64 * 1024);
        expect(r).toMatchObject({ error: null });
        expect(r.records.length).toBe(3);
      });
      it('cut short by the end of the file (as wiretap, which reads a block whole): no packet from it', () => {
        const file = concat(head, big).subarray(0, head.length + 1024 * 1024);
        expectFault(only(file, 64 * 1024), 1, head.length);
      });
      it('with a mismatched trailing length: no packet from it', () => {
        const bad = big.slice();
        new DataView(bad.buffer).setUint32(bad.length - 4, 12, true);
        expectFault(only(concat(head, bad, tail), 64 * 1024), 1, head.length);
      });
    });

    it('a first block that is not an SHB is not pcapng at all', () => {
      expectFault(only(idb(true, 1, 0)), 0, 0);
    });
  });
});

describe('files', () => {
  it('a missing file is an InputError carrying the packet count so far', async () => {
    const err = await readInputs(['/nonexistent/kitsune-capture.pcap'], { onRecord: () => undefined, onFields: () => undefined }).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err).toMatchObject({ file: '/nonexistent/kitsune-capture.pcap', offset: 0, packet: 0 });
  });

  it('errors thrown by a handler pass through unchanged', async () => {
    const boom = new Error('boom');
    const file = pcapFile({}, [{ sec: 1, fraction: 0, data: bytes(4) }]);
    const throwing = {
      onRecord: () => {
        throw boom;
      },
      onFields: () => undefined,
    };
    expect(() => parseBuffers([{ name: 'f', bytes: file }], throwing)).toThrow(boom);
    await expect(readSources([{ name: 'f', source: file }], throwing)).rejects.toBe(boom);
  });

  it('a corrupt gzip stream is an InputError', () => {
    const gz = gzipSync(pcapFile({}, [{ sec: 1, fraction: 0, data: bytes(4) }]));
    gz[gz.length - 12] ^= 0xff; // corrupt the deflate data / checksum
    const r = only(gz);
    expect(r.error).toBeInstanceOf(InputError);
  });
});
