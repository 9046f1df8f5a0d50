import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_FILES, generateFixtures, SAMPLE_AD_GRACE, SAMPLE_FM_GRACE } from '../src/synth/fixtures.js';
import { ROOT } from './helpers/shared.js';

/** Minimal readers, independent of the writers: every record's time, lengths and bytes. */
interface Rec {
  sec: number;
  usec: number;
  caplen: number;
  len: number;
  data: Buffer;
}

function readPcap(buf: Buffer): Rec[] {
  expect(buf.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(buf.readUInt32LE(20)).toBe(1); // Ethernet
  const out: Rec[] = [];
  for (let o = 24; o < buf.length; ) {
    const caplen = buf.readUInt32LE(o + 8);
    out.push({ sec: buf.readUInt32LE(o), usec: buf.readUInt32LE(o + 4), caplen, len: buf.readUInt32LE(o + 12), data: buf.subarray(o + 16, o + 16 + caplen) });
    o += 16 + caplen;
  }
  return out;
}

function readPcapng(buf: Buffer): Rec[] {
  const out: Rec[] = [];
  let sawIdb = false;
  for (let o = 0; o < buf.length; ) {
    const type = buf.readUInt32LE(o);
    const total = buf.readUInt32LE(o + 4);
    expect(buf.readUInt32LE(o + total - 4)).toBe(total);
    if (type === 1) {
      sawIdb = true;
      expect(buf.readUInt16LE(o + 8)).toBe(1);
    } else if (type === 6) {
      // No if_tsresol option: microseconds, so ts = high * 2^32 + low is a count of microseconds.
      const ts = buf.readUInt32LE(o + 12) * 2 ** 32 + buf.readUInt32LE(o + 16);
      const caplen = buf.readUInt32LE(o + 20);
      out.push({ sec: Math.floor(ts / 1e6), usec: ts % 1e6, caplen, len: buf.readUInt32LE(o + 24), data: buf.subarray(o + 28, o + 28 + caplen) });
    }
    o += total;
  }
  expect(sawIdb).toBe(true);
  return out;
}

const FIXTURES = path.join(ROOT, 'fixtures');
let fresh: string;

beforeAll(() => {
  fresh = mkdtempSync(path.join(tmpdir(), 'kitsune-fixtures-'));
  generateFixtures(fresh);
});
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('committed fixtures', () => {
  it.each(FIXTURE_FILES)('%s regenerates byte for byte (deterministic and fresh)', (name) => {
    expect(readFileSync(path.join(fresh, name)).equals(readFileSync(path.join(FIXTURES, name)))).toBe(true);
  });

  it('sample.pcap and sample.pcapng hold the same packets', () => {
    const a = readPcap(readFileSync(path.join(FIXTURES, 'sample.pcap')));
    const b = readPcapng(readFileSync(path.join(FIXTURES, 'sample.pcapng')));
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      expect([b[i].sec, b[i].usec, b[i].caplen, b[i].len]).toEqual([a[i].sec, a[i].usec, a[i].caplen, a[i].len]);
      expect(b[i].data.equals(a[i].data)).toBe(true);
    }
  });

  it('frames are well formed: lengths, padding, time order', () => {
    for (const name of ['sample.pcap', 'tiny.pcap']) {
      const recs = readPcap(readFileSync(path.join(FIXTURES, name)));
      let previous = 0;
      for (const r of recs) {
        expect(r.caplen).toBe(r.len); // wire length = frame length
        const t = r.sec * 1e6 + r.usec;
        expect(t).toBeGreaterThanOrEqual(previous);
        previous = t;
        const d = r.data;
        const etherType = d.readUInt16BE(12);
        // Frames below the 60-byte Ethernet minimum are zero-padded to it; nothing else is appended.
        let body: number;
        if (etherType === 0x0800) {
          body = d.readUInt16BE(16); // IPv4 total length
          expect(d[14]).toBe(0x45);
          if (d[23] === 17) expect(d.readUInt16BE(38)).toBe(body - 20); // UDP length
        } else if (etherType === 0x86dd) {
          body = 40 + d.readUInt16BE(18); // IPv6 header + payload length
        } else {
          expect(etherType).toBe(0x0806);
          body = 28;
        }
        expect(r.len).toBe(Math.max(60, 14 + body));
        expect(d.subarray(14 + body).every((b) => b === 0)).toBe(true);
      }
    }
  });

  it('IPv4 header checksums verify (the one-complement sum over the header is 0xffff)', () => {
    const recs = readPcap(readFileSync(path.join(FIXTURES, 'tiny.pcap')));
    for (const r of recs.filter((x) => x.data.readUInt16BE(12) === 0x0800)) {
      let sum = 0;
      for (let i = 14; i < 34; i += 2) sum += r.data.readUInt16BE(i);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      expect(sum).toBe(0xffff);
    }
  });

  it('labels match the capture', () => {
    const labels = JSON.parse(readFileSync(path.join(FIXTURES, 'sample.labels.json'), 'utf8'));
    const recs = readPcap(readFileSync(path.join(FIXTURES, 'sample.pcap')));
    expect(labels.packets).toBe(recs.length);
    expect(labels.grace).toEqual({ fmGrace: SAMPLE_FM_GRACE, adGrace: SAMPLE_AD_GRACE, firstScoredIndex: SAMPLE_FM_GRACE + SAMPLE_AD_GRACE + 1 });
    expect(labels.attackStartIndex).toBeGreaterThan(labels.grace.firstScoredIndex);
    const scan = labels.attacks.portScan;
    expect(scan.first).toBe(labels.attackStartIndex);
    // The first attack packet is a bare SYN from the attacker to the victim.
    const first = recs[labels.attackStartIndex].data;
    const ip = (o: number): string => Array.from(first.subarray(o, o + 4)).join('.');
    expect(ip(26)).toBe(labels.attacker.ipv4);
    expect(ip(30)).toBe(labels.victim.ipv4);
    expect(first[47]).toBe(0x02);
    // Each of the 1024 ports is probed once: a SYN, then RST-ACK (closed) or SYN-ACK + RST (open).
    const open = labels.victim.openPorts.length;
    expect(scan.packets).toBe(2 * 1024 + open);
    const flood = labels.attacks.synFlood;
    expect(flood.first).toBeGreaterThan(scan.last);
    expect(flood.last).toBeLessThan(labels.packets);
    for (const phase of [scan, flood]) {
      const counted = phase.ranges.reduce((n: number, [a, b]: [number, number]) => n + b - a + 1, 0);
      expect(counted).toBe(phase.packets);
    }
  });
});

