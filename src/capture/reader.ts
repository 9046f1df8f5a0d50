/**
 * Streaming capture reader: several inputs, read in order as one packet stream.
 *
 * Each input is read in chunks (default 1 MiB; standard input as its pieces arrive), its format told
 * from its first bytes (gzip/zstd are decompressed on the fly and sniffed again), and every chunk is
 * parsed synchronously: one callback per record, on one reused CaptureRecord whose `data` views the
 * chunk. Faults are InputErrors raised after every packet before them has been delivered; offsets
 * in them count bytes of the decompressed stream.
 */
import { open } from 'node:fs/promises';
import type { TsharkFields } from '../decode/fields.js';
import { CaptureContext } from './context.js';
import { type ChunkSource, gunzipBuffer, gunzipChunks, unzstdBuffer, unzstdChunks } from './decompress.js';
import { detectFormat, type InputFormat } from './detect.js';
import { recodedBuffer, recodedChunks, type TextEncodingMark } from './text-encoding.js';
import { Framer } from './framer.js';
import { PcapParser } from './pcap.js';
import { PcapngParser } from './pcapng.js';
import type { CaptureRecord } from './record.js';
import { TsvParser } from './tsv.js';

export interface InputHandlers {
  onRecord(rec: CaptureRecord): void; // binary capture inputs
  onFields(fields: TsharkFields, index: number, file: string, offset: number): void; // text (tshark TSV) inputs
  afterChunk?(): void | Promise<void>; // called after each parsed chunk: backpressure/flush hook
}
export interface ReadOptions {
  chunkSize?: number;
  signal?: AbortSignal;
  stdin?: NodeJS.ReadableStream;
}
/** An input given as bytes or as a stream of chunks instead of a path (tests, fuzzing, embedding). */
export interface NamedSource {
  name: string;
  source: Uint8Array | ChunkSource;
}

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
/** The name that means standard input. */
export const STDIN_NAME = '-';

/** A chunk consumer: push each chunk, then end. */
interface ChunkSink {
  push(chunk: Uint8Array): void;
  end(): void;
}

/** Reads inputs in order as one stream; resolves with the packet count; rejects with InputError after delivering
 *  every packet before the fault. On signal abort, stops reading and resolves (no error). */
export async function readInputs(
  inputs: string[],
  handlers: InputHandlers,
  opts?: ReadOptions,
): Promise<{ packets: number }> {
  const chunkSize = opts?.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const sources = inputs.map((name): NamedSource => {
    if (name === STDIN_NAME) return { name, source: streamChunks(opts?.stdin ?? process.stdin) };
    return { name, source: fileChunks(name, chunkSize) };
  });
  return readSources(sources, handlers, opts);
}

/** As readInputs, over sources given as bytes or chunk streams. */
export async function readSources(
  sources: NamedSource[],
  handlers: InputHandlers,
  opts?: ReadOptions,
): Promise<{ packets: number }> {
  const chunkSize = opts?.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const signal = opts?.signal;
  const ctx = new CaptureContext((rec) => handlers.onRecord(rec));
  for (const { name, source } of sources) {
    if (signal?.aborted) break;
    ctx.startInput(name);
    const chunks = source instanceof Uint8Array ? sliceChunks(source, chunkSize) : source;
    const stopped = await readOne(ctx, chunks, handlers, signal);
    if (stopped) break;
  }
  return { packets: ctx.nextIndex };
}

/**
 * Synchronous reading of in-memory inputs (one continuous stream), for tests and fuzzing: the same
 * parsers, fed `chunkSize` bytes at a time. Throws InputError like readInputs rejects.
 */
export function parseBuffers(
  inputs: { name: string; bytes: Uint8Array }[],
  handlers: InputHandlers,
  chunkSize = DEFAULT_CHUNK_SIZE,
): { packets: number } {
  const ctx = new CaptureContext((rec) => handlers.onRecord(rec));
  for (const { name, bytes } of inputs) {
    ctx.startInput(name);
    let data = bytes;
    let format = detectFormat(data, true) as InputFormat;
    for (let wrapper = WRAPPERS.get(format); wrapper !== undefined; wrapper = WRAPPERS.get(format)) {
      ctx.offsetNote = wrapper.offsetNote;
      data = unwrapSync(ctx, data, format, wrapper);
      format = detectFormat(data, true) as InputFormat;
    }
    if (format === 'unknown' && data.length === 0) throw ctx.fault(0, 'empty input');
    const sink = makeSink(ctx, format, handlers);
    for (let at = 0; at < data.length; at += chunkSize) sink.push(data.subarray(at, at + chunkSize));
    sink.end();
  }
  return { packets: ctx.nextIndex };
}

/**
 * Formats that wrap another one: compressed streams and text behind a byte-order mark. Their bytes
 * are read again through the unwrapping, and what comes out is sniffed like any input.
 */
interface Wrapper {
  /** Appended to fault reasons: what the offsets count. */
  offsetNote: string;
  stream: (source: ChunkSource) => AsyncGenerator<Uint8Array>;
  buffer: (bytes: Uint8Array) => Uint8Array;
}

const DECOMPRESSED_NOTE = ' (offset in the decompressed stream)';
const RECODED_NOTE = ' (offset in the text recoded to UTF-8, without its byte-order mark)';
const textWrapper = (mark: TextEncodingMark): Wrapper => ({
  offsetNote: RECODED_NOTE,
  stream: (source) => recodedChunks(source, mark),
  buffer: (bytes) => recodedBuffer(bytes, mark),
});
const WRAPPERS: ReadonlyMap<InputFormat, Wrapper> = new Map<InputFormat, Wrapper>([
  ['gzip', { offsetNote: DECOMPRESSED_NOTE, stream: gunzipChunks, buffer: gunzipBuffer }],
  ['zstd', { offsetNote: DECOMPRESSED_NOTE, stream: unzstdChunks, buffer: unzstdBuffer }],
  ['utf8-bom', textWrapper('utf8-bom')],
  ['utf16le-bom', textWrapper('utf16le-bom')],
  ['utf16be-bom', textWrapper('utf16be-bom')],
]);

