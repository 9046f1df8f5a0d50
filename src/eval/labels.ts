import { UsageError, InputError } from '../errors.js';
import type { ScoreTable } from './score-table.js';

/**
 * Ground truth for `kitsune eval`: one 0/1 label per row of a score table, from one of
 *
 * 1. A labels file (CSV, TSV or whitespace separated; `#` starts a comment line; blank lines are
 *    skipped). Each line names packets by their index (counted from 0, as the score table's
 *    `index` column; Wireshark's frame numbers are index + 1) and optionally a label:
 *      INDEX                      packet INDEX is an attack
 *      START-END                  packets START..END inclusive are attacks
 *      INDEX,LABEL  START-END,LABEL
 *      START,END,LABEL            (three columns: a range)
 *      START,END                  (two columns whose second is not a label word: a range)
 *    LABEL is 1/attack/malicious/anomaly/anomalous/true/yes (attack) or 0/benign/normal/false/no.
 *    Two columns `A,B` with B = 0 or 1 read as INDEX,LABEL; write a range `A-B` to mean a range.
 *    An optional header line (first field not a number) may name the columns: index/packet/frame
 *    (-> INDEX), start/from/first and end/to/last (-> range), label/class/attack/malicious; with a
 *    header, columns are taken by name. Lines apply in order, later ones overriding earlier ones
 *    (so "0-999,benign" then "500,attack" works). Packets the file does not name are benign.
 * 2. `--attack-hosts IP,...`: a row is an attack when its src or dst is listed (compared as text,
 *    case-insensitively, so IPv6 and MAC spellings must match the table's).
 * 3. `--attack-from N`: rows with index >= N are attacks.
 */

const ATTACK_WORDS = new Set(['1', 'attack', 'malicious', 'anomaly', 'anomalous', 'true', 'yes']);
const BENIGN_WORDS = new Set(['0', 'benign', 'normal', 'false', 'no']);
const INDEX_NAMES = new Set(['index', 'packet', 'frame', 'idx']);
const START_NAMES = new Set(['start', 'from', 'first']);
const END_NAMES = new Set(['end', 'to', 'last']);
const LABEL_NAMES = new Set(['label', 'class', 'attack', 'malicious']);
const NEWLINE_BYTE = 0x0a;
const RANGE = /^(\d+)\s*-\s*(\d+)$/;
const INTEGER = /^\d+$/;

/** Largest labels file accepted once gunzipped: far beyond any list of indices or ranges. */
export const MAX_LABELS_BYTES = 256 * 1024 * 1024;

/** One line of a labels file: packets first..last (inclusive) get `attack`. */
export interface LabelSpan {
  first: number;
  last: number;
  attack: boolean;
}

function labelWord(text: string): boolean | undefined {
  const word = text.trim().toLowerCase();
  if (ATTACK_WORDS.has(word)) return true;
  if (BENIGN_WORDS.has(word)) return false;
  return undefined;
}

function splitFields(line: string): string[] {
  const separator = line.includes('\t') ? '\t' : line.includes(',') ? ',' : /\s+/;
  return line.trim().split(separator).map((f) => f.trim());
}

/** Parses a labels file's text into spans, in file order. */
export function parseLabelSpans(text: string | Buffer, file = '<labels>'): LabelSpan[] {
  const spans: LabelSpan[] = [];
  let header: { index?: number; start?: number; end?: number; label?: number } | undefined;
  let lineNumber = 0;
  let physicalLine = 0;
  // Lines cut at the byte level, so that offsets count the file's bytes (not decoded U+FFFDs).
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let start = 0; start <= bytes.length; ) {
    const newline = bytes.indexOf(NEWLINE_BYTE, start);
    const end = newline < 0 ? bytes.length : newline;
    const line = bytes.subarray(start, end).toString('utf8').replace(/\r$/, '');
    const lineOffset = start;
    start = end + 1;
    physicalLine++;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    lineNumber++;
    const fields = splitFields(line);
    const at = physicalLine;
    const fail = (reason: string): never => {
      throw new InputError(file, lineOffset, at, `${reason}: '${line.slice(0, 80)}'`, 'line');
    };
    if (lineNumber === 1 && !INTEGER.test(fields[0]) && !RANGE.test(fields[0])) {
      header = {};
      fields.forEach((name, at) => {
        const n = name.toLowerCase();
        if (INDEX_NAMES.has(n)) header!.index ??= at;
        else if (START_NAMES.has(n)) header!.start ??= at;
        else if (END_NAMES.has(n)) header!.end ??= at;
        else if (LABEL_NAMES.has(n)) header!.label ??= at;
      });
      if (header.index === undefined && header.start === undefined) fail('labels header names no index or start column');
      continue;
    }
    const integer = (t: string | undefined): number => {
      if (t === undefined || !INTEGER.test(t)) fail('expected a packet index');
      return Number(t);
    };
    const label = (t: string | undefined): boolean => {
      if (t === undefined || t === '') return true;
      const value = labelWord(t);
      if (value === undefined) fail(`unknown label '${t}'`);
      return value as boolean;
    };
    const indexOrRange = (t: string): [number, number] => {
      const range = RANGE.exec(t);
      if (range) return [Number(range[1]), Number(range[2])];
      const i = integer(t);
      return [i, i];
    };
    let span: LabelSpan;
    if (header) {
      const labelText = header.label === undefined ? undefined : fields[header.label];
      if (header.start !== undefined) {
        const first = integer(fields[header.start]);
        const last = header.end === undefined ? first : integer(fields[header.end]);
        span = { first, last, attack: label(labelText) };
      } else {
        const [first, last] = indexOrRange(fields[header.index!] ?? '');
        span = { first, last, attack: label(labelText) };
      }
    } else if (fields.length === 1) {
      const [first, last] = indexOrRange(fields[0]);
      span = { first, last, attack: true };
    } else if (fields.length === 2 && (RANGE.test(fields[0]) || labelWord(fields[1]) !== undefined)) {
      const [first, last] = indexOrRange(fields[0]);
      span = { first, last, attack: label(fields[1]) };
    } else if (fields.length === 2) {
      span = { first: integer(fields[0]), last: integer(fields[1]), attack: true };
    } else if (fields.length === 3) {
      span = { first: integer(fields[0]), last: integer(fields[1]), attack: label(fields[2]) };
    } else {
      fail('expected INDEX, START-END, INDEX,LABEL or START,END,LABEL');
    }
    if (span!.last < span!.first) fail('range ends before it starts');
    spans.push(span!);
  }
  return spans;
}

