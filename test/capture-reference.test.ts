import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { decompress as zstdDecompress } from 'fzstd';
import { expect, it } from 'vitest';
import { readInputs } from '../src/capture/reader.js';
import { formatEpoch } from '../src/capture/timestamp.js';
import { InputError } from '../src/errors.js';
import { type Snapshot, parseAll, snapshot } from './helpers/capture-build.js';
import { CAPTURES, REFERENCE, SHARED, describeShared, readReferenceLines } from './helpers/shared.js';

const TORTURE = path.join(CAPTURES, 'torture');

/** Every capture file under ../shared/captures, recursively. */
function allCaptures(dir = CAPTURES): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? allCaptures(full) : [full];
  });
}

async function readFile(file: string): Promise<{ records: Snapshot[]; error: unknown }> {
  const records: Snapshot[] = [];
  try {
    await readInputs([file], { onRecord: (r) => records.push(snapshot(r)), onFields: () => undefined });
    return { records, error: null };
  } catch (error) {
    return { records, error };
  }
}

/** tshark's frame.time_epoch and frame.len columns of a reference packets.tsv.gz (header skipped). */
function tsharkRows(file: string): { epoch: string; len: string }[] {
  return readReferenceLines(file)
    .slice(1)
    .map((line) => {
      const [epoch, len] = line.split('\t');
      return { epoch, len };
    });
}

function expectMatchesTshark(records: Snapshot[], rows: { epoch: string; len: string }[]): void {
  expect(records.length).toBe(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = records[i];
    expect({ i, epoch: formatEpoch(r.sec, r.frac), len: String(r.wireLen) }).toEqual({ i, ...rows[i] });
  }
}

/** The capture each main reference folder was made from (params.json names it). */
function mainReferences(): { name: string; capture: string }[] {
  if (!existsSync(REFERENCE)) return [];
  return readdirSync(REFERENCE)
    .filter((d) => existsSync(path.join(REFERENCE, d, 'params.json')))
    .map((d) => ({
      name: d,
      capture: path.join(SHARED, JSON.parse(readFileSync(path.join(REFERENCE, d, 'params.json'), 'utf8')).capture),
    }));
}

describeShared('capture reader against tshark (frame.time_epoch, frame.len, packet count)', () => {
  it('finds the reference data', () => {
    expect(mainReferences().length).toBeGreaterThanOrEqual(10);
  });

  for (const { name, capture } of mainReferences()) {
    it(name, async () => {
      const { records, error } = await readFile(capture);
      expect(error).toBeNull();
      expectMatchesTshark(records, tsharkRows(path.join(REFERENCE, name, 'packets.tsv.gz')));
    });
  }

  // Torture files tshark reads completely: every row must match.
  const tshark = (name: string) => tsharkRows(path.join(REFERENCE, 'torture', name, 'packets.tsv.gz'));
  const clean = [
    'pcap_nsec_bigendian.pcap', // nanosecond magic, big-endian
    'pcap_nsec_invalid_fraction.pcap', // fractions 999999999, 1e9 (printed as 10 digits) and 2^31 (negative)
    'pcap_nsec_sll_tcp_handshake.pcap', // nanosecond, little-endian, SLL
    'pcap_usec_bigendian_netlink.pcap', // microsecond, big-endian, netlink (253)
    'pcapng_11if_mixed_tsresol_ldap.pcapng', // 11 interfaces with different if_tsresol
    'pcapng_empty.pcapng', // SHB only: zero packets
    'pcapng_many_interfaces.pcapng', // many IDBs, link types 1 and 0
    'pcapng_ns_eth_plus_sll_comments.pcapng', // ns resolution, two link types, comment options
    'pcapng_time_2106_overflow.pcapng', // 64-bit timestamp: seconds = 2^32
    'qinq_double_vlan.pcap',
    'rawip4_linktype228.pcap',
    'rawip6_linktype229.pcap',
    'rawip_linktype101.pcap',
    'snaplen18_decnet_oobr.pcap', // snapshot length 18
  ];
  for (const file of clean) {
    it(`torture ${file}`, async () => {
      const { records, error } = await readFile(path.join(TORTURE, file));
      expect(error).toBeNull();
      expectMatchesTshark(records, tshark(file.replace(/\.pcap(ng)?$/, '')));
    });
  }

  it('torture: link types as written (FCS bits masked, per interface in pcapng)', async () => {
    const links = async (file: string) => new Set((await readFile(path.join(TORTURE, file))).records.map((r) => r.linkType));
    expect(await links('pcap_usec_bigendian_netlink.pcap')).toEqual(new Set([253]));
    expect(await links('pcapng_ns_eth_plus_sll_comments.pcapng')).toEqual(new Set([1, 113]));
    expect(await links('rawip4_linktype228.pcap')).toEqual(new Set([228]));
    expect(await links('rawip6_linktype229.pcap')).toEqual(new Set([229]));
    expect(await links('rawip_linktype101.pcap')).toEqual(new Set([101]));
  });

  it('torture snaplen18: 18 bytes captured of 262144-byte frames (frame.len is the wire length)', async () => {
    const bytes = readFileSync(path.join(TORTURE, 'snaplen18_decnet_oobr.pcap'));
    expect(bytes.readUInt32LE(16)).toBe(18); // the file header's snaplen
    const { records } = await readFile(path.join(TORTURE, 'snaplen18_decnet_oobr.pcap'));
    expect(new Set(records.map((r) => `${r.caplen}/${r.wireLen}/${r.data.length}`))).toEqual(new Set(['18/262144/18']));
  });

  it('torture unknown_linktype_281_brcm: records are read, link type 281 passed on (tshark cannot read it)', async () => {
    const { records, error } = await readFile(path.join(TORTURE, 'unknown_linktype_281_brcm.pcap'));
    expect(error).toBeNull();
    expect(records.length).toBeGreaterThan(0);
    expect(new Set(records.map((r) => r.linkType))).toEqual(new Set([281]));
  });

  it('torture pcapng_zstd_compressed: same records as the decompressed bytes, and tshark rows of its pcapng twin', async () => {
    const file = path.join(TORTURE, 'pcapng_zstd_compressed.pcapng.zst');
    const { records, error } = await readFile(file);
    expect(error).toBeNull();
    const plain = parseAll([{ name: file, bytes: zstdDecompress(readFileSync(file)) }]);
    expect(plain.error).toBeNull();
    expect(records).toEqual(plain.records);
    // Its content is pcapng_ns_eth_plus_sll_comments (the README: "a zstd-compressed pcapng"), 159 packets.
    expectMatchesTshark(records, tshark('pcapng_ns_eth_plus_sll_comments'));
  });

  it('torture corrupt_bogus_caplen: record 0 read, then caplen 0x53fe6000 at offset 228 is an InputError', async () => {
    // Record 0 at 24: 16-byte header + caplen 188 -> next header at 228, whose caplen field (bytes 236..239,
    // LE 00 60 fe 53) is 1409179648 > 262144. tshark guessed another pcap variant there: not a target.
    const { records, error } = await readFile(path.join(TORTURE, 'corrupt_bogus_caplen.pcap'));
    expect(records.map((r) => [r.offset, r.caplen, formatEpoch(r.sec, r.frac)])).toEqual([
      [24, 188, tshark('corrupt_bogus_caplen')[0].epoch],
    ]);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ offset: 228, packet: 1 });
  });

  it('torture corrupt_nsec_null_cut: version 2.0 lengths swapped back, record 0 read, then cut at 237', async () => {
    // Header: nanosecond LE, version 2.0, link type 0x40000000 -> 0 (NULL). Record 0 at 24 stores
    // (incl, orig) = (524501, 197): pre-2.3 order, so caplen 197, len 524501 (tshark's frame.len).
    // 24 + 16 + 197 = 237; the file is 239 bytes: a 2-byte piece of the next header.
    const { records, error } = await readFile(path.join(TORTURE, 'corrupt_nsec_null_cut.pcap'));
    expect(records.map((r) => [r.linkType, r.caplen, r.wireLen])).toEqual([[0, 197, 524501]]);
    expectMatchesTshark(records, tshark('corrupt_nsec_null_cut'));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ offset: 237, packet: 1 });
  });

  it('has a test for every torture file', () => {
    const covered = new Set([
      ...clean,
      'unknown_linktype_281_brcm.pcap',
      'pcapng_zstd_compressed.pcapng.zst',
      'corrupt_bogus_caplen.pcap',
      'corrupt_nsec_null_cut.pcap',
    ]);
    expect(readdirSync(TORTURE).filter((f) => !covered.has(f))).toEqual([]);
  });
});

