import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBuffers } from '../src/capture/reader.js';
import type { CaptureRecord } from '../src/capture/record.js';
import { PacketFields, TsharkFields } from '../src/decode/fields.js';
import { toPacketFields } from '../src/decode/kitsune-row.js';
import { PacketDecoder } from '../src/decode/packet.js';
import { formatDecodeRow } from '../src/output/decode-row.js';
import { CAPTURES } from './helpers/shared.js';

/** Fixed seed: the same inputs on every run. */
const SEED = 20180218;
const LINK_TYPES = [0, 1, 9, 10, 12, 14, 50, 100, 101, 104, 105, 108, 113, 117, 119, 127, 163, 192, 228, 229, 239, 253, 276, 281];

function record(linkType: number, data: Uint8Array, caplen = data.length): CaptureRecord {
  return { index: 0, linkType, sec: 1, frac: 2, caplen, wireLen: data.length, data, file: 'fuzz', offset: 0 };
}

/** Decodes and formats; any exception, or a field built from bytes past the end, fails the property. */
function decodeAndFormat(decoder: PacketDecoder, rec: CaptureRecord): string {
  const t = new TsharkFields();
  const p = new PacketFields();
  decoder.decode(rec, t);
  toPacketFields(t, rec.index, p);
  const row = formatDecodeRow(p);
  // A field read past the captured bytes would show up as text built from undefined bytes.
  expect(row).not.toMatch(/undefined|NaN/);
  return row;
}

/** Real frames to mutate: a few captures' records when ../shared is here, else none. */
function realFrames(): { linkType: number; data: Uint8Array }[] {
  const frames: { linkType: number; data: Uint8Array }[] = [];
  for (const name of ['nmap_udp_scan.pcap', 'amp_dns_rrsig_fragmented.pcap', 'sll_kakaotalk.pcap', 'masscan_tcp_0-1000.pcap']) {
    const file = path.join(CAPTURES, name);
    if (!existsSync(file)) continue;
    parseBuffers([{ name, bytes: readFileSync(file) }], {
      onRecord(rec) {
        if (rec.index % 7 === 0) frames.push({ linkType: rec.linkType, data: rec.data.slice() });
      },
      onFields() {},
    });
  }
  return frames;
}

describe('decodeRecord never throws', () => {
  it('on random bytes under every link type', () => {
    const decoder = new PacketDecoder();
    fc.assert(
      fc.property(fc.constantFrom(...LINK_TYPES), fc.uint8Array({ maxLength: 300 }), (lt, bytes) => {
        expect(typeof decodeAndFormat(decoder, record(lt, bytes))).toBe('string');
      }),
      { seed: SEED, numRuns: 20000 },
    );
  });

  it('on random bytes behind valid Ethernet/IPv4/IPv6 headers (reaches the deeper decoders)', () => {
    const decoder = new PacketDecoder();
    const prefixes = [
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00, 0x45, 0, 0, 60, 0, 1, 0x20, 0],
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 40],
      [0x45, 0, 0, 60, 0, 1, 0, 0, 64],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...prefixes), fc.uint8Array({ maxLength: 200 }), (prefix, bytes) => {
        const data = Uint8Array.from([...prefix, ...bytes]);
        expect(typeof decodeAndFormat(decoder, record(prefix.length === 9 ? 101 : 1, data))).toBe('string');
      }),
      { seed: SEED, numRuns: 20000 },
    );
  });

  const frames = realFrames();
  it.skipIf(frames.length === 0)('on real frames cut at random lengths and with random bytes flipped', () => {
    const decoder = new PacketDecoder();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: frames.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 4 }),
        (i, cutFraction, flips) => {
          const { linkType, data } = frames[i];
          const copy = data.slice();
          for (const [pos, value] of flips) if (copy.length > 0) copy[pos % copy.length] = value;
          const caplen = Math.floor(copy.length * cutFraction);
          expect(typeof decodeAndFormat(decoder, record(linkType, copy.subarray(0, caplen), caplen))).toBe('string');
        },
      ),
      { seed: SEED, numRuns: 20000 },
    );
  });
});
