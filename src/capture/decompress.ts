/**
 * Streaming decompression of a chunk source: gzip through node:zlib (createGunzip, several members
 * allowed), zstd through fzstd's streaming Decompress. Output arrives as soon as the decompressor
 * produces it, so records reach the parser without waiting for the end of the input.
 */
import { once } from 'node:events';
import { constants, createGunzip, gunzipSync } from 'node:zlib';
import { Decompress, decompress as zstdDecompressSync } from 'fzstd';

export type ChunkSource = AsyncIterable<Uint8Array>;

/** A gzip member ends with CRC32 and ISIZE, 4 bytes each (RFC 1952). */
const GZIP_TRAILER_BYTES = 8;

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The decompressor pauses while this many output chunks wait for the parser (backpressure). */
const MAX_QUEUED_CHUNKS = 16;

/**
 * Decompresses a gzip stream. Corrupt or truncated data rejects the iteration, but only after every
 * byte decompressed before the fault was delivered: output is collected from 'data' events into a
 * queue, because a zlib stream destroyed by an error discards what it still buffers.
 */
export async function* gunzipChunks(source: ChunkSource): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  const queue: Uint8Array[] = [];
  let failure: unknown = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    const resume = wake;
    wake = null;
    resume?.();
  };
  gunzip.on('data', (chunk: Uint8Array) => {
    queue.push(chunk);
    if (queue.length >= MAX_QUEUED_CHUNKS) gunzip.pause();
    signal();
  });
  gunzip.on('end', () => {
    ended = true;
    signal();
  });
  gunzip.on('error', (error) => {
    failure ??= error;
    signal();
  });
  // Waits for 'drain' or 'close', then removes the listener that lost (they would pile up, one per
  // wait, on a long input: MaxListenersExceededWarning).
  const write = async (bytes: Uint8Array) => {
    if (gunzip.write(bytes)) return;
    const waited = new AbortController();
    const { signal } = waited;
    try {
      await Promise.race([once(gunzip, 'drain', { signal }), once(gunzip, 'close', { signal })]);
    } finally {
      waited.abort();
    }
  };
  // Feeds the decompressor with backpressure; stops when the reader side has closed it.
  void (async () => {
    try {
      // zlib drops the output of the write in which it finds a bad CRC32/ISIZE trailer, so the last
      // GZIP_TRAILER_BYTES go in a write of their own: everything before the fault is still delivered.
      let tail = new Uint8Array(0);
      for await (const chunk of source) {
        if (gunzip.destroyed) return;
        const bytes = tail.length === 0 ? chunk : concatBytes(tail, chunk);
        const cut = Math.max(0, bytes.length - GZIP_TRAILER_BYTES);
        tail = bytes.slice(cut);
        if (cut > 0) await write(bytes.subarray(0, cut));
      }
      if (tail.length > 0 && !gunzip.destroyed) await write(tail);
      // A sync flush first hands over every byte zlib can produce: end()'s own call may fail
      // (a truncated trailer) and its output would be dropped with the error.
      if (!gunzip.destroyed) {
        await Promise.race([
          new Promise<void>((resolve) => gunzip.flush(constants.Z_SYNC_FLUSH, () => resolve())),
          once(gunzip, 'close'),
        ]);
      }
      gunzip.end();
    } catch (error) {
      failure ??= error;
      gunzip.destroy();
      signal();
    }
  })();
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        if (gunzip.isPaused() && queue.length < MAX_QUEUED_CHUNKS) gunzip.resume();
        yield chunk;
        continue;
      }
      if (failure !== null) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    gunzip.destroy();
  }
}

/** Decompresses a zstd stream (one or more frames). Corrupt or truncated data rejects the iteration. */
export async function* unzstdChunks(source: ChunkSource): AsyncGenerator<Uint8Array> {
  const pending: Uint8Array[] = [];
  // fzstd may reuse its window for later blocks: keep a copy of each block handed over.
  const zstd = new Decompress((data) => {
    if (data.length > 0) pending.push(data.slice());
  });
  for await (const chunk of source) {
    zstd.push(chunk);
    while (pending.length > 0) yield pending.shift() as Uint8Array;
  }
  zstd.push(new Uint8Array(0), true);
  while (pending.length > 0) yield pending.shift() as Uint8Array;
}

/** In-memory forms, for the synchronous entry point. */
export function gunzipBuffer(bytes: Uint8Array): Uint8Array {
  return gunzipSync(bytes);
}
export function unzstdBuffer(bytes: Uint8Array): Uint8Array {
  return zstdDecompressSync(bytes);
}
