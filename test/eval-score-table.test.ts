import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { MAX_LINE_BYTES } from '../src/text-lines.js';
import { ALERT_EMPTY, PHASE_EXEC, PHASE_MAP, PHASE_TRAIN, parseScoreTable, readScoreTable } from '../src/eval/score-table.js';

const TSV = [
  'index\ttime\tsrc\tdst\tsport\tdport\tproto\trmse\tphase\tlogp\talert\ttop_features',
  '0\t1500000000.25\t10.0.0.1\t10.0.0.2\t53\t1024\tudp\t0.0\tmap\t\t\t',
  '1\t1500000000.5\t10.0.0.2\t10.0.0.1\t\t\tarp\t0.0\ttrain\t\t\t',
  '2\t1500000001.0\t10.0.0.1\t10.0.0.3\t80\t4000\ttcp\t0.125\texec\t-0.5\t0\tx',
  '3\t1500000002.0\t10.0.0.3\t10.0.0.1\t4000\t80\ttcp\t7.5\texec\t-12.25\t1\ty',
  '',
].join('\n');

describe('score table reader', () => {
  it('reads TSV into typed columns, empty cells as NaN / ALERT_EMPTY', () => {
    const t = parseScoreTable(TSV);
    expect(t.length).toBe(4);
    expect(Array.from(t.index)).toEqual([0, 1, 2, 3]);
    expect(t.time[0]).toBe(1500000000.25);
    expect(Array.from(t.rmse)).toEqual([0, 0, 0.125, 7.5]);
    expect(Array.from(t.phase)).toEqual([PHASE_MAP, PHASE_TRAIN, PHASE_EXEC, PHASE_EXEC]);
    expect(t.logp[1]).toBeNaN();
    expect(t.logp[3]).toBe(-12.25);
    expect(Array.from(t.alert)).toEqual([ALERT_EMPTY, ALERT_EMPTY, 0, 1]);
    expect(t.src).toBeUndefined();
  });

  it('interns src and dst when asked', () => {
    const t = parseScoreTable(TSV, 'x', { hosts: true });
    expect(t.hosts).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(Array.from(t.src!)).toEqual([0, 1, 0, 2]);
    expect(Array.from(t.dst!)).toEqual([1, 0, 2, 0]);
  });

  it('reads CSV with quoted cells and CRLF, and JSONL with the same keys', () => {
    const csv = 'index,time,src,dst,sport,dport,proto,rmse,phase,logp,alert,top_features\r\n' +
      '5,1.5,a,b,,,udp,0.25,exec,-3.5,1,"f1,f2"\r\n';
    const c = parseScoreTable(csv);
    expect([c.index[0], c.rmse[0], c.logp[0], c.alert[0], c.phase[0]]).toEqual([5, 0.25, -3.5, 1, PHASE_EXEC]);
    const jsonl = '{"index":7,"time":2.5,"src":"a","dst":"b","rmse":1e-05,"phase":"exec","logp":null,"alert":null}\n' +
      '{"index":8,"time":3,"rmse":"inf","phase":"exec","logp":-1,"alert":1}\n';
    const j = parseScoreTable(jsonl, 'j', { hosts: true });
    expect([j.index[0], j.rmse[0], j.alert[0]]).toEqual([7, 1e-5, ALERT_EMPTY]);
    expect(j.logp[0]).toBeNaN();
    expect([j.rmse[1], j.alert[1]]).toEqual([Infinity, 1]);
    expect(j.hosts).toEqual(['a', 'b', '']);
  });

  it('reads a bare list of scores (Kitsune-py RMSEs): 0.0 rows are grace, the rest executed', () => {
    const t = parseScoreTable('0.0\n0.0\n0.5\n2.0\n');
    expect(Array.from(t.index)).toEqual([0, 1, 2, 3]);
    expect(Array.from(t.phase)).toEqual([PHASE_TRAIN, PHASE_TRAIN, PHASE_EXEC, PHASE_EXEC]);
  });

  it('rejects a header without rmse and a non-numeric rmse, naming the offset', () => {
    expect(() => parseScoreTable('index\ttime\n1\t2\n')).toThrow(/no rmse column/);
    try {
      parseScoreTable('index\trmse\n0\t0.5\n1\tabc\n', 'bad.tsv');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      // Header (10 bytes + newline) and the first row (5 + 1) come before the bad row: offset 17.
      expect((error as InputError).offset).toBe(17);
      expect((error as InputError).packet).toBe(1);
    }
  });

  it('refuses index cells that are not packet numbers (an empty one stands for the row position)', () => {
    for (const bad of ['1.5', '-1', '0x10', 'nan', 'inf', '1e3']) {
      expect(() => parseScoreTable(`index\trmse\n0\t0.1\n${bad}\t0.2\n`, 'i.tsv')).toThrow(`i.tsv: offset 17, packet 1: index is not a packet number: '${bad}'`);
    }
    expect(() => parseScoreTable('{"index":2.5,"rmse":0.1}\n', 'i.jsonl')).toThrow(/index is not a packet number: '2\.5'/);
    expect(Array.from(parseScoreTable('index\trmse\n\t0.1\n7\t0.2\n').index)).toEqual([0, 7]);
    // Numbers as Python's float() reads them: a padded decimal and inf pass, JavaScript's hex does not.
    expect(Array.from(parseScoreTable('index\trmse\n0\t 0.5 \n1\tinf\n').rmse)).toEqual([0.5, Infinity]);
    expect(() => parseScoreTable('index\trmse\n0\t0x10\n')).toThrow(/rmse is not a number: '0x10'/);
  });

  it('refuses a table without rows: empty, a header alone, or lines ended by carriage returns only', () => {
    expect(() => parseScoreTable('', 'e.tsv')).toThrow(/^e\.tsv: offset 0, packet 0: no score rows/);
    expect(() => parseScoreTable('index\trmse\n', 'h.tsv')).toThrow(/^h\.tsv: offset 11, packet 0: no score rows/);
    expect(() => parseScoreTable('index\trmse\r0\t0.5\r1\t0.7\r', 'cr.tsv')).toThrow(/^cr\.tsv: offset 0, packet 0: /);
  });

  it('counts offsets in the file\'s bytes, also after bytes that are not UTF-8', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kitsune-table-')), 'latin.tsv');
    // Header 'index\tsrc\trmse' is 14 bytes + newline; row 0 is 10 bytes + newline (its four 0xff
    // bytes each decode to a three-byte U+FFFD, which used to count 8 more): the bad row is at 26.
    writeFileSync(file, Buffer.concat([Buffer.from('index\tsrc\trmse\n0\t'), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from('\t0.5\n1\ta\tbad\n')]));
    await expect(readScoreTable(file)).rejects.toMatchObject({ offset: 26, packet: 1 });
  });

  it('reads a table saved as UTF-16 or with a byte-order mark (Windows PowerShell redirections)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-table-'));
    const text = 'index\trmse\tphase\n0\t0.0\ttrain\n1\t0.25\texec\n';
    const utf16 = path.join(dir, 'utf16.tsv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const bom = path.join(dir, 'bom.tsv');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    for (const file of [utf16, bom]) expect(Array.from((await readScoreTable(file)).rmse)).toEqual([0, 0.25]);
  });

  it('refuses binary data (a capture given by mistake) without quoting it', () => {
    // A little-endian pcap header: magic d4 c3 b2 a1 (not UTF-8: decoded as U+FFFD).
    const pcapHeader = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex').toString('utf8');
    expect(() => parseScoreTable(pcapHeader, 'x.pcap')).toThrow(/^x\.pcap: offset 0, packet 0: binary data, not a score table/);
  });

  it('streams files, gzipped or not, with the same result', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-table-'));
    const plain = path.join(dir, 's.tsv');
    const packed = path.join(dir, 's.tsv.gz');
    // Enough rows to span several read chunks (64 KiB each).
    const rows = Array.from({ length: 20000 }, (_, i) => `${i}\t${i}\ta\tb\t\t\tudp\t${(i % 97) / 8}\texec\t\t`);
    const text = [TSV.split('\n')[0], ...rows].join('\n') + '\n';
    writeFileSync(plain, text);
    writeFileSync(packed, gzipSync(text));
    const a = await readScoreTable(plain);
    const b = await readScoreTable(packed);
    expect(a.length).toBe(20000);
    expect(a.rmse[19999]).toBe((19999 % 97) / 8);
    expect(Array.from(b.rmse)).toEqual(Array.from(a.rmse));
    await expect(readScoreTable(path.join(dir, 'missing.tsv'))).rejects.toThrow(InputError);
  });

  it(`refuses a line over ${MAX_LINE_BYTES} characters at its start, whether or not it ends in the file`, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kitsune-table-'));
    const header = TSV.split('\n')[0];
    for (const tail of ['\n', '']) {
      const file = path.join(dir, `long${tail.length}.tsv`);
      writeFileSync(file, `${header}\n${'x'.repeat(MAX_LINE_BYTES + 1)}${tail}`);
      await expect(readScoreTable(file)).rejects.toMatchObject({ offset: header.length + 1, packet: 0, reason: expect.stringMatching(/line longer than/) });
    }
  });
});
