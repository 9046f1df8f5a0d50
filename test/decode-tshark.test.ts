import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBuffers } from '../src/capture/reader.js';
import { TSHARK_FIELD_NAMES, TsharkFields } from '../src/decode/fields.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { Prng } from '../src/synth/prng.js';
import { pcapFile, type PcapRecordSpec } from './helpers/capture-build.js';
import { tsharkColumns } from './helpers/tshark-columns.js';
import {
  type Bytes, arp, eth, icmp, ipv4, ipv6, le16, tcp, TCP, u16, u32, udp, UDP, vlan,
} from './helpers/frame-builders.js';

/*
 * Differential test against tshark itself (the program whose output Kitsune-py reads): a fixed corpus
 * of frames, the protocol stacks the decoder follows under the link types it reads, each frame also
 * cut short and byte-mutated (fixed seed), is written as pcap files; tshark's 19 fields for them must
 * equal ours on every row of the intact and cut frames, and on nearly every mutated one (a mutation can
 * land on tshark heuristics the decoder leaves out on purpose; see README "Fidelity").
 * tshark is optional on a workstation, installed by `.ci/run` in CI, where this test is mandatory.
 */

const HAVE_TSHARK = spawnSync('tshark', ['--version']).status === 0;
const MANDATORY = process.env.CI === 'true';
const SEED = 0x75a4;
const CUTS_PER_FRAME = 8;
const MUTATIONS_PER_FRAME = 40;
/** Mutated frames may differ this often per link type (measured: 6 rows of 22,000: NSH, FDDI frame control and Prism edge cases). */
const MAX_MUTATED_DIFFERENCE = 0.005;
const T0 = 1_700_000_000;
const ICMPV6 = 58;

type Payload = [etherType: number, bytes: Bytes];

/** Network-layer payloads, each with its EtherType. */
function payloads(): Payload[] {
  const ipTcp = ipv4({ proto: TCP, src: '10.1.1.1', dst: '10.1.1.2' }, tcp(40000, 80));
  const ipUdp = ipv4({ proto: UDP, src: '10.1.1.1', dst: '10.1.1.2' }, udp(5353, 53, [1, 2, 3, 4]));
  const innerEth = eth(0x0800, ipv4({ proto: TCP, src: '192.168.9.1', dst: '192.168.9.2' }, tcp(1111, 2222)), '0a:00:00:00:00:02', '0a:00:00:00:00:01');
  const vxlan = [0x08, 0, 0, 0, 0, 0, 1, 0, ...innerEth];
  const gtp = [0x30, 0xff, ...u16(40), 0, 0, 0, 1, ...ipv4({ proto: TCP, src: '172.16.0.1' }, tcp(7, 8))];
  const l2tp = [0, 2, 0, 1, 0, 1, 0xff, 0x03, ...u16(0x0021), ...ipv4({ proto: UDP, src: '172.16.0.9' }, udp(9, 10))];
  const quoted = ipv4({ proto: UDP, src: '10.1.1.2', dst: '10.9.9.9' }, udp(33000, 33434));
  const v6 = (next: number, payload: Bytes) => ipv6(next, payload, '2001:db8::1', '2001:db8::2');
  return [
    [0x0800, ipTcp],
    [0x0800, ipUdp],
    [0x0800, ipv4({ proto: 1 }, icmp(8, 0, [0, 1, 0, 1]))],
    [0x0800, ipv4({ proto: 1 }, icmp(3, 3, [0, 0, 0, 0], quoted))],
    [0x0800, ipv4({ proto: UDP, id: 7, more: true }, udp(5353, 53, Array<number>(16).fill(1)).slice(0, 16))],
    [0x0800, ipv4({ proto: UDP }, udp(50000, 4789, vxlan))],
    [0x0800, ipv4({ proto: UDP }, udp(2152, 2152, gtp))],
    [0x0800, ipv4({ proto: UDP }, udp(1701, 1701, l2tp))],
    [0x0800, ipv4({ proto: 47 }, [0, 0, ...u16(0x0800), ...ipTcp])],
    [0x0800, ipv4({ proto: 4 }, ipTcp)],
    [0x86dd, v6(TCP, tcp(40000, 443))],
    [0x86dd, v6(UDP, udp(546, 547, [0, 1]))],
    [0x86dd, v6(0, [TCP, 0, 1, 4, 0, 0, 0, 0, ...tcp(1, 2)])],
    [0x86dd, v6(ICMPV6, [1, 4, 0, 0, 0, 0, 0, 0, ...v6(UDP, udp(7, 9))])],
    [0x86dd, v6(44, [UDP, 0, 0, 1, ...u32(99), ...udp(1000, 2000, Array<number>(24).fill(2)).slice(0, 24)])],
    [0x0806, arp(1, '02:00:00:00:00:01', '10.1.1.1', '00:00:00:00:00:00', '10.1.1.2')],
    [0x8100, vlan(7, 0x0800, ipTcp)],
    [0x88a8, vlan(8, 0x8100, vlan(7, 0x86dd, v6(UDP, udp(1, 2))))],
    [0x8847, [0, 0x10, 0x01, 64, ...ipUdp]],
    [0x8864, [0x11, 0, ...u16(1), ...u16(ipTcp.length + 2), ...u16(0x0021), ...ipTcp]],
    [0x0800, ipv4({ proto: UDP }, udp(40000, 6081, [0, 0, ...u16(0x6558), 0, 0, 1, 0, ...innerEth]))],
    [0x0800, ipv4({ proto: UDP }, udp(40000, 4790, [0x0c, 0, 0, 4, 0, 0, 1, 0, 0, 2, 2, 1, 0, 0, 1, 0xff, ...ipTcp]))],
    [0x0800, ipv4({ proto: UDP }, udp(3544, 50000, v6(TCP, tcp(5, 6))))],
    [0x0800, ipv4({ proto: 41 }, v6(UDP, udp(7, 8)))],
    [0x0800, ipv4({ proto: 97 }, [0x30, 0, ...innerEth])],
    [0x86dd, v6(44, [TCP, 0, 0, 0, ...u32(5), ...tcp(9, 10)])],
    [0x86dd, v6(143, innerEth)],
    [0x88e7, [0, 0, 1, 0, ...innerEth]],
    [0x6558, innerEth],
    [0x894f, [0, 6, 1, 1, 0, 0, 1, 0xff, ...Array<number>(16).fill(0), ...ipTcp]],
  ];
}

