import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parseBuffers, readInputs, readSources } from '../src/capture/reader.js';
import { pythonFloat, pythonInt } from '../src/capture/tsv.js';
import { MAX_LINE_BYTES } from '../src/text-lines.js';
import { TSHARK_FIELD_NAMES, type TsharkFields } from '../src/decode/fields.js';
import { InputError } from '../src/errors.js';
import { REFERENCE, describeShared, readReferenceLines } from './helpers/shared.js';

/** TsharkFields values in TSHARK_FIELD_NAMES order, numbers as numbers. */
function values(f: TsharkFields): (string | number)[] {
  return [
    f.timeEpoch, f.frameLen, f.ethSrc, f.ethDst, f.ipSrc, f.ipDst, f.tcpSrcport, f.tcpDstport, f.udpSrcport,
    f.udpDstport, f.icmpType, f.icmpCode, f.arpOpcode, f.arpSrcHwMac, f.arpSrcProtoIpv4, f.arpDstHwMac,
    f.arpDstProtoIpv4, f.ipv6Src, f.ipv6Dst,
  ];
}

interface Row {
  index: number;
  offset: number;
  file: string;
  values: (string | number)[];
}

function parseText(text: string, chunkSize?: number): { rows: Row[]; error: unknown } {
  const rows: Row[] = [];
  try {
    parseBuffers(
      [{ name: 't', bytes: new TextEncoder().encode(text) }],
      {
        onRecord: () => {
          throw new Error('unexpected binary input');
        },
        onFields: (f, index, file, offset) => rows.push({ index, offset, file, values: values(f) }),
      },
      chunkSize,
    );
    return { rows, error: null };
  } catch (error) {
    return { rows, error };
  }
}

const HEADER = TSHARK_FIELD_NAMES.join('\t');
// An ARP row and a TCP row in tshark's layout (19 columns, empty where a field is absent).
const ARP = ['1.5', '60', 'aa:aa:aa:aa:aa:aa', 'ff:ff:ff:ff:ff:ff', '', '', '', '', '', '', '', '', '1', 'aa:aa:aa:aa:aa:aa', '10.0.0.1', '00:00:00:00:00:00', '10.0.0.2', '', ''];
const TCP = ['1418145370.052027262', '74', 'a', 'b', '10.0.0.1', '10.0.0.2', '443', '51000', '', '', '', '', '', '', '', '', '', '', ''];
const expected = (cells: string[]) => [Number(cells[0]), Number(cells[1]), ...cells.slice(2)];

