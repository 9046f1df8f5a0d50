import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { labelsFromHosts, labelsFromIndex, labelsFromSpans, MAX_LABELS_BYTES, parseLabelSpans } from '../src/eval/labels.js';
import { textBytes } from '../src/text-file.js';
import { parseScoreTable } from '../src/eval/score-table.js';
import { InputError, UsageError } from '../src/errors.js';

/** Ten executed rows with index 0..9, alternating hosts. */
const HEADER = 'index\ttime\tsrc\tdst\tsport\tdport\tproto\trmse\tphase\tlogp\talert';
const ROWS = Array.from({ length: 10 }, (_, i) => `${i}\t${i}.5\t10.0.0.${i % 3}\t10.0.0.9\t\t\tudp\t0.${i + 1}\texec\t\t`);
const TABLE = parseScoreTable([HEADER, ...ROWS].join('\n'), 't.tsv', { hosts: true });

const labelsOf = (text: string) => Array.from(labelsFromSpans(TABLE, parseLabelSpans(text)));

describe('labels file', () => {
  it('reads bare indexes and ranges as attacks; unlisted packets are benign', () => {
    expect(labelsOf('1\n4-6\n')).toEqual([0, 1, 0, 0, 1, 1, 1, 0, 0, 0]);
  });

  it('reads INDEX,LABEL and RANGE,LABEL with words or 0/1, later lines overriding', () => {
    expect(labelsOf('0-9,attack\n2\tbenign\n5,0\n')).toEqual([1, 1, 0, 1, 1, 0, 1, 1, 1, 1]);
    expect(labelsOf('3 malicious\n# comment\n\n8,1\n')).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
  });

  it('reads two columns START,END and three columns START,END,LABEL', () => {
    expect(labelsOf('2,4\n')).toEqual([0, 0, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(labelsOf('0,9,1\n3,7,normal\n')).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 1, 1]);
  });

  it('takes columns by header name', () => {
    expect(labelsOf('label,packet\nattack,7\n')).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(labelsOf('start\tend\tclass\n1\t2\tmalicious\n')).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('clips ranges past the last packet and rejects malformed lines', () => {
    expect(labelsOf('8-1000000000\n')).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    expect(() => parseLabelSpans('5-2\n')).toThrow(InputError);
    expect(() => parseLabelSpans('1,maybe\n')).toThrow(/unknown label|packet index/);
    expect(() => parseLabelSpans('3\nx\n')).toThrow(InputError);
    // Line 4 of the file (after a comment and a blank line), at byte 2 + 10 + 1 = 13.
    expect(() => parseLabelSpans('3\n# comment\n\n1,maybe\n', 'l.csv')).toThrow(/^l\.csv: offset 13, line 4: expected a packet index: '1,maybe'/);
    // Offsets count the file's bytes: four 0xff bytes in a comment are four, not four U+FFFD of three.
    const latin = Buffer.concat([Buffer.from('# '), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from('\n7\nbad\n')]);
    expect(() => parseLabelSpans(latin, 'x.csv')).toThrow(/^x\.csv: offset 9, line 3: /);
  });
});

describe('labels files as Windows tools and compressors save them', () => {
  it('reads gzip, UTF-16 with its mark and UTF-8 with a mark as the same text', () => {
    const text = '7\n2-3,attack\n';
    const forms = [
      Buffer.from(text),
      gzipSync(text),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    ];
    for (const bytes of forms) expect(parseLabelSpans(textBytes(bytes, MAX_LABELS_BYTES))).toEqual([{ first: 7, last: 7, attack: true }, { first: 2, last: 3, attack: true }]);
  });
});

describe('labels of far-apart and unordered indices', () => {
  it('labels rows by the last span naming them, whatever the size of the indices', () => {
    // Rows out of order, one index near 5e9 and one repeated; spans apply in file order.
    const text = ['index\trmse', ...[7, 5e9, 3, 7, 0].map((index) => `${index}\t0.5`)].join('\n') + '\n';
    const table = parseScoreTable(text);
    const spans = parseLabelSpans('0-99999999999\n3-7,benign\n7,attack\n');
    // 0: first span only; 3: benign (second); 7 (twice): attack (third); 5e9: first span.
    expect(Array.from(labelsFromSpans(table, spans))).toEqual([1, 1, 0, 1, 1]);
  });
});

describe('--attack-hosts and --attack-from', () => {
  it('marks rows whose src or dst is listed', () => {
    // src cycles 10.0.0.0/1/2 by index mod 3; dst is always 10.0.0.9.
    expect(Array.from(labelsFromHosts(TABLE, '10.0.0.1'))).toEqual([0, 1, 0, 0, 1, 0, 0, 1, 0, 0]);
    expect(Array.from(labelsFromHosts(TABLE, '10.0.0.9')).every((v) => v === 1)).toBe(true);
    expect(() => labelsFromHosts(TABLE, ' , ')).toThrow(UsageError);
    // A bare score list has no addresses to match.
    expect(() => labelsFromHosts(parseScoreTable('0.5\n', 'b', { hosts: true }), '10.0.0.1')).toThrow(/src and dst/);
  });

  it('marks rows from an index on', () => {
    expect(Array.from(labelsFromIndex(TABLE, 7))).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });
});