const wlanData = (body: Bytes): Bytes => [0x08, 0x01, 0, 0, 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 3, 0x10, 0, ...body];
const llcSnap = (etherType: number, bytes: Bytes): Bytes => [0xaa, 0xaa, 0x03, 0, 0, 0, ...u16(etherType), ...bytes];
const sll = (protocol: number): Bytes => [0, 0, ...u16(1), ...u16(6), 2, 0, 0, 0, 0, 1, 0, 0, ...u16(protocol)];
const isIp = ([type]: Payload) => type === 0x0800 || type === 0x86dd;
const PPP_PROTOCOL: Record<number, number> = { 0x0800: 0x0021, 0x86dd: 0x0057 };

/** Link types and how each wraps a payload (null: the link type cannot carry it). */
const LINKS: [number, (p: Payload) => Bytes | null][] = [
  [1, ([type, bytes]) => eth(type, bytes)],
  [113, ([type, bytes]) => [...sll(type), ...bytes]],
  [276, ([type, bytes]) => [...u16(type), 0, 0, 0, 0, 0, 2, ...u16(1), 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, ...bytes]],
  [0, (p) => (isIp(p) ? [p[0] === 0x0800 ? 2 : 24, 0, 0, 0, ...p[1]] : null)],
  [108, (p) => (isIp(p) ? [0, 0, 0, p[0] === 0x0800 ? 2 : 30, ...p[1]] : null)],
  [101, (p) => (isIp(p) ? p[1] : null)],
  [9, (p) => (isIp(p) ? [0xff, 0x03, ...u16(PPP_PROTOCOL[p[0]]), ...p[1]] : null)],
  [105, ([type, bytes]) => wlanData(llcSnap(type, bytes))],
  [127, ([type, bytes]) => [0, 0, ...le16(9), ...le16(2), 0, 0, 0x10, ...wlanData(llcSnap(type, bytes)), 1, 2, 3, 4]],
  [192, ([type, bytes]) => [0, 0, ...le16(8), 105, 0, 0, 0, ...wlanData(llcSnap(type, bytes))]],
  [119, ([type, bytes]) => [0x44, 0, 0, 0, 144, 0, 0, 0, ...Array<number>(136).fill(0), ...wlanData(llcSnap(type, bytes))]],
  [163, ([type, bytes]) => [0x80, 0x21, 0x10, 0x01, 0, 0, 0, 64, ...Array<number>(56).fill(0), ...wlanData(llcSnap(type, bytes))]],
  [104, ([type, bytes]) => [0x0f, 0, ...u16(type), ...bytes]],
  [239, (p) => (isIp(p) ? [p[0] === 0x0800 ? 2 : 10, 0, 0, 1, ...le16(p[1].length + 4), ...le16(9), ...p[1]] : null)],
  [228, (p) => (p[0] === 0x0800 ? p[1] : null)],
  [229, (p) => (p[0] === 0x86dd ? p[1] : null)],
  [12, (p) => (isIp(p) ? p[1] : null)],
  [50, (p) => (isIp(p) ? [0xff, 0x03, ...u16(PPP_PROTOCOL[p[0]]), ...p[1]] : null)],
  [204, (p) => (isIp(p) ? [1, 0xff, 0x03, ...u16(PPP_PROTOCOL[p[0]]), ...p[1]] : null)],
  [100, ([type, bytes]) => llcSnap(type, bytes)],
  [117, (p) => (isIp(p) ? [64, p[0] === 0x0800 ? 2 : 24, ...Array<number>(62).fill(0), ...p[1]] : null)],
  [10, ([type, bytes]) => [0x50, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, ...llcSnap(type, bytes)]],
];

