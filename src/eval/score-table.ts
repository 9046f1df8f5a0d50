import { InputError } from '../errors.js';
import { MAX_LINE_BYTES } from '../text-lines.js';
import { textFileChunks } from '../text-file.js';

/**
 * Reader of the score table `kitsune score` writes: TSV or CSV with a header (columns
 * `index time src dst sport dport proto rmse phase logp alert`, more may follow), or JSONL with
 * the same keys; gzip is recognised by its magic bytes. Also reads a bare column of scores
 * without header (Kitsune-py's RMSE list, one number a line). Columns are found by name, so
 * order and extra columns do not matter; only `rmse` is required.
 * Missing values: index = row number, time = NaN, phase: `exec` when rmse > 0 else `train` (a
 * bare score list has 0.0 for the grace packets), logp = NaN, alert = −1 (empty).
 * Columns land in typed arrays; src/dst only when asked (interned: ids into `hosts`).
 */

export const PHASE_MAP = 0;
export const PHASE_TRAIN = 1;
export const PHASE_EXEC = 2;
export const ALERT_EMPTY = -1;

export interface ScoreTable {
  length: number;
  index: Float64Array;
  time: Float64Array;
  rmse: Float64Array;
  /** NaN where empty. */
  logp: Float64Array;
  /** PHASE_MAP, PHASE_TRAIN or PHASE_EXEC. */
  phase: Uint8Array;
  /** 1, 0 or ALERT_EMPTY. */
  alert: Int8Array;
  /** Ids into `hosts`, present when read with `hosts: true`. */
  src?: Uint32Array;
  dst?: Uint32Array;
  hosts?: string[];
}

export interface ReadScoreTableOptions {
  /** Keep the src and dst addresses. */
  hosts?: boolean;
}

const NEWLINE_BYTE = 0x0a;
/** A packet index as kitsune and Kitsune-py write it: decimal digits. */
const PACKET_INDEX = /^[0-9]+$/;
const INITIAL_ROWS = 4096;
const PHASES: Record<string, number> = { map: PHASE_MAP, train: PHASE_TRAIN, exec: PHASE_EXEC };
/** Accepted names of each column (lower case). */
const COLUMN_NAMES = {
  index: ['index', 'packet', 'idx'],
  time: ['time', 'timestamp', 'ts'],
  src: ['src', 'source'],
  dst: ['dst', 'destination'],
  rmse: ['rmse', 'score'],
  phase: ['phase'],
  logp: ['logp', 'log_p', 'logprob'],
  alert: ['alert'],
} as const;
type Column = keyof typeof COLUMN_NAMES;
const COLUMNS = Object.keys(COLUMN_NAMES) as Column[];

/** A decimal number as Python's float() reads it (not JavaScript's '0x10', '0b11' or ''). */
const DECIMAL = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** A cell as a number: '' is missing (NaN); Python's `inf`/`-inf`/`nan` are understood; anything else is NaN. */
function parseNumber(text: string): number {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  const lower = trimmed.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (lower === 'nan') return NaN;
  return NaN;
}

/** Splits one CSV line, honouring double quotes ("a,b" and "" escapes). */
function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { cells.push(cell); cell = ''; }
    else cell += c;
  }
  cells.push(cell);
  return cells;
}

type Layout = 'tsv' | 'csv' | 'jsonl' | 'bare';

/** Grows typed columns row by row and interns addresses. */
class TableBuilder {
  length = 0;
  index = new Float64Array(INITIAL_ROWS);
  time = new Float64Array(INITIAL_ROWS);
  rmse = new Float64Array(INITIAL_ROWS);
  logp = new Float64Array(INITIAL_ROWS);
  phase = new Uint8Array(INITIAL_ROWS);
  alert = new Int8Array(INITIAL_ROWS);
  src: Uint32Array | undefined;
  dst: Uint32Array | undefined;
  private hostIds = new Map<string, number>();
  hosts: string[] = [];

  constructor(readonly keepHosts: boolean) {
    if (keepHosts) {
      this.src = new Uint32Array(INITIAL_ROWS);
      this.dst = new Uint32Array(INITIAL_ROWS);
    }
  }

  private grow(): void {
    const size = this.index.length * 2;
    const grow = <T extends Float64Array | Uint8Array | Int8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.index = grow(this.index, (n) => new Float64Array(n));
    this.time = grow(this.time, (n) => new Float64Array(n));
    this.rmse = grow(this.rmse, (n) => new Float64Array(n));
    this.logp = grow(this.logp, (n) => new Float64Array(n));
    this.phase = grow(this.phase, (n) => new Uint8Array(n));
    this.alert = grow(this.alert, (n) => new Int8Array(n));
    if (this.src && this.dst) {
      this.src = grow(this.src, (n) => new Uint32Array(n));
      this.dst = grow(this.dst, (n) => new Uint32Array(n));
    }
  }

