/**
 * The malformed-input case families, as lists of (label, bytes, expectation), generated from a
 * fixed seed over the base inputs (fuzz-inputs.ts). Expectations are independent of src/capture:
 * truncations count the records wholly before the cut from the original's boundaries; pcap
 * mutations are judged by the pcap-savefile(5) walker in fuzz-oracle.ts; spliced-in absurd records
 * fault exactly after the records before them.
 */
import { gunzipSync, constants as zlib } from 'node:zlib';
import { Prng } from '../../src/synth/prng.js';
import { baseInputs, BASE_RECORDS, PCAP_CAPLEN_AT, PCAP_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES, recordsBefore, type BaseInput } from './fuzz-inputs.js';
import {
  concatBytes,
  deleteSpan,
  EDGE_LENGTHS,
  flipBits,
  insertRandom,
  overwriteBytes,
  pcapngBlock,
  pcapngEpb,
  pcapngIdb,
  pcapRecord,
  PCAPNG_EPB,
  PCAPNG_IDB,
  randomBytes,
  withU32le,
  ZSTD_BLOCK_HEADER_BYTES,
  ZSTD_FRAME_HEADER_BYTES,
  zstdRawFrame,
} from './fuzz-mutate.js';
import { expectPcap } from './fuzz-oracle.js';
import type { Command, Expectation } from './fuzz-run.js';

export interface FuzzCase {
  label: string;
  bytes: Uint8Array;
  expected: Expectation;
}

/** Share of cases run as `score` (the rest as `decode`, which is cheaper). */
const SCORE_SHARE = 0.6;
export function pickCommand(prng: Prng): Command {
  return prng.chance(SCORE_SHARE) ? 'score' : 'decode';
}

/** Every truncation point worth trying: the whole header region, each boundary and its neighbours, random offsets. */
function truncationPoints(input: BaseInput, prng: Prng, headerBytes: number, neighbours: number[], randomCount: number): number[] {
  const points = new Set<number>();
  for (let cut = 0; cut <= headerBytes; cut++) points.add(cut);
  for (const end of [...input.cutPoints, ...input.recordStarts]) {
    for (const d of neighbours) if (end + d >= 0 && end + d <= input.bytes.length) points.add(end + d);
  }
  for (let i = 0; i < randomCount; i++) points.add(prng.int(0, input.bytes.length));
  return [...points].sort((a, b) => a - b);
}

/** Truncations of a binary capture: a cut at a boundary is a valid file, anywhere else a fault. */
export function truncations(input: BaseInput, prng: Prng, headerBytes: number, randomCount: number): FuzzCase[] {
  const neighbours = [-1, 1, 4, 8, PCAP_RECORD_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES + 1];
  return truncationPoints(input, prng, headerBytes, neighbours, randomCount).map((cut) => {
    const valid = input.cutPoints.includes(cut);
    return {
      label: `${input.name}-cut-${cut}`,
      bytes: input.bytes.slice(0, cut),
      expected: { exit: valid ? 0 : 2, packets: recordsBefore(input, cut) },
    };
  });
}

/**
 * Truncations of tshark TSV: at a line end a valid file; inside a row, that row may still parse
 * (a cut inside frame.len's digits leaves a shorter number, Python int() accepts it) or fault.
 */
export function tsvTruncations(input: BaseInput, prng: Prng, randomCount: number): FuzzCase[] {
  const headerEnd = input.cutPoints[0];
  return truncationPoints(input, prng, 0, [-1, 1, 2, 12], randomCount)
    .filter((cut) => cut >= headerEnd || cut === 0)
    .map((cut) => {
      const k = recordsBefore(input, cut);
      const expected: Expectation =
        cut === 0 ? { exit: 2, packets: 0 } : input.cutPoints.includes(cut) ? { exit: 0, packets: k } : { packetsBetween: [k, k + 1] };
      return { label: `tsv-cut-${cut}`, bytes: input.bytes.slice(0, cut), expected };
    });
}

/** gzip truncated at random offsets: the decompressed prefix's whole records, then a fault. */
export function gzipTruncations(prng: Prng, count: number): FuzzCase[] {
  const { gzip, pcap } = baseInputs();
  const cuts = new Set<number>();
  for (let cut = 0; cut <= GZIP_HEADER_BYTES + 2; cut++) cuts.add(cut);
  for (let d = 1; d <= GZIP_TRAILER_BYTES + 1; d++) cuts.add(gzip.length - d);
  while (cuts.size < count) cuts.add(prng.int(0, gzip.length - 1));
  return [...cuts].map((cut) => {
    const bytes = gzip.slice(0, cut);
    return { label: `gzip-cut-${cut}`, bytes, expected: { exit: 2, packets: recordsBefore(pcap, decompressedPrefix(bytes)) } };
  });
}

