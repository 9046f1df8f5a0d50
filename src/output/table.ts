import { UsageError } from '../errors.js';
import { pyRepr } from './number.js';
import type { OutputSink } from './sink.js';

export const TABLE_FORMATS = ['tsv', 'csv', 'jsonl'] as const;
export type TableFormat = (typeof TABLE_FORMATS)[number];

export function parseTableFormat(text: string): TableFormat {
  if ((TABLE_FORMATS as readonly string[]).includes(text)) return text as TableFormat;
  throw new UsageError(`--format must be one of ${TABLE_FORMATS.join(', ')}, not '${text}'`);
}

/** A cell: numbers print as Python's repr (TSV, CSV) or as JSON numbers; null and '' are empty. */
export type Cell = string | number | null;

const CSV_NEEDS_QUOTES = /[",\r\n]/;
const TSV_FORBIDDEN = /[\t\r\n]/g;

/**
 * Writes rows of one table in TSV (header row, tab-separated), CSV (RFC 4180 quoting) or JSON
 * Lines (one object per row, keys = column names, empty cells as null, non-finite numbers as null).
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

  private text(value: string): string {
    if (this.format === 'csv') {
      return CSV_NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
    }
    return value.replace(TSV_FORBIDDEN, ' ');
  }
}

function jsonValue(cell: Cell): string {
  if (cell === null || cell === '') return 'null';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : 'null';
  return JSON.stringify(cell);
}
