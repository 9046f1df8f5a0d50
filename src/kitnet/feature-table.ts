import { InputError, UsageError } from '../errors.js';
import { MAX_LINE_BYTES } from '../text-lines.js';
import { textFileChunks } from '../text-file.js';

/**
 * Streams a table of feature vectors, one row per packet, for `kitsune score/train --features FILE`:
 * - Kitsune-py's features.tsv: no header, tab-separated, every column a feature (Python repr numbers);
 * - `kitsune extract` output: a header row, tab- or comma-separated; the leading non-feature columns
 *   `index` and `time` (when present) are skipped, the remaining columns are the features.
 * Either may be gzip-compressed, UTF-16 or carry a byte-order mark (text-file.ts).
 * Cells are decimal numbers, or nan / inf / -inf as Python writes them (also JavaScript's NaN / Infinity).
 * A malformed row is an InputError naming the file, the byte offset of the row in the (decompressed)
 * text and the 0-based data row index. onRow receives a buffer reused for every row: copy it to keep it;
 * onHeader, the feature columns' names when the table has a header.
 */

/** Leading columns of `kitsune extract` output that are not features, in this order, each optional. */
const NON_FEATURE_COLUMNS = ['index', 'time'];
const SPECIAL_VALUES: Record<string, number> = {
  nan: NaN,
  NaN: NaN,
  inf: Infinity,
  '+inf': Infinity,
  '-inf': -Infinity,
  Infinity: Infinity,
  '+Infinity': Infinity,
  '-Infinity': -Infinity,
};
const CHAR_SPACE = 0x20;
const CHAR_ZERO = 0x30;
/** 'x', 'b', 'o' of the 0x, 0b, 0o integer prefixes Number() reads, and the bit that lower-cases a letter. */
const RADIX_PREFIXES = [0x78, 0x62, 0x6f];
const LOWER_CASE_BIT = 0x20;
const CARRIAGE_RETURN = '\r';

/** A strict decimal number (or a special value above); undefined when `text` is not one (Number() is laxer). */
function parseCell(text: string): number | undefined {
  const v = Number(text);
  if (Number.isNaN(v) || !Number.isFinite(v)) return Object.hasOwn(SPECIAL_VALUES, text) ? SPECIAL_VALUES[text] : undefined;
  const n = text.length;
  // Number() also accepts '' and surrounding white space, and reads 0x.., 0b.., 0o.. integers.
  if (n === 0 || text.charCodeAt(0) <= CHAR_SPACE || text.charCodeAt(n - 1) <= CHAR_SPACE) return undefined;
  if (n > 1 && text.charCodeAt(0) === CHAR_ZERO && RADIX_PREFIXES.includes(text.charCodeAt(1) | LOWER_CASE_BIT)) return undefined;
  return v;
}

export async function readFeatureTable(
  path: string,
  onRow: (x: Float64Array, index: number) => void,
  onHeader?: (featureNames: string[]) => void,
): Promise<{ rows: number; columns: number }> {
  let delimiter = '';
  let skip = 0;
  let columns = -1;
  let x = new Float64Array(0);
  let rows = 0;
  let lineStart = 0;
  let pending = '';
  let blankAt = -1;

  const fail = (offset: number, reason: string): never => {
    throw new InputError(path, offset, rows, reason);
  };

  const firstLine = (line: string, offset: number): boolean => {
    if (line.trimStart().startsWith('{')) fail(offset, 'JSON Lines are not read as a feature table: extract with --format tsv or csv');
    delimiter = line.includes('\t') || !line.includes(',') ? '\t' : ',';
    const cells = line.split(delimiter);
    if (parseCell(cells[0]) !== undefined) {
      columns = cells.length;
      x = new Float64Array(columns);
      return false;
    }
    for (const name of NON_FEATURE_COLUMNS) if (cells[skip] === name) skip++;
    columns = cells.length - skip;
    if (columns === 0) fail(offset, 'the header names no feature column');
    x = new Float64Array(columns);
    onHeader?.(cells.slice(skip));
    return true;
  };

  const dataLine = (line: string, offset: number): void => {
    const cells = line.split(delimiter);
    if (cells.length !== skip + columns) {
      fail(offset, `${cells.length} columns, expected ${skip + columns}`);
    }
    for (let c = 0; c < columns; c++) {
      const v = parseCell(cells[skip + c]);
      if (v === undefined) fail(offset, `column ${skip + c + 1} is not a number: ${JSON.stringify(cells[skip + c].slice(0, 40))}`);
      x[c] = v as number;
    }
    onRow(x, rows);
    rows++;
  };

  const checkLength = (bytes: number, offset: number): void => {
    if (bytes > MAX_LINE_BYTES) fail(offset, `line longer than ${MAX_LINE_BYTES} bytes: not a feature table`);
  };

  const line = (text: string, offset: number): void => {
    checkLength(text.length, offset);
    const content = text.endsWith(CARRIAGE_RETURN) ? text.slice(0, -1) : text;
    if (content.length === 0) {
      // Only the end of the file may follow a blank line.
      if (blankAt < 0) blankAt = offset;
      return;
    }
    if (blankAt >= 0) fail(blankAt, 'empty row');
    if (columns < 0 && firstLine(content, offset)) return;
    dataLine(content, offset);
  };

  try {
    // latin1 keeps one character per byte, so string positions are byte offsets.
    for await (const chunk of textFileChunks(path)) {
      const text = pending + chunk.toString('latin1');
      let from = 0;
      let nl = text.indexOf('\n');
      while (nl >= 0) {
        line(text.slice(from, nl), lineStart);
        lineStart += nl + 1 - from;
        from = nl + 1;
        nl = text.indexOf('\n', from);
      }
      pending = text.slice(from);
      checkLength(pending.length, lineStart);
    }
  } catch (err) {
    // The table's own faults, and those of a model or feature map met at its first row, as they are.
    if (err instanceof InputError || err instanceof UsageError) throw err;
    throw new InputError(path, lineStart, rows, (err as Error).message);
  }
  if (pending.length > 0) line(pending, lineStart);
  return { rows, columns: Math.max(columns, 0) };
}