const GZIP_HEADER_BYTES = 10;
/** CRC32 and ISIZE (RFC 1952 section 2.2). */
const GZIP_TRAILER_BYTES = 8;

/** How many bytes zlib can inflate from a truncated gzip (sync flush: everything decodable). */
function decompressedPrefix(bytes: Uint8Array): number {
  if (bytes.length <= GZIP_HEADER_BYTES) return 0;
  try {
    return gunzipSync(bytes, { finishFlush: zlib.Z_SYNC_FLUSH }).length;
  } catch {
    return 0;
  }
}

/** gzip whose CRC32/ISIZE trailer is corrupt: every record decompresses, the check fails after them. */
export function gzipCorruptTails(prng: Prng, count: number): FuzzCase[] {
  const { gzip } = baseInputs();
  return Array.from({ length: count }, (_, i) => {
    const bytes = flipBits(gzip, prng, prng.int(1, 3), gzip.length - GZIP_TRAILER_BYTES, gzip.length);
    // Flipping one bit twice restores the original: then the file is valid and reads whole.
    const intact = bytes.every((byte, j) => byte === gzip[j]);
    return { label: `gzip-tail-${i}`, bytes, expected: { exit: intact ? 0 : 2, packets: BASE_RECORDS } };
  });
}

/** Random damage to a gzip: flips, overwrites, trailing garbage (general contract only). */
export function gzipDamage(prng: Prng, count: number): FuzzCase[] {
  const { gzip } = baseInputs();
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 3;
    const bytes =
      kind === 0
        ? flipBits(gzip, prng, prng.int(1, 4))
        : kind === 1
          ? overwriteBytes(gzip, prng, prng.int(1, 4))
          : concatBytes(gzip, randomBytes(prng, prng.int(1, 64)));
    return { label: `gzip-damage-${i}`, bytes, expected: { packetsBetween: [0, BASE_RECORDS] } };
  });
}

/** Offset of the pcap bytes inside zstdRawFrame's output. */
const ZSTD_DATA_AT = ZSTD_FRAME_HEADER_BYTES + ZSTD_BLOCK_HEADER_BYTES;

/**
 * The base pcap in a zstd frame (one stored block): truncated (a fault, after at most the records
 * wholly inside the cut), damaged in the frame header (general contract) or in the stored pcap
 * (judged like the pcap itself: the block is stored, not compressed).
 */
export function zstdCases(prng: Prng, count: number): FuzzCase[] {
  const { pcap } = baseInputs();
  const frame = zstdRawFrame(pcap.bytes);
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 3;
    if (kind === 0) {
      const cut = prng.int(0, frame.length - 1);
      const most = recordsBefore(pcap, Math.max(0, cut - ZSTD_DATA_AT));
      return { label: `zstd-cut-${cut}`, bytes: frame.slice(0, cut), expected: { exit: 2, packetsBetween: [0, most] } };
    }
    if (kind === 1) return { label: `zstd-header-${i}`, bytes: flipBits(frame, prng, prng.int(1, 2), 0, ZSTD_DATA_AT), expected: {} };
    const data = prng.chance(0.5) ? flipBits(pcap.bytes, prng, prng.int(1, 3)) : overwriteBytes(pcap.bytes, prng, prng.int(1, 3));
    return { ...pcapCase(`zstd-pcap-${i}`, data), bytes: zstdRawFrame(data) };
  });
}

/** pcap judged by the independent walker (general contract only once the magic is gone). */
function pcapCase(label: string, bytes: Uint8Array): FuzzCase {
  const e = expectPcap(bytes);
  return { label, bytes, expected: e === null ? {} : { exit: e.valid ? 0 : 2, packets: e.packets } };
}

/** Bit flips in pcap: half anywhere, half in the file header or a record header. */
export function pcapBitFlips(prng: Prng, count: number): FuzzCase[] {
  const { pcap } = baseInputs();
  return Array.from({ length: count }, (_, i) => {
    let bytes: Uint8Array;
    if (i % 2 === 0) bytes = flipBits(pcap.bytes, prng, prng.int(1, 3));
    else if (i % 4 === 1) bytes = flipBits(pcap.bytes, prng, prng.int(1, 2), 0, PCAP_HEADER_BYTES);
    else {
      const start = prng.choice(pcap.recordStarts);
      bytes = flipBits(pcap.bytes, prng, prng.int(1, 2), start, start + PCAP_RECORD_HEADER_BYTES);
    }
    return pcapCase(`pcap-flip-${i}`, bytes);
  });
}

