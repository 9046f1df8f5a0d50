/**
 * Builders of small pcap and pcapng files for the capture reader tests, written field by field from the
 * format specifications (libpcap file format; draft-ietf-opsawg-pcapng), independent of the reader.
 */
import type { CaptureRecord } from '../../src/capture/record.js';
import { parseBuffers } from '../../src/capture/reader.js';

class Writer {
  private bytes: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number): this {
    this.bytes.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    for (const x of this.le ? b : b.reverse()) this.u8(x);
    return this;
  }
  raw(data: Uint8Array | number[]): this {
    for (const x of data) this.u8(x);
    return this;
  }
  pad4(): this {
    while (this.bytes.length % 4 !== 0) this.u8(0);
    return this;
  }
  get length(): number {
    return this.bytes.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export interface PcapRecordSpec {
  sec: number;
  /** The raw fraction field (microseconds or nanoseconds). */
  fraction: number;
  data: Uint8Array;
  /** Wire length field (default data length); `caplen` overrides the caplen field. */
  wireLen?: number;
  caplen?: number;
}

export interface PcapSpec {
  le?: boolean;
  nanosecond?: boolean;
  versionMajor?: number;
  versionMinor?: number;
  snaplen?: number;
  network?: number;
  /** Write caplen and len in swapped order (what pre-2.3 writers did). */
  swapLengths?: boolean;
}

export function pcapFile(spec: PcapSpec, records: PcapRecordSpec[]): Uint8Array {
  const w = new Writer(spec.le ?? true);
  w.u32(spec.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(spec.versionMajor ?? 2)
    .u16(spec.versionMinor ?? 4)
    .u32(0)
    .u32(0)
    .u32(spec.snaplen ?? 65535)
    .u32(spec.network ?? 1);
  for (const r of records) {
    const caplen = r.caplen ?? r.data.length;
    const wire = r.wireLen ?? r.data.length;
    w.u32(r.sec).u32(r.fraction);
    if (spec.swapLengths) w.u32(wire).u32(caplen);
    else w.u32(caplen).u32(wire);
    w.raw(r.data);
  }
  return w.done();
}

/** One pcapng block: type, total length, body (padded to 4), total length again. */
export function block(le: boolean, type: number, body: Uint8Array, trailerOverride?: number): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const w = new Writer(le).u32(type).u32(total).raw(body).pad4().u32(trailerOverride ?? total);
  return w.done();
}

export function shb(le: boolean, major = 1): Uint8Array {
  const body = new Writer(le).u32(0x1a2b3c4d).u16(major).u16(0).u32(0xffffffff).u32(0xffffffff).done();
  return block(le, 0x0a0d0d0a, body);
}

export interface Option {
  code: number;
  value: Uint8Array;
}

function options(le: boolean, opts: Option[]): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  const w = new Writer(le);
  for (const o of opts) w.u16(o.code).u16(o.value.length).raw(o.value).pad4();
  w.u16(0).u16(0);
  return w.done();
}

export function idb(le: boolean, linkType: number, snaplen: number, opts: Option[] = []): Uint8Array {
  const body = new Writer(le).u16(linkType).u16(0).u32(snaplen).raw(options(le, opts)).done();
  return block(le, 1, body);
}

export function tsresol(value: number): Option {
  return { code: 9, value: Uint8Array.of(value) };
}

export function tsoffset(le: boolean, seconds: bigint): Option {
  const w = new Writer(le);
  const lo = Number(BigInt.asUintN(64, seconds) & 0xffffffffn);
  const hi = Number(BigInt.asUintN(64, seconds) >> 32n);
  if (le) w.u32(lo).u32(hi);
  else w.u32(hi).u32(lo);
  return { code: 14, value: w.done() };
}

export function comment(text: string): Option {
  return { code: 1, value: new TextEncoder().encode(text) };
}

export function epb(
  le: boolean,
  iface: number,
  ts: bigint,
  data: Uint8Array,
  wireLen = data.length,
  opts: Option[] = [],
): Uint8Array {
  const w = new Writer(le)
    .u32(iface)
    .u32(Number(ts >> 32n))
    .u32(Number(ts & 0xffffffffn))
    .u32(data.length)
    .u32(wireLen)
    .raw(data)
    .pad4()
    .raw(options(le, opts));
  return block(le, 6, w.done());
}

export function pb(le: boolean, iface: number, ts: bigint, data: Uint8Array, wireLen = data.length): Uint8Array {
  const w = new Writer(le)
    .u16(iface)
    .u16(0xffff)
    .u32(Number(ts >> 32n))
    .u32(Number(ts & 0xffffffffn))
    .u32(data.length)
    .u32(wireLen)
    .raw(data)
    .pad4();
  return block(le, 2, w.done());
}

export function spb(le: boolean, wireLen: number, data: Uint8Array): Uint8Array {
  return block(le, 3, new Writer(le).u32(wireLen).raw(data).pad4().done());
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** n bytes counting from `start`. */
export function bytes(n: number, start = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
}

/** A record as plain values (the reader's object and view are reused). */
export interface Snapshot {
  index: number;
  linkType: number;
  sec: number;
  frac: number;
  hasTime: boolean;
  caplen: number;
  wireLen: number;
  data: number[];
  file: string;
  offset: number;
}

export function snapshot(r: CaptureRecord): Snapshot {
  return {
    index: r.index,
    linkType: r.linkType,
    sec: r.sec,
    frac: r.frac,
    hasTime: r.hasTime,
    caplen: r.caplen,
    wireLen: r.wireLen,
    data: Array.from(r.data),
    file: r.file,
    offset: r.offset,
  };
}

/** Parses in-memory bytes; returns the records seen and the error thrown, if any. */
export function parseAll(
  inputs: { name: string; bytes: Uint8Array }[],
  chunkSize?: number,
): { records: Snapshot[]; error: unknown } {
  const records: Snapshot[] = [];
  try {
    parseBuffers(
      inputs,
      {
        onRecord: (r) => records.push(snapshot(r)),
        onFields: () => {
          throw new Error('unexpected text input');
        },
      },
      chunkSize,
    );
    return { records, error: null };
  } catch (error) {
    return { records, error };
  }
}
