import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureBenchCapture, ensureServerManyClientsCapture, ensureSpoofedCapture } from '../src/synth/bench-capture.js';
import { Prng } from '../src/synth/prng.js';
import { SYNTH_VERSION } from '../src/synth/version.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-synth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Source IPv4 of every IPv4 record of a little-endian microsecond pcap, plus the record count. */
function scan(file: string): { packets: number; sources: Set<string>; frameLengthOk: boolean } {
  const buf = readFileSync(file);
  const sources = new Set<string>();
  let packets = 0;
  let frameLengthOk = true;
  for (let o = 24; o < buf.length; ) {
    const caplen = buf.readUInt32LE(o + 8);
    const d = buf.subarray(o + 16, o + 16 + caplen);
    if (d.readUInt16BE(12) === 0x0800) {
      sources.add(d.subarray(26, 30).join('.'));
      frameLengthOk &&= caplen === Math.max(60, 14 + d.readUInt16BE(16));
    }
    packets++;
    o += 16 + caplen;
  }
  return { packets, sources, frameLengthOk };
}

describe('Prng', () => {
  it('is a pure function of the seed', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const xs = Array.from({ length: 100 }, () => a.u32());
    expect(Array.from({ length: 100 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.u32())).not.toEqual(xs);
  });

  it('keeps its helpers in range', () => {
    const r = new Prng(7);
    for (let i = 0; i < 10_000; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const k = r.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
      expect(r.exponential(2)).toBeGreaterThanOrEqual(0);
    }
  });

  it('has the exponential mean it is asked for (within 3 standard errors)', () => {
    const r = new Prng(11);
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += r.exponential(5);
    // An exponential with mean 5 has standard deviation 5: the standard error of the mean is 5 / sqrt(n).
    expect(Math.abs(sum / n - 5)).toBeLessThan((3 * 5) / Math.sqrt(n));
  });
});

describe('cached benchmark captures', () => {
  it('bench: exact packet count, versioned name, generated once', async () => {
    const file = await ensureBenchCapture({ packets: 20_000, dir });
    expect(path.basename(file)).toBe(`bench-v${SYNTH_VERSION}-20000.pcap`);
    const s = scan(file);
    expect(s.packets).toBe(20_000);
    expect(s.frameLengthOk).toBe(true);
    expect(s.sources.size).toBeGreaterThan(100); // hundreds of hosts and remote servers
    const before = statSync(file).mtimeMs;
    expect(await ensureBenchCapture({ packets: 20_000, dir })).toBe(file);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it('server-many-clients: every client has its own address', async () => {
    const file = await ensureServerManyClientsCapture({ clients: 300, dir });
    const s = scan(file);
    // 300 client addresses plus the server's own.
    expect(s.sources.size).toBe(301);
    expect(s.frameLengthOk).toBe(true);
  });

  it('spoofed-sources: exactly the requested number of distinct sources', async () => {
    const file = await ensureSpoofedCapture({ packets: 50_000, sources: 10_000, dir });
    const s = scan(file);
    expect(s.packets).toBe(50_000);
    expect(s.sources.size).toBe(10_000);
    expect(s.frameLengthOk).toBe(true);
  });
});