interface ParserPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}

/** pcap-parser 0.2.1 (CommonJS, event emitter): every packet until 'end', or null if it rejects the file. */
function pcapParserPackets(file: string): Promise<ParserPacket[] | null> {
  const require = createRequire(import.meta.url);
  const pcapParser = require('pcap-parser') as { parse(input: string): NodeJS.EventEmitter };
  return new Promise((resolve) => {
    const packets: ParserPacket[] = [];
    let rejected = false;
    const parser = pcapParser.parse(file);
    parser.on('packet', (p: ParserPacket) => packets.push({ header: { ...p.header }, data: Buffer.from(p.data) }));
    parser.on('error', () => {
      rejected = true;
    });
    parser.on('end', () => resolve(rejected ? null : packets));
  });
}

describeShared('differential: pcap-parser 0.2.1 on every classic pcap', () => {
  const pcaps = allCaptures().filter((f) => f.endsWith('.pcap'));
  let compared = 0;
  it('finds the captures', () => {
    expect(pcaps.length).toBeGreaterThanOrEqual(20);
  });
  for (const file of pcaps) {
    it(path.relative(CAPTURES, file), async () => {
      const theirs = await pcapParserPackets(file);
      if (theirs === null) return; // it only knows microsecond magic (nanosecond files are refused)
      const ours = await readFile(file);
      // pcap-parser never swaps pre-2.3 lengths and has no caplen limit: compare what both read.
      const version = readFileSync(file).readUInt16LE(6);
      if (version < 3) return;
      const n = ours.error === null ? theirs.length : ours.records.length;
      expect(ours.records.length).toBe(n);
      expect(theirs.length).toBeGreaterThanOrEqual(n);
      for (let i = 0; i < n; i++) {
        const t = theirs[i];
        const r = ours.records[i];
        expect([r.sec, r.frac, r.caplen, r.wireLen]).toEqual([
          t.header.timestampSeconds,
          t.header.timestampMicroseconds * 1000,
          t.header.capturedLength,
          t.header.originalLength,
        ]);
        expect(Buffer.from(r.data).equals(t.data)).toBe(true);
      }
      compared++;
    });
  }
  it('compared most of them (all but nanosecond and pre-2.3 files)', () => {
    expect(compared).toBeGreaterThanOrEqual(15);
  });
});
