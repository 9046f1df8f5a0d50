import { put16 } from './checksum.js';
import { put32 } from './frames.js';
import type { Prng } from './prng.js';

/**
 * Application payloads for the synthetic sessions. A message is a byte string that a TCP session
 * cuts into segments; big bodies are views of shared pools (random bytes standing for encrypted
 * data, repeated text for HTML) so that generating millions of packets allocates almost nothing.
 */
export interface Message {
  readonly length: number;
  /** Copies bytes [from, from + count) of the message into `buf` at `at`. */
  copyTo(buf: Uint8Array, at: number, from: number, count: number): void;
}

/** A short header followed by `bodyLength` bytes of a pool, read cyclically from `bodyStart`. */
export class PooledMessage implements Message {
  readonly length: number;

  constructor(
    private readonly head: Uint8Array,
    private readonly pool: Uint8Array,
    private readonly bodyStart: number,
    bodyLength: number,
  ) {
    this.length = head.length + bodyLength;
  }

  copyTo(buf: Uint8Array, at: number, from: number, count: number): void {
    let o = at;
    let i = from;
    const end = from + count;
    if (i < this.head.length) {
      const n = Math.min(end, this.head.length) - i;
      buf.set(this.head.subarray(i, i + n), o);
      o += n;
      i += n;
    }
    const pool = this.pool;
    while (i < end) {
      const p = (this.bodyStart + i - this.head.length) % pool.length;
      const n = Math.min(end - i, pool.length - p);
      buf.set(pool.subarray(p, p + n), o);
      o += n;
      i += n;
    }
  }
}

const POOL_BYTES = 65536;
const EMPTY = new Uint8Array(0);
const TLS_RECORD_HEADER_BYTES = 5;
const TLS_APPLICATION_DATA = 0x17;
const TLS_VERSION_1_2 = 0x0303;
const TLS_MAX_RECORD = 16384;
const HTML_FILLER =
  '<div class="item"><h2>Quarterly report</h2><p>Figures for the period are in the attached table; ' +
  'see the archive for earlier issues.</p><a href="/reports/archive">archive</a></div>\n';

/** Shared payload pools, filled once from the scenario's PRNG. */
export class Pools {
  readonly random = new Uint8Array(POOL_BYTES);
  readonly text = new Uint8Array(POOL_BYTES);

  constructor(rng: Prng) {
    rng.fill(this.random, 0, POOL_BYTES);
    const filler = Buffer.from(HTML_FILLER, 'latin1');
    for (let i = 0; i < POOL_BYTES; i++) this.text[i] = filler[i % filler.length];
  }

  /** Encrypted-looking bytes (SSH after key exchange). */
  opaque(rng: Prng, length: number): Message {
    return new PooledMessage(EMPTY, this.random, rng.int(0, POOL_BYTES - 1), length);
  }

  /** One TLS application-data record carrying `length` bytes of ciphertext (length <= 16384). */
  tls(rng: Prng, length: number): Message {
    const n = Math.min(length, TLS_MAX_RECORD);
    const head = new Uint8Array(TLS_RECORD_HEADER_BYTES);
    head[0] = TLS_APPLICATION_DATA;
    put16(head, 1, TLS_VERSION_1_2);
    put16(head, 3, n);
    return new PooledMessage(head, this.random, rng.int(0, POOL_BYTES - 1), n);
  }

