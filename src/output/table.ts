import { UsageError } from '../errors.js';
import { PY_REPR_MAX_LENGTH, pyRepr, writeInteger, writePyRepr } from './number.js';
import { SINK_CHUNK_BYTES, type OutputSink } from './sink.js';

export const TABLE_FORMATS = ['tsv', 'csv', 'jsonl'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export function parseTableFormat(text: string): TableFormat {
  if ((TABLE_FORMATS as readonly string[]).includes(text)) return text as TableFormat;
  throw new UsageError(`--format must be one of ${TABLE_FORMATS.join(', ')}, not '${text}'`);
}

/** The byte between cells of a TSV or CSV row; -1 for JSON Lines, which has no such rows. */
export function cellSeparatorByte(format: TableFormat): number {
  if (format === 'jsonl') return -1;
  return format === 'csv' ? CHAR_COMMA : CHAR_TAB;
}

/** A cell: numbers print as Python's repr (TSV, CSV) or as JSON numbers; null and '' are empty. */
export type Cell = string | number | null;

const CSV_NEEDS_QUOTES = /[",\r\n]/;
const TSV_FORBIDDEN = /[\t\r\n]/g;
const CHAR_TAB = 0x09;
const CHAR_LF = 0x0a;
const CHAR_CR = 0x0d;
const CHAR_QUOTE = 0x22;
const CHAR_COMMA = 0x2c;
const CHAR_SPACE = 0x20;
const ASCII_END = 0x80;
/** UTF-8 bytes per UTF-16 code unit at most, and the quotes and doubled quotes CSV may add. */
const MAX_UTF8_PER_UNIT = 3;
const CSV_QUOTING_FACTOR = 2;
const CSV_QUOTES = 2;

/**
 * Writes rows of one table in TSV (header row, tab-separated), CSV (RFC 4180 quoting) or JSON
 * Lines (one object per row, keys = column names, empty cells and NaN as null, infinities as "inf"/"-inf").
 * Numbers print so that they parse back to the same double.
 */
export class TableWriter {
  private readonly jsonKeys: string[];
  private readonly integer: boolean[];

  /** `integerColumns` print as integers (`7`, not Python's `7.0`), e.g. packet index and alert flags. */
  constructor(
    private readonly sink: OutputSink,
    readonly format: TableFormat,
    readonly columns: readonly string[],
    integerColumns: readonly string[] = ['index'],
  ) {
    this.jsonKeys = columns.map((name) => `${JSON.stringify(name)}:`);
    this.integer = columns.map((name) => integerColumns.includes(name));
  }

  header(): void {
    if (this.format === 'jsonl') return;
    this.sink.write(`${this.columns.map((c) => this.text(c)).join(this.format === 'csv' ? ',' : '\t')}\n`);
  }

  /** Writes one row; `style` may decorate the line's text (colour on a terminal). */
  row(cells: readonly Cell[], style?: (line: string) => string): void {
    if (this.format === 'jsonl') {
      let line = '{';
      for (let i = 0; i < cells.length; i++) {
        if (i > 0) line += ',';
        line += this.jsonKeys[i] + jsonValue(cells[i]);
      }
      this.sink.write(`${line}}\n`);
      return;
    }
    if (!style && this.writeBytes(cells, cells.length, null, 0, 0)) return;
    const separator = this.format === 'csv' ? ',' : '\t';
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      if (i > 0) line += separator;
      const cell = cells[i];
      if (cell === null) continue;
      if (typeof cell === 'number') line += this.integer[i] ? String(cell) : pyRepr(cell);
      else line += this.text(cell);
    }
    this.sink.write(`${style ? style(line) : line}\n`);
  }

  /**
   * TSV or CSV: a row whose last cells come already formatted (the bytes tail[start, start + length),
   * cells separated as this table's format does, e.g. output/score-cells.ts): the first `count` cells,
   * then those bytes. False (nothing written) for JSON Lines, where the caller writes row() instead.
   */
  rowWithTail(cells: readonly Cell[], count: number, tail: Uint8Array, start: number, length: number): boolean {
    return this.format !== 'jsonl' && this.writeBytes(cells, count, tail, start, length);
  }

  /**
   * TSV or CSV: the row's first `count` cells, then the preformatted `tail` bytes if any, encoded
   * straight into the sink's chunk (no string per row). Numbers as in row(); text cells are copied
   * byte by byte while they are plain ASCII, else encoded as text() gives them. False (nothing
   * written) for a row that might not fit in one chunk.
   */
  private writeBytes(cells: readonly Cell[], count: number, tail: Uint8Array | null, start: number, length: number): boolean {
    const sink = this.sink;
    if (sink.closed) return true;
    let worst = count + 1 + length;
    for (let i = 0; i < count; i++) {
      const cell = cells[i];
      worst += typeof cell === 'string' ? cell.length * MAX_UTF8_PER_UNIT * CSV_QUOTING_FACTOR + CSV_QUOTES : PY_REPR_MAX_LENGTH;
    }
    if (worst > SINK_CHUNK_BYTES) return false;
    sink.reserve(worst);
    const out = sink.bytes;
    const separator = this.format === 'csv' ? CHAR_COMMA : CHAR_TAB;
    let p = sink.position;
    for (let i = 0; i < count; i++) {
      if (i > 0) out[p++] = separator;
      const cell = cells[i];
      if (cell === null) continue;
      if (typeof cell === 'number') {
        if (!this.integer[i]) p = writePyRepr(cell, out, p);
        else p = Number.isSafeInteger(cell) ? writeInteger(cell, out, p) : writeText(String(cell), out, p);
      } else {
        const end = this.format === 'csv' ? writePlainCsv(cell, out, p) : writePlainTsv(cell, out, p);
        p = end >= 0 ? end : writeText(this.text(cell), out, p);
      }
    }
    if (tail !== null) {
      out[p++] = separator;
      // A loop, not set(subarray): no view per row, and the tails are short.
      for (let i = 0; i < length; i++) out[p + i] = tail[start + i];
      p += length;
    }
    out[p++] = CHAR_LF;
    sink.position = p;
    return true;
  }

  private text(value: string): string {
    if (this.format === 'csv') {
      return CSV_NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
    }
    return value.replace(TSV_FORBIDDEN, ' ');
  }
}

/** Copies an ASCII TSV cell, tabs and line breaks as spaces (as text()); -1 if it is not ASCII. */
function writePlainTsv(value: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= ASCII_END) return -1;
    out[at + i] = c === CHAR_TAB || c === CHAR_LF || c === CHAR_CR ? CHAR_SPACE : c;
  }
  return at + value.length;
}

/** Copies an ASCII CSV cell that needs no quotes; -1 if it is not ASCII or needs quotes. */
function writePlainCsv(value: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= ASCII_END || c === CHAR_QUOTE || c === CHAR_COMMA || c === CHAR_LF || c === CHAR_CR) return -1;
    out[at + i] = c;
  }
  return at + value.length;
}

/** Any text, UTF-8 encoded (as the stream would encode it). */
function writeText(text: string, out: Buffer, at: number): number {
  return at + out.write(text, at);
}

/**
 * JSON has no infinities: they are written as the strings "inf" and "-inf" (Python's spelling, as in
 * the TSV), so that a log-probability of -inf stays apart from an empty cell (null); NaN is null.
 */
function jsonValue(cell: Cell): string {
  if (cell === null || cell === '') return 'null';
  if (typeof cell === 'number') {
    if (Number.isFinite(cell)) return String(cell);
    return Number.isNaN(cell) ? 'null' : `"${pyRepr(cell)}"`;
  }
  return JSON.stringify(cell);
}
