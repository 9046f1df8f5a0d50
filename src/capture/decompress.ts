/**
 * Streaming decompression of a chunk source: gzip through node:zlib (createGunzip, several members
 * allowed), zstd through fzstd's streaming Decompress. Output arrives as soon as the decompressor
 * produces it, so records reach the parser without waiting for the end of the input.
 */
import { once } from 'node:events';
import { createGunzip, gunzipSync } from 'node:zlib';
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

/** Decompresses a gzip stream. Corrupt or truncated data rejects the iteration. */
export async function* gunzipChunks(source: ChunkSource): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  let feedError: unknown = null;
  const write = async (bytes: Uint8Array) => {
    if (!gunzip.write(bytes)) await Promise.race([once(gunzip, 'drain'), once(gunzip, 'close')]);
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
      gunzip.end();
    } catch (err) {
      feedError = err;
      gunzip.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  })();
  try {
    for await (const out of gunzip) yield out as Uint8Array;
  } catch (err) {
    throw feedError ?? err;
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
