import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { readFeatureTable } from '../src/kitnet/feature-table.js';
import { describeShared, readReferenceLines, REFERENCE } from './helpers/shared.js';
import { MAX_LINE_BYTES } from '../src/text-lines.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-features-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

async function read(file: string) {
  const values: number[][] = [];
  const indices: number[] = [];
  const result = await readFeatureTable(file, (x, i) => {
    values.push(Array.from(x));
    indices.push(i);
  });
  return { ...result, values, indices };
}

async function failure(file: string): Promise<InputError> {
  const err = await readFeatureTable(file, () => {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('readFeatureTable', () => {
  it('reads a table saved as UTF-16 or with a UTF-8 byte-order mark as the plain one (index and time skipped)', async () => {
    const text = 'index\ttime\tf0\tf1\n0\t1.5\t2.0\t3.0\n1\t1.75\t4.0\t5.0\n';
    const plain = await read(write('plain-header.tsv', text));
    expect(plain).toMatchObject({ rows: 2, columns: 2, values: [[2, 3], [4, 5]] });
    const utf16 = await read(write('utf16.tsv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])));
    const bom = await read(write('bom.tsv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])));
    expect(utf16).toEqual(plain);
    expect(bom).toEqual(plain);
  });

  it("reads Kitsune-py's headerless TSV with Python reprs", async () => {
    const file = write('plain.tsv', '1.0\t2.5e-05\tnan\n-inf\tinf\t-0.0\n');
    const t = await read(file);
    expect(t).toMatchObject({ rows: 2, columns: 3, indices: [0, 1] });
    expect(t.values).toEqual([
      [1, 2.5e-5, NaN],
      [-Infinity, Infinity, -0],
    ]);
  });

  it('detects gzip by its magic bytes, not the file name', async () => {
    const file = write('compressed.dat', gzipSync('1.5\t2\n3\t4\n'));
    expect(await read(file)).toMatchObject({ rows: 2, columns: 2 });
    expect((await read(file)).values).toEqual([
      [1.5, 2],
      [3, 4],
    ]);
  });

  it('reads extract output: header, leading index and time columns skipped, TSV or CSV, CRLF', async () => {
    const tsv = write('extract.tsv', 'index\ttime\tMI_dir_5_weight\tMI_dir_5_mean\n0\t1418145370.1\t1.0\t60.0\n1\t1418145370.2\t2.0\t61.0\n');
    expect(await read(tsv)).toMatchObject({ rows: 2, columns: 2 });
    expect((await read(tsv)).values).toEqual([
      [1, 60],
      [2, 61],
    ]);
    const csv = write('extract.csv', 'time,MI_dir_5_weight,MI_dir_5_mean\r\n1.5,1.0,60.0\r\n');
    const c = await read(csv);
    expect(c).toMatchObject({ rows: 1, columns: 2 });
    expect(c.values).toEqual([[1, 60]]);
  });

  it('reports a malformed row with the file, the byte offset and the row index', async () => {
    // Row 0 is bytes 0..7 ("1.0\t2.0\n"), row 1 starts at byte 8.
    const err = await failure(write('bad-cell.tsv', '1.0\t2.0\n3.0\tx\n'));
    expect([err.offset, err.packet]).toEqual([8, 1]);
    expect(err.message).toContain('bad-cell.tsv');
    expect(err.reason).toMatch(/column 2 is not a number/);
    const short = await failure(write('short.tsv', '1\t2\n3\n'));
    expect([short.offset, short.packet, short.reason]).toEqual([4, 1, '1 columns, expected 2']);
    const blank = await failure(write('blank.tsv', '1\t2\n\n3\t4\n'));
    expect([blank.offset, blank.packet, blank.reason]).toEqual([4, 1, 'empty row']);
  });

  it(`refuses a line over ${MAX_LINE_BYTES} bytes at its start, whether or not it ends in the file`, async () => {
    const long = '1.0\t'.repeat(MAX_LINE_BYTES / 4) + '1.0';
    for (const tail of ['\n', '']) {
      const err = await failure(write(`long${tail.length}.tsv`, `1.0\t2.0\n${long}${tail}`));
      expect([err.offset, err.packet]).toEqual([8, 1]);
      expect(err.reason).toMatch(/line longer than/);
    }
  });

  it('rejects what Number() would wrongly accept', async () => {
    for (const cell of ['', ' 1', '1 ', '0x10', '0b1', '1,5', 'one']) {
      const err = await failure(write('lax.tsv', `1\t2\n3\t${cell}\n`));
      expect(err.packet).toBe(1);
    }
  });

  it('rejects a corrupt gzip stream and a missing file as InputError', async () => {
    const gz = gzipSync('1\t2\n'.repeat(1000));
    const corrupt = await failure(write('corrupt.gz', gz.subarray(0, gz.length >> 1)));
    expect(corrupt.message).toContain('corrupt.gz');
    await failure(path.join(dir, 'missing.tsv'));
  });
});

describeShared('readFeatureTable on the reference features', () => {
  it('reads features.tsv.gz to the exact doubles', async () => {
    const file = path.join(REFERENCE, 'arp_scan', 'features.tsv.gz');
    const lines = readReferenceLines(file);
    const t = await read(file);
    expect(t).toMatchObject({ rows: lines.length, columns: 100 });
    lines.forEach((line, i) => expect(t.values[i]).toEqual(line.split('\t').map(Number)));
    expect(readFileSync(file)[0]).toBe(0x1f);
  });
});
