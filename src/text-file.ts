import { createReadStream } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { gunzipChunks } from './capture/decompress.js';
import { detectTextMark, recodedBuffer, recodedChunks } from './capture/text-encoding.js';

/**
 * The text files kitsune reads besides captures (score tables, feature tables, labels files), as
 * UTF-8 bytes: gunzipped when they start with gzip's magic (the file name does not matter), then
 * without their byte-order mark and, for UTF-16, recoded (Windows PowerShell 5's `>` writes
 * UTF-16LE). Offsets in messages count these bytes.
 */

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const GZIP_MAGIC_BYTES = 2;
/** The longest byte-order mark (UTF-8's). */
const MARK_BYTES = 3;

function isGzip(head: Uint8Array): boolean {
  return head.length >= GZIP_MAGIC_BYTES && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
}

/** The first `bytes` bytes of `source` (fewer if it ends), and the whole source again from its start. */
async function peek(source: AsyncIterable<Uint8Array>, bytes: number): Promise<{ head: Buffer; all: AsyncGenerator<Uint8Array> }> {
  const iterator = source[Symbol.asyncIterator]();
  const parts: Uint8Array[] = [];
  let length = 0;
  let done = false;
  while (length < bytes && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      parts.push(next.value);
      length += next.value.length;
    }
  }
  const head = Buffer.concat(parts);
  async function* all(): AsyncGenerator<Uint8Array> {
    if (head.length > 0) yield head;
    if (done) return;
    try {
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    } finally {
      // A reader that stops early: the file is closed.
      await iterator.return?.();
    }
  }
  return { head, all: all() };
}

/** A text file (`-`: standard input), chunk by chunk, as described above. */
export async function* textFileChunks(file: string): AsyncGenerator<Buffer> {
  const raw = await peek(file === '-' ? process.stdin : createReadStream(file), GZIP_MAGIC_BYTES);
  const text = await peek(isGzip(raw.head) ? gunzipChunks(raw.all) : raw.all, MARK_BYTES);
  const mark = detectTextMark(text.head, true);
  const chunks = mark === 'none' || mark === null ? text.all : recodedChunks(text.all, mark);
  for await (const chunk of chunks) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** The same for a whole file already read: at most `maxBytes` once gunzipped. */
export function textBytes(bytes: Buffer, maxBytes: number): Buffer {
  const plain = isGzip(bytes) ? gunzipSync(bytes, { maxOutputLength: maxBytes }) : bytes;
  const mark = detectTextMark(plain, true);
  if (mark === 'none' || mark === null) return plain;
  const text = recodedBuffer(plain, mark);
  return Buffer.from(text.buffer, text.byteOffset, text.byteLength);
}