/**
 * Row labels (1 attack, 0 benign) from spans; rows whose index no span names are benign. Later spans
 * override earlier ones, so each row takes the label of the last span that covers it: the spans are
 * applied last to first, each labelling only rows no later span labelled (rows in index order, with a
 * "next unlabelled row" pointer per position, path-compressed). Time and memory follow the number of
 * rows and spans, never the size of the indices they name.
 */
export function labelsFromSpans(table: ScoreTable, spans: readonly LabelSpan[]): Uint8Array {
  const labels = new Uint8Array(table.length);
  const rows: number[] = [];
  for (let i = 0; i < table.length; i++) {
    const index = table.index[i];
    if (index >= 0 && Number.isInteger(index)) rows.push(i);
  }
  rows.sort((a, b) => table.index[a] - table.index[b] || a - b);
  const indices = Float64Array.from(rows, (row) => table.index[row]);
  // next[p]: the first position >= p whose row no span has labelled yet (rows.length: none).
  const next = Int32Array.from({ length: rows.length + 1 }, (_, p) => p);
  const unlabelled = (p: number): number => {
    let q = p;
    while (next[q] !== q) q = next[q];
    for (let r = p; next[r] !== q; ) {
      const up = next[r];
      next[r] = q;
      r = up;
    }
    return q;
  };
  for (let k = spans.length - 1; k >= 0; k--) {
    const { first, last, attack } = spans[k];
    const end = lowerBound(indices, last, true);
    for (let p = unlabelled(lowerBound(indices, first, false)); p < end; p = unlabelled(p + 1)) {
      labels[rows[p]] = attack ? 1 : 0;
      next[p] = p + 1;
    }
  }
  return labels;
}

/** First position whose value is >= value (or > value when `after`) in the ascending `values`. */
function lowerBound(values: Float64Array, value: number, after: boolean): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < value || (after && values[mid] === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `--attack-hosts a,b`: attack when src or dst is listed. The table must be read with hosts. */
export function labelsFromHosts(table: ScoreTable, hostList: string, file = 'the score table'): Uint8Array {
  const wanted = new Set(hostList.split(',').map((h) => h.trim().toLowerCase()).filter((h) => h !== ''));
  if (wanted.size === 0) throw new UsageError(`--attack-hosts needs at least one address, not '${hostList}'`);
  if (!table.src || !table.dst || !table.hosts) throw new UsageError(`${file} has no src and dst columns, which --attack-hosts needs`);
  const isAttackHost = Uint8Array.from(table.hosts, (h) => (wanted.has(h.toLowerCase()) ? 1 : 0));
  const labels = new Uint8Array(table.length);
  for (let i = 0; i < table.length; i++) labels[i] = isAttackHost[table.src[i]] | isAttackHost[table.dst[i]];
  return labels;
}

/** `--attack-from N`: packets with index >= N are attacks. */
export function labelsFromIndex(table: ScoreTable, attackFrom: number): Uint8Array {
  const labels = new Uint8Array(table.length);
  for (let i = 0; i < table.length; i++) labels[i] = table.index[i] >= attackFrom ? 1 : 0;
  return labels;
}