const tshark = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
const HAVE_TSHARK = tshark.status === 0;
const describeTshark = HAVE_TSHARK || process.env.CI ? describe : describe.skip;

describeTshark('tshark reads the fixtures', () => {
  it.each([
    ['sample.pcap', 'sample.labels.json'],
    ['sample.pcapng', 'sample.labels.json'],
    ['tiny.pcap', 'tiny.labels.json'],
  ])('%s: no warning, same packet count', (file, labelsFile) => {
    const labels = JSON.parse(readFileSync(path.join(FIXTURES, labelsFile), 'utf8'));
    const run = spawnSync('tshark', ['-n', '-r', path.join(FIXTURES, file), '-T', 'fields', '-e', 'frame.number', '-e', '_ws.malformed', '-e', '_ws.expert.severity'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status).toBe(0);
    // tshark's only stderr line when run as root is its privilege notice.
    const stderr = run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('Running as user'));
    expect(stderr).toEqual([]);
    const rows = run.stdout.split('\n');
    expect(rows.pop()).toBe('');
    expect(rows.length).toBe(labels.packets);
    expect(rows.filter((r) => r.split('\t')[1] !== '')).toEqual([]); // no malformed packet
    expect(rows.filter((r) => r.split('\t')[2] === 'Error')).toEqual([]); // no expert error
  });
});