  /** An HTTP/1.1 GET request. */
  httpRequest(host: string, path: string): Message {
    const text = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: synth/1.0\r\nAccept: */*\r\n\r\n`;
    return new PooledMessage(Buffer.from(text, 'latin1'), this.text, 0, 0);
  }

  /** An HTTP/1.1 200 response with an HTML body of `bodyLength` bytes. */
  httpResponse(rng: Prng, bodyLength: number): Message {
    const head = `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${bodyLength}\r\n\r\n`;
    return new PooledMessage(Buffer.from(head, 'latin1'), this.text, rng.int(0, POOL_BYTES - 1), bodyLength);
  }

  /** An SSH identification line (RFC 4253 section 4.2). */
  sshBanner(software: string): Message {
    return new PooledMessage(Buffer.from(`SSH-2.0-${software}\r\n`, 'latin1'), this.text, 0, 0);
  }
}

export const DNS_HEADER_BYTES = 12;
export const DNS_TYPE_A = 1;
export const DNS_TYPE_AAAA = 28;
const DNS_CLASS_IN = 1;
const DNS_FLAGS_QUERY = 0x0100; // RD
const DNS_FLAGS_RESPONSE = 0x8180; // QR, RD, RA, NOERROR
const DNS_NAME_POINTER_TO_QUESTION = 0xc00c;
const DNS_ANSWER_FIXED_BYTES = 12; // pointer, type, class, TTL, RDLENGTH

/**
 * A DNS query (RFC 1035 section 4) for `name` and type A or AAAA, written at `at`; with `answer`
 * it is the response carrying that one address record. Returns the message length.
 */
export function writeDns(
  buf: Uint8Array,
  at: number,
  id: number,
  name: string,
  qtype: number,
  answer: Uint8Array | null,
  ttl: number,
): number {
  put16(buf, at, id);
  put16(buf, at + 2, answer ? DNS_FLAGS_RESPONSE : DNS_FLAGS_QUERY);
  put16(buf, at + 4, 1);
  put16(buf, at + 6, answer ? 1 : 0);
  put16(buf, at + 8, 0);
  put16(buf, at + 10, 0);
  let o = at + DNS_HEADER_BYTES;
  for (const label of name.split('.')) {
    buf[o++] = label.length;
    for (let i = 0; i < label.length; i++) buf[o++] = label.charCodeAt(i);
  }
  buf[o++] = 0;
  put16(buf, o, qtype);
  put16(buf, o + 2, DNS_CLASS_IN);
  o += 4;
  if (answer) {
    put16(buf, o, DNS_NAME_POINTER_TO_QUESTION);
    put16(buf, o + 2, qtype);
    put16(buf, o + 4, DNS_CLASS_IN);
    put32(buf, o + 6, ttl);
    put16(buf, o + 10, answer.length);
    buf.set(answer, o + DNS_ANSWER_FIXED_BYTES);
    o += DNS_ANSWER_FIXED_BYTES + answer.length;
  }
  return o - at;
}

export const NTP_BYTES = 48;
const NTP_CLIENT_FIRST_BYTE = 0x23; // LI 0, version 4, mode 3 (client)
const NTP_SERVER_FIRST_BYTE = 0x24; // LI 0, version 4, mode 4 (server)
const NTP_SERVER_STRATUM = 2;
const NTP_POLL_EXPONENT = 6;
const NTP_PRECISION = 0xe9; // -23: about 100 ns
const NTP_UNIX_EPOCH_OFFSET = 2208988800; // seconds from 1900 to 1970
const TWO_POW_32 = 4294967296;
const MICROS_PER_SECOND = 1_000_000;

/** An NTPv4 client request or server reply (RFC 5905 section 7.3) stamped with `timeUs`. */
export function writeNtp(buf: Uint8Array, at: number, server: boolean, timeUs: number, refId: number): number {
  buf.fill(0, at, at + NTP_BYTES);
  buf[at] = server ? NTP_SERVER_FIRST_BYTE : NTP_CLIENT_FIRST_BYTE;
  if (server) {
    buf[at + 1] = NTP_SERVER_STRATUM;
    buf[at + 2] = NTP_POLL_EXPONENT;
    buf[at + 3] = NTP_PRECISION;
    put32(buf, at + 12, refId);
  }
  const sec = Math.floor(timeUs / MICROS_PER_SECOND);
  const frac = Math.floor(((timeUs - sec * MICROS_PER_SECOND) / MICROS_PER_SECOND) * TWO_POW_32);
  const transmitAt = at + 40;
  put32(buf, transmitAt, (sec + NTP_UNIX_EPOCH_OFFSET) >>> 0);
  put32(buf, transmitAt + 4, frac);
  if (server) {
    put32(buf, at + 32, (sec + NTP_UNIX_EPOCH_OFFSET) >>> 0); // receive timestamp
    put32(buf, at + 36, frac);
  }
  return NTP_BYTES;
}
