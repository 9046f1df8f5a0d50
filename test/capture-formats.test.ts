import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readInputs, readSources } from '../src/capture/reader.js';
import {
  type Snapshot,
  bytes,
  comment,
  concat,
  epb,
  idb,
  parseAll,
  pb,
  pcapFile,
  shb,
  snapshot,
  spb,
  tsoffset,
  tsresol,
  block,
} from './helpers/capture-build.js';
import { CAPTURES, describeShared } from './helpers/shared.js';

const only = (bytes: Uint8Array, chunkSize?: number) => parseAll([{ name: 'mem', bytes }], chunkSize);
const pick = (records: Snapshot[], keys: (keyof Snapshot)[]) =>
  records.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]])));

const RECORDS = [
  { sec: 1700000000, fraction: 123456, data: bytes(60) },
  { sec: 1700000001, fraction: 999999, data: bytes(1, 7), wireLen: 1514 },
  { sec: 1700000002, fraction: 0, data: bytes(0) },
];

describe('classic pcap', () => {
  it('reads microsecond and nanosecond magic in both byte orders alike', () => {
    const expected = [
      { sec: 1700000000, frac: 123456000, caplen: 60, wireLen: 60, offset: 24, index: 0 },
      { sec: 1700000001, frac: 999999000, caplen: 1, wireLen: 1514, offset: 24 + 16 + 60, index: 1 },
      { sec: 1700000002, frac: 0, caplen: 0, wireLen: 0, offset: 24 + 16 + 60 + 16 + 1, index: 2 },
    ];
    for (const le of [true, false]) {
      const usec = only(pcapFile({ le }, RECORDS));
      expect(usec.error).toBeNull();
      expect(pick(usec.records, ['sec', 'frac', 'caplen', 'wireLen', 'offset', 'index'])).toEqual(expected);
      expect(usec.records[1].data).toEqual([7]);
      // Nanosecond files carry the fraction in ns directly.
      const ns = only(pcapFile({ le, nanosecond: true }, RECORDS.map((r) => ({ ...r, fraction: r.fraction * 1000 }))));
      expect(ns.records).toEqual(usec.records);
    }
  });

  it("reads Kuznetsov's modified pcap (magic a1b2cd34, 8 more bytes per record header) in both byte orders", () => {
    const EXTRA = 8;
    for (const le of [true, false]) {
      const plain = pcapFile({ le }, RECORDS);
      const parts: Uint8Array[] = [plain.subarray(0, 24)];
      let pos = 24;
      for (const r of RECORDS) {
        parts.push(plain.subarray(pos, pos + 16), new Uint8Array(EXTRA).fill(0xee), plain.subarray(pos + 16, pos + 16 + r.data.length));
        pos += 16 + r.data.length;
      }
      const modified = concat(...parts);
      modified.set(le ? [0x34, 0xcd, 0xb2, 0xa1] : [0xa1, 0xb2, 0xcd, 0x34], 0);
      const got = only(modified);
      expect(got.error).toBeNull();
      const want = only(plain).records.map((r, i) => ({ ...r, offset: 24 + i * EXTRA + (r.offset - 24) }));
      expect(got.records).toEqual(want);
    }
  });

  it("takes off a link type's pseudo-header, as wiretap does (frame.len excludes it); a record shorter is a fault", () => {
    const records = [{ sec: 1, fraction: 0, data: bytes(60, 0x21) }];
    const got = only(pcapFile({ network: 204 }, records)); // PPP_WITH_DIR: a 1-byte direction
    expect(pick(got.records, ['caplen', 'wireLen'])).toEqual([{ caplen: 59, wireLen: 59 }]);
    expect(got.records[0].data).toEqual(Array.from(bytes(59, 0x22)));
    expect(only(pcapFile({ network: 123 }, records)).records[0].caplen).toBe(56); // SUNATM: 4 bytes
    expect(only(pcapFile({ network: 245 }, records)).records[0].caplen).toBe(58); // NFC LLCP: 2 bytes
    const short = only(pcapFile({ network: 204 }, [...records, { sec: 2, fraction: 0, data: bytes(0) }]));
    expect(short.records).toHaveLength(1);
    expect((short.error as Error).message).toMatch(/packet 1: a 0-byte record of link type 204 is too short for its 1-byte pseudo-header/);
  });

  it('keeps the low 16 bits of the link type (FCS flags above)', () => {
    expect(only(pcapFile({ network: 0x30000001 }, RECORDS)).records[0].linkType).toBe(1);
    expect(only(pcapFile({ network: 113 }, RECORDS)).records[0].linkType).toBe(113);
  });

  it('swaps caplen and len back for versions before 2.3, and for 2.3 when caplen > len', () => {
    const rec = [{ sec: 1, fraction: 0, data: bytes(40), wireLen: 1000 }];
    for (const minor of [0, 1, 2]) {
      const r = only(pcapFile({ versionMinor: minor, swapLengths: true }, rec)).records;
      expect(pick(r, ['caplen', 'wireLen'])).toEqual([{ caplen: 40, wireLen: 1000 }]);
    }
    // 2.3: fields (1000, 40) read as caplen 1000 > len 40 -> swapped; (40, 1000) kept.
    expect(pick(only(pcapFile({ versionMinor: 3, swapLengths: true }, rec)).records, ['caplen', 'wireLen'])).toEqual([
      { caplen: 40, wireLen: 1000 },
    ]);
    expect(pick(only(pcapFile({ versionMinor: 3 }, rec)).records, ['caplen', 'wireLen'])).toEqual([
      { caplen: 40, wireLen: 1000 },
    ]);
  });

  it('reads a record longer than the snapshot length, and caplen 262144', () => {
    const r = only(pcapFile({ snaplen: 16 }, [{ sec: 1, fraction: 0, data: bytes(100) }, { sec: 2, fraction: 0, data: bytes(262144) }]));
    expect(r.error).toBeNull();
    expect(r.records.map((x) => x.caplen)).toEqual([100, 262144]);
  });

  it('does not normalise fractions: usec * 1000 wraps in 32 bits, ns fields are signed 32-bit', () => {
    // usec 4294968: 4294968000 mod 2^32 = 704. ns 0xffffffff as C int = -1.
    const usec = only(pcapFile({}, [{ sec: 5, fraction: 4294968, data: bytes(1) }])).records[0];
    expect([usec.sec, usec.frac]).toEqual([5, 704]);
    const ns = only(pcapFile({ nanosecond: true }, [{ sec: 0xffffffff, fraction: 0xffffffff, data: bytes(1) }])).records[0];
    // Seconds are the unsigned 32-bit field.
    expect([ns.sec, ns.frac]).toEqual([4294967295, -1]);
  });

  it('gives data views of exactly caplen bytes', () => {
    const r = only(pcapFile({}, [{ sec: 1, fraction: 0, data: bytes(5, 200) }])).records[0];
    expect(r.data).toEqual([200, 201, 202, 203, 204]);
  });
});