export function pcapOverwrites(prng: Prng, count: number): FuzzCase[] {
  const { pcap } = baseInputs();
  return Array.from({ length: count }, (_, i) => pcapCase(`pcap-overwrite-${i}`, overwriteBytes(pcap.bytes, prng, prng.int(1, 4))));
}

/** Absurd caplen/len fields and versions: each 32-bit edge value in a random record's header. */
export function pcapLengthEdges(prng: Prng, count: number): FuzzCase[] {
  const { pcap } = baseInputs();
  const VERSION_AT = 4;
  return Array.from({ length: count }, (_, i) => {
    if (i % 10 === 9) {
      const version = prng.choice([0, 1, 2, 3, 0x10000 - 1]) | (prng.choice([0, 1, 2, 3, 4, 0xffff]) << 16);
      return pcapCase(`pcap-version-${i}`, withU32le(pcap.bytes, VERSION_AT, version));
    }
    const start = prng.choice(pcap.recordStarts);
    const field = prng.chance(0.7) ? PCAP_CAPLEN_AT : PCAP_CAPLEN_AT + 4;
    return pcapCase(`pcap-length-${i}`, withU32le(pcap.bytes, start + field, prng.choice(EDGE_LENGTHS)));
  });
}

/** Zero-length, 64 KiB, maximal (262144) and over-maximal frames spliced in before record k. */
export function pcapOddFrames(prng: Prng, count: number): FuzzCase[] {
  const { pcap } = baseInputs();
  const sizes = [0, 1, 13, 14, 0xffff, 0x10000, 262144, 262145];
  return Array.from({ length: count }, (_, i) => {
    const k = prng.int(0, BASE_RECORDS);
    const at = k === BASE_RECORDS ? pcap.bytes.length : pcap.recordStarts[k];
    const size = sizes[i % sizes.length];
    const data = prng.chance(0.5) ? new Uint8Array(size) : randomBytes(prng, size);
    const record = pcapRecord(1709542800 + k, 0, data);
    return pcapCase(`pcap-frame-${size}-at-${k}-${i}`, concatBytes(pcap.bytes.subarray(0, at), record, pcap.bytes.subarray(at)));
  });
}

/** pcapng flips and overwrites anywhere: no block can become two packets, so at most BASE_RECORDS rows. */
export function pcapngDamage(prng: Prng, count: number): FuzzCase[] {
  const { pcapng } = baseInputs();
  return Array.from({ length: count }, (_, i) => {
    const bytes = i % 3 === 2 ? overwriteBytes(pcapng.bytes, prng, prng.int(1, 4)) : flipBits(pcapng.bytes, prng, prng.int(1, 3));
    return { label: `pcapng-damage-${i}`, bytes, expected: { packetsBetween: [0, BASE_RECORDS] } };
  });
}

/** EPB offsets: type, total length, interface id; packet data starts after the 28-byte fixed part. */
export const EPB_DATA_AT = 28;
const BLOCK_LENGTH_AT = 4;

/** Flips inside packet data only: the file stays valid, every packet is scored. */
export function dataOnlyFlips(input: BaseInput, dataAt: number, prng: Prng, count: number): FuzzCase[] {
  return Array.from({ length: count }, (_, i) => {
    const k = prng.int(0, BASE_RECORDS - 1);
    const from = input.recordStarts[k] + dataAt;
    const to = input.recordEnds[k] - (input.name === 'pcapng' ? 4 : 0);
    const bytes = flipBits(input.bytes, prng, prng.int(1, 8), from, to);
    return { label: `${input.name}-data-flip-${i}`, bytes, expected: { exit: 0, packets: BASE_RECORDS } };
  });
}

/**
 * Block lengths set to edge values (0, 8, unaligned, huge, off by 4) in the leading or trailing
 * length field of a random block: a fault at that block, so the EPBs before it are the rows. A
 * leading length past 1 MiB makes the reader stream the block, which may deliver its packet first.
 */
