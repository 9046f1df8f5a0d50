/**
 * The Internet checksum (RFC 1071): one's-complement of the one's-complement sum of 16-bit
 * big-endian words, an odd trailing byte padded with zero. Transport checksums also cover the
 * pseudo-header (RFC 793 / 768 for IPv4, RFC 8200 section 8.1 for IPv6).
 */
export function sum16(buf: Uint8Array, offset: number, length: number, initial = 0): number {
  let sum = initial;
  const end = offset + (length & ~1);
  for (let i = offset; i < end; i += 2) sum += (buf[i] << 8) | buf[i + 1];
  if (length & 1) sum += buf[offset + length - 1] << 8;
  return sum;
}

/** Folds a running sum to 16 bits and complements it (0 stays 0xffff: RFC 768 for UDP). */
export function finish(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  const c = ~s & 0xffff;
  return c === 0 ? 0xffff : c;
}

/** Writes a checksum big-endian at `at`. */
export function put16(buf: Uint8Array, at: number, value: number): void {
  buf[at] = value >>> 8;
  buf[at + 1] = value & 0xff;
}