describe('tshark TSV input', () => {
  it('with a header row: fields by name, line offsets, packet indices', () => {
    const text = `${HEADER}\n${ARP.join('\t')}\n${TCP.join('\t')}\n`;
    const { rows, error } = parseText(text);
    expect(error).toBeNull();
    const firstRow = HEADER.length + 1;
    expect(rows).toEqual([
      { index: 0, offset: firstRow, file: 't', values: expected(ARP) },
      { index: 1, offset: firstRow + ARP.join('\t').length + 1, file: 't', values: expected(TCP) },
    ]);
  });

  it('without a header: the 19 columns in Kitsune-py order', () => {
    const { rows } = parseText(`${TCP.join('\t')}\n${ARP.join('\t')}`); // no final newline either
    expect(rows.map((r) => r.values)).toEqual([expected(TCP), expected(ARP)]);
  });

  it('reordered, extra and missing columns are matched by header name', () => {
    // Columns: ip.dst, extra, frame.len, frame.time_epoch, ip.src (the other 15 fields missing -> empty).
    const text = 'ip.dst\tframe.number\tframe.len\tframe.time_epoch\tip.src\n10.0.0.2\t7\t74\t12.25\t10.0.0.1\n';
    const { rows } = parseText(text);
    const want = ['12.25', '74', '', '', '10.0.0.1', '10.0.0.2', ...Array(13).fill('')];
    expect(rows.map((r) => r.values)).toEqual([expected(want)]);
  });

  it('CRLF line ends, blank lines skipped, and any chunk size', () => {
    const text = `${HEADER}\r\n${ARP.join('\t')}\r\n\r\n${TCP.join('\t')}\r\n`;
    const whole = parseText(text);
    expect(whole.rows.map((r) => r.values)).toEqual([expected(ARP), expected(TCP)]);
    for (const size of [1, 7, 64]) expect(parseText(text, size)).toEqual(whole);
  });

  it('a malformed number is an InputError at its line, after the rows before it', () => {
    const bad = [...TCP];
    bad[0] = '12:30';
    const text = `${HEADER}\n${ARP.join('\t')}\n${bad.join('\t')}\n`;
    const { rows, error } = parseText(text);
    expect(rows.length).toBe(1);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ offset: HEADER.length + 1 + ARP.join('\t').length + 1, packet: 1 });
    const badLen = [...TCP];
    badLen[1] = '74.0'; // Python int('74.0') raises
    expect(parseText(`${badLen.join('\t')}\n`).error).toBeInstanceOf(InputError);
    expect(parseText(`${[...TCP.slice(0, 1), ''].join('\t')}\n`).error).toBeInstanceOf(InputError);
  });

  it('a frame.len beyond 2^53 is an InputError (Python would keep it exact; no frame is that long)', () => {
    const row = (len: string) => [TCP[0], len, ...TCP.slice(2)].join('\t');
    expect(parseText(`${row(String(2 ** 53 - 1))}\n`).error).toBeNull();
    for (const len of [String(2 ** 53 + 2), '1' + '0'.repeat(21), '9'.repeat(400)]) {
      const { rows, error } = parseText(`${ARP.join('\t')}\n${row(len)}\n`);
      expect(rows.length).toBe(1);
      expect(error).toMatchObject({ offset: ARP.join('\t').length + 1, packet: 1 });
      expect((error as Error).message).toMatch(/frame\.len .* is too large/);
      expect((error as Error).message.length).toBeLessThan(200);
    }
  });

  it(`a line over ${MAX_LINE_BYTES} bytes is an InputError at its start, before it is held whole (any chunk size)`, () => {
    // Without a header the 19 columns come first; a 20th column pads the row to the length wanted.
    const padded = (bytes: number) => {
      const row = `${TCP.join('\t')}\t`;
      return row + 'x'.repeat(bytes - row.length);
    };
    const longest = `${padded(MAX_LINE_BYTES)}\n`;
    const tooLong = `${ARP.join('\t')}\n${padded(MAX_LINE_BYTES + 1)}\n${ARP.join('\t')}\n`;
    for (const size of [undefined, 65536]) {
      expect(parseText(longest, size)).toMatchObject({ error: null, rows: [{ values: expected(TCP) }] });
      expect(parseText(longest.slice(0, -1), size)).toMatchObject({ error: null, rows: [{ values: expected(TCP) }] });
      const { rows, error } = parseText(tooLong, size);
      expect(rows.length).toBe(1);
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ offset: ARP.join('\t').length + 1, packet: 1 });
      expect(parseText(tooLong.slice(ARP.join('\t').length + 1, -ARP.join('\t').length - 2), size).error).toMatchObject({ offset: 0, packet: 0 });
    }
  });

  it('text saved by Windows tools: a UTF-8 BOM, or UTF-16 (LE or BE) with its BOM, reads as the plain text', async () => {
    const text = `${HEADER}\r\n${ARP.join('\t')}\r\n${TCP.join('\t')}\r\n`;
    const utf16 = (le: boolean): Uint8Array => {
      const out = new Uint8Array(2 + 2 * text.length);
      out.set(le ? [0xff, 0xfe] : [0xfe, 0xff]);
      for (let i = 0; i < text.length; i++) out.set(le ? [text.charCodeAt(i), 0] : [0, text.charCodeAt(i)], 2 + 2 * i);
      return out;
    };
    const variants = [Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]), utf16(true), utf16(false)];
    const want = [expected(ARP), expected(TCP)];
    for (const bytes of variants) {
      const rows: (string | number)[][] = [];
      const handlers = { onRecord: () => undefined, onFields: (f: TsharkFields) => rows.push(values(f)) };
      parseBuffers([{ name: 'w', bytes }], handlers);
      expect(rows).toEqual(want);
      // Streaming, with the mark split across chunks.
      rows.length = 0;
      await readSources([{ name: 'w', source: bytes }], handlers, { chunkSize: 1 });
      expect(rows).toEqual(want);
    }
  });

  it('continues the packet count after binary inputs and across text inputs', async () => {
    const seen: number[] = [];
    const text = new TextEncoder().encode(`${TCP.join('\t')}\n`);
    const r = await readSources(
      [
        { name: 'a', source: text },
        { name: 'b', source: text },
      ],
      { onRecord: () => undefined, onFields: (_f, index) => seen.push(index) },
    );
    expect(r.packets).toBe(2);
    expect(seen).toEqual([0, 1]);
  });
});

describe('Python float() and int() syntax', () => {
  it('accepts what Python accepts', () => {
    expect(pythonFloat('1418145370.1000000000')).toBe(1418145370.1);
    expect(pythonFloat(' -1.5e3 ')).toBe(-1500);
    expect(pythonFloat('1_0.5')).toBe(10.5);
    expect(pythonFloat('.5')).toBe(0.5);
    expect(pythonFloat('5.')).toBe(5);
    expect(pythonFloat('-inf')).toBe(-Infinity);
    expect(pythonFloat('Infinity')).toBe(Infinity);
    expect(pythonFloat('nan')).toBeNaN();
    expect(pythonInt(' +42 ')).toBe(42);
    expect(pythonInt('1_000')).toBe(1000);
  });

  it('rejects what Python rejects', () => {
    for (const s of ['', ' ', '0x10', '1__0', '_1', '1.2.3', 'e5', '12:30', 'infinite']) expect(pythonFloat(s)).toBeUndefined();
    for (const s of ['', '1.0', '1e3', '0x10', '1_', '--1']) expect(pythonInt(s)).toBeUndefined();
  });
});

describeShared("Kitsune-py's tshark output (reference packets.tsv.gz, read gzipped as it is)", () => {
  for (const name of ['arp_scan', 'sll_kakaotalk', 'amp_dns_rrsig_fragmented']) {
    it(name, async () => {
      const file = path.join(REFERENCE, name, 'packets.tsv.gz');
      const lines = readReferenceLines(file).slice(1);
      const got: string[] = [];
      const times: number[] = [];
      await readInputs([file], {
        onRecord: () => undefined,
        onFields: (f) => {
          const v = values(f);
          got.push([String(v[0]), ...v.slice(1)].join('\t'));
          times.push(f.timeEpoch);
        },
      });
      expect(got.length).toBe(lines.length);
      for (let i = 0; i < lines.length; i++) {
        const cells = lines[i].split('\t');
        // Same fields as the row text; the time is Python's float() of the column (Number() rounds alike).
        expect(times[i]).toBe(Number(cells[0]));
        expect(got[i]).toBe([String(Number(cells[0])), String(Number(cells[1])), ...cells.slice(2)].join('\t'));
      }
    });
  }
});