export function pcapngLengthEdges(prng: Prng, count: number): FuzzCase[] {
  const { pcapng } = baseInputs();
  const blockStarts = [0, pcapng.cutPoints[0], ...pcapng.recordStarts];
  const blockEnds = pcapng.cutPoints;
  return Array.from({ length: count }, (_, i) => {
    const b = prng.int(0, blockStarts.length - 1);
    const trueLength = blockEnds[b] - blockStarts[b];
    const value = prng.chance(0.7) ? prng.choice(EDGE_LENGTHS) : trueLength + prng.choice([-8, -4, -1, 1, 4, 8]);
    const epbsBefore = Math.max(0, b - 2);
    const leading = prng.chance(0.6);
    const at = leading ? blockStarts[b] + BLOCK_LENGTH_AT : blockEnds[b] - 4;
    const expected: Expectation =
      value === trueLength ? { exit: 0, packets: BASE_RECORDS } : leading ? { exit: 2, packetsBetween: [epbsBefore, epbsBefore + 1] } : { exit: 2, packets: epbsBefore };
    return { label: `pcapng-length-${leading ? 'lead' : 'trail'}-${b}-${value}-${i}`, bytes: withU32le(pcapng.bytes, at, value), expected };
  });
}

/**
 * Structural absurdities spliced in before EPB k: an EPB naming a missing interface, an EPB whose
 * caplen lies or exceeds 262144, a bare block header with an impossible length, a new section
 * without interfaces (faults at k); a zero-length or 64 KiB frame, an unknown block (valid: all rows).
 */
export function pcapngStructure(prng: Prng, count: number): FuzzCase[] {
  const { pcapng } = baseInputs();
  const kinds = ['missing-iface', 'caplen', 'bad-length', 'new-section', 'zero-frame', 'big-frame', 'unknown-block'] as const;
  const SHB_END = pcapng.cutPoints[0];
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length];
    const k = prng.int(0, BASE_RECORDS);
    const at = k === BASE_RECORDS ? pcapng.bytes.length : pcapng.recordStarts[k];
    const timeUs = 1709542800_000_000 + k;
    let block: Uint8Array;
    let expected: Expectation;
    switch (kind) {
      case 'missing-iface':
        block = pcapngEpb(prng.choice([1, 2, 1000, 0x80000000, 0xffffffff]), timeUs, randomBytes(prng, 60));
        expected = { exit: 2, packets: k };
        break;
      case 'caplen':
        block = pcapngEpb(0, timeUs, randomBytes(prng, 64), prng.choice([65, 262145, 0x7fffffff, 0xffffffff]));
        expected = { exit: 2, packets: k };
        break;
      case 'bad-length': {
        const header = new Uint8Array(16);
        const v = new DataView(header.buffer);
        v.setUint32(0, prng.choice([PCAPNG_EPB, PCAPNG_IDB, 0x0bad]), true);
        v.setUint32(4, prng.choice([0, 4, 8, 11, 13, 0xfffffffc, 0xffffffff]), true);
        block = header;
        expected = { exit: 2, packets: k };
        break;
      }
      case 'new-section':
        block = concatBytes(pcapng.bytes.subarray(0, SHB_END), pcapngEpb(0, timeUs, randomBytes(prng, 60)));
        expected = { exit: 2, packets: k };
        break;
      case 'zero-frame':
        block = pcapngEpb(0, timeUs, new Uint8Array(0));
        expected = { exit: 0, packets: BASE_RECORDS + 1 };
        break;
      case 'big-frame':
        block = pcapngEpb(0, timeUs, prng.chance(0.5) ? new Uint8Array(0x10000) : randomBytes(prng, prng.choice([0xffff, 0x10000])));
        expected = { exit: 0, packets: BASE_RECORDS + 1 };
        break;
      case 'unknown-block':
        block = pcapngBlock(prng.choice([0x0bad, 0x40000bad, 5, 0x80000001]), randomBytes(prng, prng.int(0, 64)));
        expected = { exit: 0, packets: BASE_RECORDS };
        break;
    }
    return { label: `pcapng-${kind}-at-${k}-${i}`, bytes: concatBytes(pcapng.bytes.subarray(0, at), block, pcapng.bytes.subarray(at)), expected };
  });
}

/** Thousands of interfaces before the packets, which name the last one; or one past it. */
export function pcapngManyInterfaces(counts: number[]): FuzzCase[] {
  const { pcapng } = baseInputs();
  const SHB_END = pcapng.cutPoints[0];
  const IDB_END = pcapng.cutPoints[1];
  const EPB_IFACE_AT = 8;
  const cases: FuzzCase[] = [];
  for (const n of counts) {
    const idbs = concatBytes(...Array.from({ length: n }, () => pcapngIdb()));
    for (const past of [false, true]) {
      let epbs: Uint8Array = pcapng.bytes.slice(IDB_END);
      for (const start of pcapng.recordStarts) {
        epbs = withU32le(epbs, start - IDB_END + EPB_IFACE_AT, past ? n + 1 : n);
      }
      cases.push({
        label: `pcapng-${n + 1}-interfaces${past ? '-missing' : ''}`,
        bytes: concatBytes(pcapng.bytes.subarray(0, SHB_END), pcapng.bytes.subarray(SHB_END, IDB_END), idbs, epbs),
        expected: past ? { exit: 2, packets: 0 } : { exit: 0, packets: BASE_RECORDS },
      });
    }
  }
  return cases;
}