  intern(host: string): number {
    let id = this.hostIds.get(host);
    if (id === undefined) {
      id = this.hosts.length;
      this.hosts.push(host);
      this.hostIds.set(host, id);
    }
    return id;
  }

  /** Adds one row; `phase` undefined means the column is absent. */
  add(index: number, time: number, rmse: number, phase: string | undefined, logp: number, alert: string, src: string, dst: string): void {
    if (this.length === this.index.length) this.grow();
    const i = this.length++;
    this.index[i] = Number.isNaN(index) ? i : index;
    this.time[i] = time;
    this.rmse[i] = rmse;
    this.logp[i] = logp;
    this.phase[i] = phase === undefined || PHASES[phase] === undefined ? (rmse > 0 ? PHASE_EXEC : PHASE_TRAIN) : PHASES[phase];
    this.alert[i] = alert === '1' || alert === 'true' ? 1 : alert === '0' || alert === 'false' ? 0 : ALERT_EMPTY;
    if (this.src && this.dst) {
      this.src[i] = this.intern(src);
      this.dst[i] = this.intern(dst);
    }
  }

  finish(): ScoreTable {
    const n = this.length;
    const table: ScoreTable = {
      length: n,
      index: this.index.slice(0, n),
      time: this.time.slice(0, n),
      rmse: this.rmse.slice(0, n),
      logp: this.logp.slice(0, n),
      phase: this.phase.slice(0, n),
      alert: this.alert.slice(0, n),
    };
    if (this.src && this.dst) {
      table.src = this.src.slice(0, n);
      table.dst = this.dst.slice(0, n);
      table.hosts = this.hosts;
    }
    return table;
  }
}

/** Parses lines as they come; knows the layout after the first non-empty line. */
export class ScoreTableParser {
  private layout: Layout | undefined;
  private positions: Partial<Record<Column, number>> = {};
  private builder: TableBuilder;
  private offset = 0;
  private lineNumber = 0;

  constructor(
    private readonly file: string,
    options: ReadScoreTableOptions = {},
  ) {
    this.builder = new TableBuilder(options.hosts === true);
  }

  /** A fault at the start of the line being read (a damaged gzip stream, say): the rows before it were read. */
  fail(reason: string): never {
    throw new InputError(this.file, this.offset, this.builder.length, reason);
  }

  /** Refuses a line (or the unfinished start of one) longer than MAX_LINE_BYTES bytes. */
  checkLength(bytes: number): void {
    if (bytes > MAX_LINE_BYTES) this.fail(`line longer than ${MAX_LINE_BYTES} bytes: not a score table`);
  }

  /**
   * One line without its newline; `bytes` is its length in the file (not that of its decoded text:
   * each byte that is not UTF-8 decodes to a three-byte U+FFFD).
   */
  line(raw: string, bytes = Buffer.byteLength(raw)): void {
    this.checkLength(bytes);
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    this.lineNumber++;
    if (line.trim() !== '') {
      if (this.layout === undefined) this.start(line);
      else this.row(line);
    }
    this.offset += bytes + 1;
  }

  private start(line: string): void {
    // Bytes that are not UTF-8 (decoded as U+FFFD), as the magic of every capture format but pcapng's
    // and of gzip: a binary file, not a table.
    if (line.includes('\ufffd')) this.fail('binary data, not a score table (a capture? score it with kitsune score first)');
    if (line.trimStart().startsWith('{')) {
      this.layout = 'jsonl';
      this.row(line);
      return;
    }
    if (!Number.isNaN(parseNumber(line.trim())) || /^\s*[+-]?(inf|nan)\s*$/i.test(line)) {
      this.layout = 'bare';
      this.row(line);
      return;
    }
    this.layout = line.includes('\t') ? 'tsv' : 'csv';
    const names = (this.layout === 'tsv' ? line.split('\t') : splitCsv(line)).map((n) => n.trim().toLowerCase());
    for (const column of COLUMNS) {
      const at = names.findIndex((name) => (COLUMN_NAMES[column] as readonly string[]).includes(name));
      if (at >= 0) this.positions[column] = at;
    }
    if (this.positions.rmse === undefined) this.fail(`score table header has no rmse column: '${line.slice(0, 120)}'`);
  }