describe('pcapng', () => {
  const LE = true;

  it('converts timestamps per interface resolution as wiretap does', () => {
    const ifaces = [
      idb(LE, 1, 0), // default 10^-6
      idb(LE, 1, 0, [tsresol(3)]),
      idb(LE, 1, 0, [tsresol(9)]),
      idb(LE, 1, 0, [tsresol(12)]),
      idb(LE, 1, 0, [tsresol(0x80 | 10)]),
      idb(LE, 1, 0, [tsresol(0x80 | 30)]),
      idb(LE, 1, 0, [tsresol(0x80 | 40)]),
      idb(LE, 1, 0, [tsoffset(LE, 1000n)]),
      idb(LE, 1, 0, [tsoffset(LE, -5n), tsresol(6)]),
    ];
    const d = bytes(4);
    const file = concat(
      shb(LE),
      ...ifaces,
      epb(LE, 0, 1_700_000_000_250_000n, d), // us: 1700000000 s + 250000 us
      epb(LE, 1, 1_500_123n, d), // ms: 1500 s + 123 ms
      epb(LE, 2, 1_500_000_000_123_456_789n, d), // ns: high word > 2^21, exact 64-bit path
      epb(LE, 3, 1_234_567_890_123_456_789n, d), // ps: 1234567 s, 890123456789 ps -> 890123456 ns (truncated)
      epb(LE, 4, 5n * 1024n + 512n, d), // 2^-10: 5 s + 512/1024 s
      epb(LE, 5, 3n * 2n ** 30n + 2n ** 29n + 1n, d), // 2^-30: floor((2^29+1) * 1e9 / 2^30) = 500000000
      epb(LE, 6, 7n * 2n ** 40n + 2n ** 39n + 3n, d), // 2^-40: floor((2^39+3) * 1e9 / 2^40) = 500000000
      epb(LE, 7, 2_000_000n, d), // 2 s + offset 1000 s
      epb(LE, 8, 1_000_000n, d), // 1 s + offset -5 s
    );
    const r = only(file);
    expect(r.error).toBeNull();
    expect(r.records.map((x) => [x.sec, x.frac])).toEqual([
      [1700000000, 250000000],
      [1500, 123000000],
      [1500000000, 123456789],
      [1234567, 890123456],
      [5, 500000000],
      [3, 500000000],
      [7, 500000000],
      [1002, 0],
      [-4, 0],
    ]);
  });

  it('handles several sections (interfaces reset, byte order per section), PB, SPB and skipped blocks', () => {
    const d = bytes(10, 50);
    const file = concat(
      shb(true),
      idb(true, 1, 0),
      idb(true, 113, 0),
      block(true, 4, new Uint8Array(4)), // NRB (end-of-records only)
      epb(true, 1, 1_000_000n, d, 100, [comment('hello')]),
      pb(true, 0, 2_000_000n, d),
      block(true, 5, new Uint8Array(16)), // ISB
      block(true, 0x0bad, bytes(9)), // custom block
      block(true, 0x0a, bytes(8)), // DSB
      shb(false),
      idb(false, 101, 6), // snaplen 6
      spb(false, 60, bytes(60)), // caplen = min(60, snaplen 6) = 6
      epb(false, 0, 3_000_000n, d),
    );
    const r = only(file);
    expect(r.error).toBeNull();
    expect(pick(r.records, ['linkType', 'sec', 'hasTime', 'caplen', 'wireLen', 'index'])).toEqual([
      { linkType: 113, sec: 1, hasTime: true, caplen: 10, wireLen: 100, index: 0 },
      { linkType: 1, sec: 2, hasTime: true, caplen: 10, wireLen: 10, index: 1 },
      { linkType: 101, sec: 0, hasTime: false, caplen: 6, wireLen: 60, index: 2 },
      { linkType: 101, sec: 3, hasTime: true, caplen: 10, wireLen: 10, index: 3 },
    ]);
    expect(r.records[0].data).toEqual(Array.from(d));
    expect(r.records[2].data).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('SPB captured length is limited by the room in the block when snaplen is 0', () => {
    const file = concat(shb(true), idb(true, 1, 0), spb(true, 1500, bytes(40)));
    const r = only(file);
    expect(pick(r.records, ['caplen', 'wireLen'])).toEqual([{ caplen: 40, wireLen: 1500 }]);
  });

  it('record offsets are block offsets', () => {
    const head = concat(shb(true), idb(true, 1, 0));
    const first = epb(true, 0, 0n, bytes(3));
    const r = only(concat(head, first, epb(true, 0, 0n, bytes(3))));
    expect(r.records.map((x) => x.offset)).toEqual([head.length, head.length + first.length]);
  });

  it('streams blocks over 1 MiB: huge options and huge skipped blocks, at any chunk size', () => {
    const big = 'x'.repeat(1_500_000);
    const file = concat(
      shb(true),
      idb(true, 1, 0),
      epb(true, 0, 1_000_000n, bytes(20), 20, [comment(big)]),
      block(true, 0x0bad, new Uint8Array(1_200_000)),
      epb(true, 0, 2_000_000n, bytes(5)),
    );
    const whole = only(file);
    expect(whole.error).toBeNull();
    expect(whole.records.map((x) => [x.sec, x.caplen])).toEqual([
      [1, 20],
      [2, 5],
    ]);
    for (const size of [7, 4096, 65536]) expect(only(file, size)).toEqual(whole);
  });

  it('an empty pcapng (SHB only) has no packets', () => {
    expect(only(shb(true))).toEqual({ records: [], error: null });
  });
});

describe('chunk boundaries', () => {
  const synthetic = {
    pcap: pcapFile({}, RECORDS),
    'pcap big-endian ns': pcapFile({ le: false, nanosecond: true }, RECORDS),
    pcapng: concat(shb(false), idb(false, 1, 0, [tsresol(9)]), epb(false, 0, 5n, bytes(33)), spb(false, 3, bytes(3)), epb(false, 0, 7n, bytes(1))),
  };
  for (const [name, file] of Object.entries(synthetic)) {
    it(`${name}: chunk sizes 1, 7, 64, 4096 give identical records`, () => {
      const whole = only(file);
      expect(whole.records.length).toBeGreaterThan(0);
      for (const size of [1, 7, 64, 4096]) expect(only(file, size)).toEqual(whole);
    });
  }
});

describeShared('chunk boundaries on real captures', () => {
  for (const file of ['arp_poison_mitm.pcapng', 'honeynet_attack_trace.pcap', 'torture/pcapng_11if_mixed_tsresol_ldap.pcapng']) {
    it(file, async () => {
      const data = readFileSync(path.join(CAPTURES, file));
      const whole = only(data);
      expect(whole.error).toBeNull();
      for (const size of [1, 7, 64, 4096]) expect(only(data, size)).toEqual(whole);
      // The file path through readInputs (async chunks) agrees too.
      const viaFile: Snapshot[] = [];
      await readInputs([path.join(CAPTURES, file)], { onRecord: (r) => viaFile.push(snapshot(r)), onFields: () => undefined }, { chunkSize: 7 });
      expect(viaFile.map((r) => ({ ...r, file: 'mem' }))).toEqual(whole.records);
    });
  }
});

async function collect(sources: { name: string; source: Uint8Array | AsyncIterable<Uint8Array> }[], chunkSize?: number) {
  const records: Snapshot[] = [];
  let error: unknown = null;
  try {
    await readSources(sources, { onRecord: (r) => records.push(snapshot(r)), onFields: () => undefined }, { chunkSize });
  } catch (e) {
    error = e;
  }
  return { records, error };
}

describe('compression, detected from magic bytes', () => {
  const plain = concat(shb(true), idb(true, 1, 0), epb(true, 0, 1n, bytes(300)), epb(true, 0, 2n, bytes(70)));

  it('gzip gives the same records as the plain bytes, streaming and in memory', async () => {
    const gz = gzipSync(plain);
    const expected = only(plain);
    expect(await collect([{ name: 'mem', source: gz }], 13)).toEqual(expected);
    expect(only(gz)).toEqual(expected);
  });

  it('gzip cut short: records before the cut, then an InputError naming the decompressed stream', async () => {
    const gz = gzipSync(plain);
    const r = await collect([{ name: 'mem', source: gz.subarray(0, gz.length - 30) }], 64);
    expect(r.error).toMatchObject({ name: 'InputError', file: 'mem' });
    expect((r.error as Error).message).toContain('decompressed');
  });
});

describe('a long gzip stream', () => {
  it('waits on the decompressor without leaving a listener behind per wait (no MaxListenersExceededWarning)', async () => {
    // 24 MB of records that deflate poorly (pseudo-random bytes), fed in 64 KiB pieces: the parser
    // keeps the decompressor's output queue full, so most writes wait for 'drain'.
    const count = 1600;
    const size = 15_000;
    const noise = new Uint8Array(count * size);
    let state = 12345;
    for (let i = 0; i < noise.length; i++) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      noise[i] = state >>> 24;
    }
    const records = Array.from({ length: count }, (_, i) => ({ sec: i, fraction: 0, data: noise.subarray(i * size, (i + 1) * size) }));
    const gz = gzipSync(pcapFile({}, records), { level: 1 });
    async function* pieces() {
      for (let at = 0; at < gz.length; at += 65536) yield gz.subarray(at, at + 65536);
    }
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const r = await collect([{ name: 'big.pcap.gz', source: pieces() }]);
      expect(r.error).toBeNull();
      expect(r.records.length).toBe(records.length);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).toEqual([]);
  });
});