/** tshark TSV damage: flips and overwrites (general contract), and a row replaced by text (fault at that row). */
export function tsvDamage(prng: Prng, count: number): FuzzCase[] {
  const { tsv } = baseInputs();
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 4;
    if (kind === 3) {
      const k = prng.int(0, BASE_RECORDS - 1);
      const line = new TextEncoder().encode(`x${printable(prng, prng.int(0, 200))}\n`);
      const bytes = concatBytes(tsv.bytes.subarray(0, tsv.recordStarts[k]), line, tsv.bytes.subarray(tsv.recordEnds[k]));
      return { label: `tsv-garbage-row-${k}-${i}`, bytes, expected: { exit: 2, packets: k } };
    }
    const bytes = kind === 2 ? overwriteBytes(tsv.bytes, prng, prng.int(1, 4)) : flipBits(tsv.bytes, prng, prng.int(1, 3));
    return { label: `tsv-damage-${i}`, bytes, expected: {} };
  });
}

/** Tab-free printable ASCII. */
function printable(prng: Prng, length: number): string {
  const PRINTABLE_FIRST = 0x20;
  const PRINTABLE_LAST = 0x7e;
  return String.fromCharCode(...Array.from({ length }, () => prng.int(PRINTABLE_FIRST, PRINTABLE_LAST)));
}

/** Inputs that are no capture at all: empty, unknown magic, random bytes, text, digits-first text, a long line. */
export function garbage(prng: Prng, count: number): FuzzCase[] {
  const { pcap } = baseInputs();
  const cases: FuzzCase[] = [
    { label: 'empty', bytes: new Uint8Array(0), expected: { exit: 2, packets: 0 } },
    { label: 'long-text-line', bytes: new TextEncoder().encode('y'.repeat(200_000)), expected: { exit: 2, packets: 0 } },
    { label: 'long-tsv-row', bytes: new TextEncoder().encode(`1.5\t60\t${'a'.repeat(200_000)}\n`), expected: { exit: 0, packets: 1 } },
  ];
  for (let i = cases.length; i < count; i++) {
    const kind = i % 5;
    if (kind === 0) {
      const magic = randomBytes(prng, 4);
      magic[0] = 0xee; // neither a printable character, nor gzip's, pcap's, pcapng's or zstd's first byte
      cases.push({ label: `unknown-magic-${i}`, bytes: concatBytes(magic, pcap.bytes.subarray(4)), expected: { exit: 2, packets: 0 } });
    } else if (kind === 1) {
      cases.push({ label: `random-${i}`, bytes: randomBytes(prng, prng.int(1, 4096)), expected: {} });
    } else if (kind === 2) {
      cases.push({ label: `text-${i}`, bytes: new TextEncoder().encode(printable(prng, prng.int(1, 2000))), expected: {} });
    } else if (kind === 3) {
      const text = `${prng.int(0, 9)}${Array.from({ length: prng.int(1, 30) }, () => printable(prng, prng.int(0, 80))).join(prng.chance(0.5) ? '\n' : '\t')}`;
      cases.push({ label: `digit-text-${i}`, bytes: new TextEncoder().encode(text), expected: {} });
    } else {
      const at = prng.int(0, pcap.bytes.length);
      const bytes = prng.chance(0.5) ? insertRandom(pcap.bytes, prng, at, prng.int(1, 40)) : deleteSpan(pcap.bytes, at, prng.int(1, 40));
      cases.push(pcapCase(`pcap-splice-${i}`, bytes));
    }
  }
  return cases;
}

/** Random damage to a capture we did not make (../shared/captures/torture): flips, overwrites, truncations. */
export function tortureDamage(name: string, bytes: Uint8Array, prng: Prng, count: number): FuzzCase[] {
  const cases: FuzzCase[] = [{ label: `${name}-as-is`, bytes, expected: {} }];
  for (let i = 1; i < count; i++) {
    const kind = i % 3;
    const damaged =
      kind === 0 ? bytes.slice(0, prng.int(0, bytes.length)) : kind === 1 ? flipBits(bytes, prng, prng.int(1, 4)) : overwriteBytes(bytes, prng, prng.int(1, 4));
    cases.push({ label: `${name}-${i}`, bytes: damaged, expected: {} });
  }
  return cases;
}

export { Prng };
