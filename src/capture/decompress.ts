/**
 * Streaming decompression of a chunk source: gzip through node:zlib (createGunzip, several members
 * allowed), zstd through fzstd's streaming Decompress. Output arrives as soon as the decompressor
 * produces it, so records reach the parser without waiting for the end of the input.
 */
import { once } from 'node:events';
import { createGunzip, gunzipSync } from 'node:zlib';
import { Decompress, decompress as zstdDecompressSync } from 'fzstd';

export type ChunkSource = AsyncIterable<Uint8Array>;

/** Decompresses a gzip stream. Corrupt or truncated data rejects the iteration. */
export async function* gunzipChunks(source: ChunkSource): AsyncGenerator<Uint8Array> {
  const gunzip = createGunzip();
  let feedError: unknown = null;
  // Feeds the decompressor with backpressure; stops when the reader side has closed it.
  void (async () => {
    try {
      for await (const chunk of source) {
        if (gunzip.destroyed) return;
        if (!gunzip.write(chunk)) await Promise.race([once(gunzip, 'drain'), once(gunzip, 'close')]);
      }
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