describe('several inputs and standard input', () => {
  it('several inputs are one stream: indices continue, each record names its file', async () => {
    const a = pcapFile({}, RECORDS);
    const b = concat(shb(true), idb(true, 1, 0), epb(true, 0, 9_000_000n, bytes(4)));
    const r = await collect([
      { name: 'a.pcap', source: a },
      { name: 'b.pcapng', source: b },
    ]);
    expect(r.error).toBeNull();
    expect(r.records.map((x) => [x.index, x.file, x.sec])).toEqual([
      [0, 'a.pcap', 1700000000],
      [1, 'a.pcap', 1700000001],
      [2, 'a.pcap', 1700000002],
      [3, 'b.pcapng', 9],
    ]);
  });

  it("'-' reads standard input given as a Readable, in small pieces", async () => {
    const file = pcapFile({}, RECORDS);
    const pieces = Array.from({ length: Math.ceil(file.length / 5) }, (_, i) => Buffer.from(file.subarray(i * 5, i * 5 + 5)));
    const records: Snapshot[] = [];
    const result = await readInputs(['-'], { onRecord: (r) => records.push(snapshot(r)), onFields: () => undefined }, { stdin: Readable.from(pieces) });
    expect(result.packets).toBe(3);
    expect(records).toEqual(only(file).records.map((r) => ({ ...r, file: '-' })));
  });

  it('delivers each record as soon as its bytes arrive (tcpdump -U -w - |), and stops on abort', async () => {
    const file = pcapFile({}, RECORDS);
    const stdin = new PassThrough();
    const controller = new AbortController();
    const seen: number[] = [];
    let afterChunks = 0;
    const done = readInputs(
      ['-'],
      { onRecord: (r) => seen.push(r.index), onFields: () => undefined, afterChunk: () => void afterChunks++ },
      { stdin, signal: controller.signal },
    );
    // File header + first record (16 + 60 bytes), then nothing more: the stream stays open.
    stdin.write(Buffer.from(file.subarray(0, 24 + 16 + 60)));
    for (let i = 0; i < 100 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(seen).toEqual([0]);
    expect(afterChunks).toBeGreaterThan(0);
    controller.abort();
    expect(await done).toEqual({ packets: 1 });
  });
});