  /** An index cell: a packet number (a non-negative integer), or NaN when empty (the row's position stands in). */
  private packetIndex(text: string): number {
    if (text === '') return NaN;
    const index = Number(text);
    if (!PACKET_INDEX.test(text) || !Number.isSafeInteger(index)) this.fail(`index is not a packet number: '${text.slice(0, 40)}'`);
    return index;
  }

  private row(line: string): void {
    const b = this.builder;
    if (this.layout === 'bare') {
      const rmse = parseNumber(line.trim());
      if (Number.isNaN(rmse) && !/nan/i.test(line)) this.fail(`not a score: '${line.slice(0, 80)}'`);
      b.add(NaN, NaN, rmse, undefined, NaN, '', '', '');
      return;
    }
    if (this.layout === 'jsonl') {
      this.jsonRow(line);
      return;
    }
    const cells = this.layout === 'tsv' ? line.split('\t') : splitCsv(line);
    const p = this.positions;
    const cell = (column: Column): string => {
      const at = p[column];
      return at === undefined ? '' : (cells[at] ?? '');
    };
    const rmseText = cell('rmse');
    const rmse = parseNumber(rmseText);
    if (Number.isNaN(rmse) && rmseText.toLowerCase() !== 'nan') this.fail(`rmse is not a number: '${rmseText}'`);
    b.add(
      this.packetIndex(cell('index')),
      parseNumber(cell('time')),
      rmse,
      p.phase === undefined ? undefined : cell('phase'),
      parseNumber(cell('logp')),
      cell('alert'),
      cell('src'),
      cell('dst'),
    );
  }

  private jsonRow(line: string): void {
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.fail(`not a JSON object: '${line.slice(0, 80)}'`);
    }
    if (typeof record !== 'object' || record === null) this.fail('not a JSON object');
    const value = (column: Column): unknown => {
      for (const name of COLUMN_NAMES[column]) if (name in record) return record[name];
      return undefined;
    };
    const number = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? parseNumber(v) : NaN);
    const text = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
    const rmseValue = value('rmse');
    if (rmseValue === undefined) this.fail('JSON record has no rmse');
    const rmse = number(rmseValue);
    const phase = value('phase');
    const alert = value('alert');
    const index = value('index');
    this.builder.add(
      typeof index === 'number' ? this.packetIndex(String(index)) : this.packetIndex(text(index)),
      number(value('time')),
      rmse,
      phase === undefined ? undefined : text(phase),
      number(value('logp')),
      alert === true ? '1' : alert === false ? '0' : text(alert),
      text(value('src')),
      text(value('dst')),
    );
  }

  finish(): ScoreTable {
    // Nothing to evaluate or draw: an empty file, a header alone, or lines not ended by \n (old Mac \r).
    if (this.builder.length === 0) this.fail('no score rows (an empty table, or lines not ended by newlines)');
    const table = this.builder.finish();
    const noAddresses = this.layout === 'bare' || ((this.layout === 'tsv' || this.layout === 'csv') &&
      this.positions.src === undefined && this.positions.dst === undefined);
    if (noAddresses) {
      delete table.src;
      delete table.dst;
      delete table.hosts;
    }
    return table;
  }
}

/** Parses a whole table held in memory (tests, small files). */
export function parseScoreTable(text: string, file = '<text>', options: ReadScoreTableOptions = {}): ScoreTable {
  const parser = new ScoreTableParser(file, options);
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) parser.line(line);
  return parser.finish();
}

/** Streams a score table file (`-` for standard input) into typed columns. */
export async function readScoreTable(file: string, options: ReadScoreTableOptions = {}): Promise<ScoreTable> {
  const parser = new ScoreTableParser(file, options);
  // Lines are cut at the byte level (a newline byte is never part of a UTF-8 sequence), so that
  // offsets count the file's bytes, then decoded one by one.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const lineOf = (piece: Buffer): void => {
    const bytes = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
    pending = [];
    pendingBytes = 0;
    parser.line(bytes.toString('utf8'), bytes.length);
  };
  try {
    for await (const chunk of textFileChunks(file)) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE_BYTE); end >= 0; end = chunk.indexOf(NEWLINE_BYTE, start)) {
        lineOf(chunk.subarray(start, end));
        start = end + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
      }
      parser.checkLength(pendingBytes);
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    parser.fail(reason);
  }
  if (pendingBytes > 0) lineOf(Buffer.alloc(0));
  return parser.finish();
}