function unwrapSync(ctx: CaptureContext, data: Uint8Array, format: InputFormat, wrapper: Wrapper): Uint8Array {
  try {
    return wrapper.buffer(data);
  } catch (err) {
    throw ctx.fault(0, `${format}: ${(err as Error).message}`);
  }
}

/** Reads one input to its end; true when stopped by the abort signal. */
async function readOne(
  ctx: CaptureContext,
  chunks: ChunkSource,
  handlers: InputHandlers,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  let iterator = chunks[Symbol.asyncIterator]();
  let head: Uint8Array = new Uint8Array(0);
  let sink: ChunkSink | null = null;
  // Bytes handed to the parser so far: where a read or decompression failure is reported.
  let delivered = 0;
  let aborting = false;
  try {
    for (;;) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await (signal === undefined ? iterator.next() : nextOrAbort(iterator, signal));
      } catch (err) {
        throw ctx.fault(delivered, `cannot read input: ${(err as Error).message}`);
      }
      if (next === ABORTED) {
        // Not awaited: a source blocked on a silent standard input would never finish returning.
        aborting = true;
        iterator.return?.().catch(() => undefined);
        return true;
      }
      const done = next.done === true;
      let chunk: Uint8Array = done ? new Uint8Array(0) : next.value;
      if (sink === null) {
        head = concat(head, chunk);
        const format = detectFormat(head, done);
        if (format === null) continue;
        const wrapper = WRAPPERS.get(format);
        if (wrapper !== undefined) {
          // Read the same bytes again through the unwrapping, then sniff what comes out.
          ctx.offsetNote = wrapper.offsetNote;
          iterator = wrapper.stream(prepend(head, done ? null : iterator))[Symbol.asyncIterator]();
          head = new Uint8Array(0);
          continue;
        }
        if (format === 'unknown' && head.length === 0) throw ctx.fault(0, 'empty input');
        sink = makeSink(ctx, format, handlers);
        chunk = head;
        head = new Uint8Array(0);
      }
      sink.push(chunk);
      delivered += chunk.length;
      if (done) {
        sink.end();
        return false;
      }
      if (handlers.afterChunk !== undefined) await handlers.afterChunk();
    }
  } finally {
    // After a parse fault (or a throwing handler) the source is still open: close it (file handle).
    if (!aborting) await iterator.return?.();
  }
}

function makeSink(ctx: CaptureContext, format: InputFormat, handlers: InputHandlers): ChunkSink {
  switch (format) {
    case 'pcap':
      return new Framer(new PcapParser(ctx));
    case 'pcapng':
      return new Framer(new PcapngParser(ctx));
    case 'tsv':
      return new TsvParser(ctx, (fields, index, file, offset) => handlers.onFields(fields, index, file, offset));
    default:
      throw ctx.fault(0, 'not a capture file: unknown format (expected pcap, pcapng, tshark TSV, gzip or zstd)');
  }
}

const ABORTED: IteratorResult<Uint8Array> = { done: true, value: undefined };

/**
 * The iterator's next chunk, or ABORTED as soon as the signal fires. The abort listener lives for
 * this one read only: racing every read against one long-lived promise (Promise.race) would keep a
 * reaction, and through it every chunk read, alive until that promise settles.
 */
function nextOrAbort(iterator: AsyncIterator<Uint8Array>, signal: AbortSignal): Promise<IteratorResult<Uint8Array>> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    iterator
      .next()
      .finally(() => signal.removeEventListener('abort', onAbort))
      .then(resolve, reject);
  });
}

/** The sniffed head again, then the rest of the iterator (if the stream had not ended). */
async function* prepend(head: Uint8Array, rest: AsyncIterator<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  try {
    // Inside the try: a consumer that stops at the head must still close the rest (a file handle).
    if (head.length > 0) yield head;
    if (rest === null) return;
    for (;;) {
      const next = await rest.next();
      if (next.done === true) return;
      yield next.value;
    }
  } finally {
    await rest?.return?.();
  }
}

/**
 * A file's bytes in chunks. The next chunk is read while the caller parses this one (one read in
 * flight at a time, so the file position advances in order): the reading thread never waits for the
 * disk when the disk keeps up.
 */
async function* fileChunks(path: string, chunkSize: number): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  const readChunk = () => {
    const read = handle.read(new Uint8Array(chunkSize), 0, chunkSize, null);
    // Failing while the caller parses is not an unhandled rejection: the failure surfaces at the await.
    read.catch(() => undefined);
    return read;
  };
  let pending: ReturnType<typeof readChunk> | undefined = readChunk();
  try {
    for (;;) {
      const { bytesRead, buffer } = await pending;
      pending = undefined;
      if (bytesRead === 0) return;
      pending = readChunk();
      yield bytesRead === chunkSize ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    // A read still in flight (the caller stopped early) must end before the handle closes.
    await pending?.catch(() => undefined);
    await handle.close();
  }
}

async function* streamChunks(stream: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  for await (const piece of stream) {
    yield typeof piece === 'string' ? new TextEncoder().encode(piece) : (piece as Uint8Array);
  }
}

async function* sliceChunks(bytes: Uint8Array, chunkSize: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
