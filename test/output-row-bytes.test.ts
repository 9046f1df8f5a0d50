import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pyRepr, writeInteger, writePyRepr } from '../src/output/number.js';
import { OutputSink } from '../src/output/sink.js';
import { TableWriter, type Cell } from '../src/output/table.js';

function written(write: (out: Uint8Array, at: number) => number): string {
  const out = new Uint8Array(64);
  const end = write(out, 3);
  return Buffer.from(out.subarray(3, end)).toString('latin1');
}

/** A generator of doubles spread over many binades (xorshift-like, deterministic). */
function* doubles(count: number): Generator<number> {
  let x = 0x9e3779b9;
  for (let i = 0; i < count; i++) {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + i) >>> 0;
    yield (x / 2 ** 32) * 10 ** ((i % 44) - 22) * (i % 3 === 0 ? -1 : 1);
  }
}

describe('writePyRepr', () => {
  it('writes the bytes of pyRepr for any double', () => {
    for (const x of doubles(20000)) expect(written((out, at) => writePyRepr(x, out, at))).toBe(pyRepr(x));
    for (const x of [0, -0, 1, 75, 1e15, 1e16, 5e-324, Number.NaN, Infinity, -Infinity]) {
      expect(written((out, at) => writePyRepr(x, out, at))).toBe(pyRepr(x));
    }
  });
  it('has the digits of String(x) in fixed notation (1e-4 <= |x| < 1e16), with .0 on integers', () => {
    for (const x of doubles(20000)) {
      if (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e16) continue;
      const text = String(x);
      expect(written((out, at) => writePyRepr(x, out, at))).toBe(text.includes('.') ? text : `${text}.0`);
    }
  });
  it('writes capture timestamps (microseconds since 1970) as Python does', () => {
    // Python: repr(1709628000.003313) == '1709628000.003313'; repr(1709628000.1) == '1709628000.1';
    // repr(1709628000.0) == '1709628000.0'; 2^31 + 0.5 is exact: '2147483648.5'.
    expect(written((out, at) => writePyRepr(1709628000.003313, out, at))).toBe('1709628000.003313');
    expect(written((out, at) => writePyRepr(1709628000.1, out, at))).toBe('1709628000.1');
    expect(written((out, at) => writePyRepr(1709628000, out, at))).toBe('1709628000.0');
    expect(written((out, at) => writePyRepr(2147483648.5, out, at))).toBe('2147483648.5');
    // Every microsecond of a few seconds around 2^31 and 2^32 (the binade edges), and nanosecond
    // times that are not microsecond decimals (the general path): always pyRepr's text.
    for (const base of [1e9, 2 ** 30, 2 ** 31 - 2, 2 ** 32 - 2, 1632214645]) {
      for (let us = 0; us < 2_000_000; us += 997) {
        const x = Number(`${base}.${String(us % 1_000_000).padStart(6, '0')}`) + Math.floor(us / 1_000_000);
        expect(written((out, at) => writePyRepr(x, out, at))).toBe(pyRepr(x));
        const ns = x + 1.7e-7;
        expect(written((out, at) => writePyRepr(ns, out, at))).toBe(pyRepr(ns));
      }
    }
  });
});

describe('writeInteger', () => {
  it('writes integers as String() does, beyond 32 bits too', () => {
    for (const n of [0, -0, 7, -7, 10, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, -(2 ** 40) - 1, Number.MAX_SAFE_INTEGER, 1_000_000_000_000]) {
      expect(written((out, at) => writeInteger(n, out, at))).toBe(String(n));
    }
  });
});

describe('TableWriter rows as bytes', () => {
  async function table(format: 'tsv' | 'csv' | 'jsonl', rows: Cell[][]): Promise<string> {
    const chunks: Buffer[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(Buffer.from(chunk));
        callback();
      },
    });
    const sink = OutputSink.toStream(stream);
    const writer = new TableWriter(sink, format, ['index', 'name', 'value'], ['index']);
    writer.header();
    for (const row of rows) writer.row(row);
    await sink.end();
    return Buffer.concat(chunks).toString('utf8');
  }

  it('escapes and encodes text cells as the string path does', async () => {
    const rows: Cell[][] = [
      [0, 'plain', 0.5],
      [1, 'tab\there\r\nand', null],
      [2, 'café ☕ 𝄞', 1e-5],
      [3, 'a,"b"', -0],
      [4, '', Number.NaN],
      [2 ** 40, null, 1709628000.003313],
    ];
    // TSV: tabs and line breaks become spaces; UTF-8 as written; numbers as pyRepr.
    expect(await table('tsv', rows)).toBe(
      'index\tname\tvalue\n0\tplain\t0.5\n1\ttab here  and\t\n2\tcafé ☕ 𝄞\t1e-05\n3\ta,"b"\t-0.0\n4\t\tnan\n1099511627776\t\t1709628000.003313\n',
    );
    // CSV (RFC 4180): quotes around cells with quotes, commas or line breaks, inner quotes doubled.
    expect(await table('csv', rows)).toBe(
      'index,name,value\n0,plain,0.5\n1,"tab\there\r\nand",\n2,café ☕ 𝄞,1e-05\n3,"a,""b""",-0.0\n4,,nan\n1099511627776,,1709628000.003313\n',
    );
  });

  it('JSON Lines: infinities as Python spells them, NaN and empty cells as null', async () => {
    const rows: Cell[][] = [[0, 'a', -Infinity], [1, 'b', Infinity], [2, '', Number.NaN], [3, null, -0]];
    expect(await table('jsonl', rows)).toBe(
      '{"index":0,"name":"a","value":"-inf"}\n{"index":1,"name":"b","value":"inf"}\n' +
        '{"index":2,"name":null,"value":null}\n{"index":3,"name":null,"value":0}\n',
    );
  });

  it('writes rows longer than a chunk, and many rows across chunks, in order', async () => {
    const long = 'x'.repeat(70_000);
    const rows: Cell[][] = [];
    for (let i = 0; i < 3000; i++) rows.push([i, i === 1500 ? long : `n${i}`, i / 8]);
    const text = await table('tsv', rows);
    const lines = text.split('\n');
    expect(lines.length).toBe(3002);
    expect(lines[1501]).toBe(`1500\t${long}\t187.5`);
    expect(lines[3000]).toBe('2999\tn2999\t374.875');
  });
});
