import { closeSync, openSync, writeSync } from 'node:fs';

/** Default size of the write buffer: large writes keep generation of multi-million-packet files fast. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * A file written through one reusable buffer: callers reserve room, write their bytes into `buf`
 * at the returned offset, and the buffer goes to disk in one write call whenever it is full.
 * Memory stays at one chunk whatever the size of the file.
 */
export class ChunkedFile {
  readonly buf: Buffer;
  private pos = 0;
  private fd: number;
  private written = 0;

  constructor(
    readonly path: string,
    chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    this.buf = Buffer.alloc(chunkBytes);
    this.fd = openSync(path, 'w');
  }

  /** Makes room for `n` bytes and returns where they go in `buf`; the caller must fill all of them. */
  reserve(n: number): number {
    if (n > this.buf.length) throw new RangeError(`${this.path}: a ${n}-byte write exceeds the chunk size`);
    if (this.pos + n > this.buf.length) this.flush();
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** Bytes handed to the file so far, flushed or not. */
  get size(): number {
    return this.written + this.pos;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }

  private flush(): void {
    let done = 0;
    while (done < this.pos) done += writeSync(this.fd, this.buf, done, this.pos - done);
    this.written += this.pos;
    this.pos = 0;
  }
}