interface Corpus {
  linkType: number;
  intact: PcapRecordSpec[];
  mutated: PcapRecordSpec[];
}

function buildCorpus(): Corpus[] {
  const rng = new Prng(SEED);
  let t = 0;
  const record = (data: Bytes, caplen = data.length): PcapRecordSpec => ({
    sec: T0 + t, fraction: t++ % 1_000_000, data: Uint8Array.from(data.slice(0, caplen)), wireLen: data.length,
  });
  return LINKS.map(([linkType, wrap]) => {
    const intact: PcapRecordSpec[] = [];
    const mutated: PcapRecordSpec[] = [];
    for (const payload of payloads()) {
      const frame = wrap(payload);
      if (frame === null) continue;
      intact.push(record(frame));
      // At least one byte: a record shorter than its link type's pseudo-header is a damaged file to tshark.
      for (let i = 0; i < CUTS_PER_FRAME; i++) intact.push(record(frame, rng.int(1, frame.length - 1)));
      for (let i = 0; i < MUTATIONS_PER_FRAME; i++) {
        const copy = [...frame];
        copy[rng.int(0, copy.length - 1)] = rng.int(0, 255);
        mutated.push(record(copy));
      }
    }
    return { linkType, intact, mutated };
  });
}

/** Our 19 fields of every record of a pcap, in tshark's text form (the epoch as Kitsune-py's double). */
function ours(file: Uint8Array): string[][] {
  const decoder = new PacketDecoder();
  const t = new TsharkFields();
  const rows: string[][] = [];
  parseBuffers([{ name: 'corpus', bytes: file }], {
    onRecord(rec) {
      decoder.decode(rec, t);
      rows.push(tsharkColumns(t));
    },
    onFields() {
      throw new Error('not a TSV input');
    },
  });
  return rows;
}

function theirs(dir: string, name: string, file: Uint8Array): string[][] {
  const at = path.join(dir, name);
  writeFileSync(at, file);
  const args = ['-r', at, '-T', 'fields', '-E', 'occurrence=f', ...TSHARK_FIELD_NAMES.flatMap((f) => ['-e', f])];
  const run = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  expect(run.status).toBe(0);
  return run.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const cells = line.split('\t');
      cells[0] = String(Number(cells[0]));
      return cells;
    });
}

/** Indices of the rows that differ, with both rows. */
function differences(a: string[][], b: string[][]): { index: number; tshark: string; ours: string }[] {
  expect(a.length).toBe(b.length);
  const out: { index: number; tshark: string; ours: string }[] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i].join('\t');
    const y = b[i].join('\t');
    if (x !== y) out.push({ index: i, tshark: x, ours: y });
  }
  return out;
}

describe.skipIf(!HAVE_TSHARK && !MANDATORY)('decoder against tshark on a generated corpus', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-tshark-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const corpus = buildCorpus();

  it('tshark is installed (mandatory in CI)', () => {
    expect(HAVE_TSHARK).toBe(true);
  });

  for (const { linkType, intact, mutated } of corpus) {
    it(`link type ${linkType}: every intact and cut frame equals tshark's fields; mutated ones nearly all`, () => {
      const intactFile = pcapFile({ network: linkType }, intact);
      const intactDiff = differences(theirs(dir, `intact-${linkType}.pcap`, intactFile), ours(intactFile));
      expect(intactDiff.length, JSON.stringify(intactDiff.slice(0, 3))).toBe(0);
      const mutatedFile = pcapFile({ network: linkType }, mutated);
      const diff = differences(theirs(dir, `mutated-${linkType}.pcap`, mutatedFile), ours(mutatedFile));
      expect(diff.length / mutated.length, JSON.stringify(diff.slice(0, 3))).toBeLessThanOrEqual(MAX_MUTATED_DIFFERENCE);
    });
  }
});
