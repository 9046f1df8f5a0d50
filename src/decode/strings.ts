/**
 * Text forms of addresses and numbers exactly as tshark prints them in `-T fields` output, cached
 * so that decoding a packet usually allocates nothing:
 * - ports and other small unsigned integers: decimal, from a lazily filled table;
 * - IPv4 (`ip.src`, `arp.src.proto_ipv4`): dotted quad, direct-mapped cache keyed by the 32-bit value;
 * - MAC-48 (`eth.src`, `arp.src.hw_mac`): lowercase colon-separated hex, direct-mapped cache;
 * - IPv6 (`ipv6.src`): RFC 5952 text as glibc's inet_ntop writes it (tshark 4.0 calls it): the
 *   longest run of two or more zero groups becomes `::` (the first run on ties), lowercase hex without
 *   leading zeros, and `::a.b.c.d` / `::ffff:a.b.c.d` for IPv4-compatible and IPv4-mapped addresses.
 */

const PORT_COUNT = 65536;
/** Filled with '' (not holes) so that V8 keeps the arrays packed: a hole read is a slow path. */
const portTable: string[] = new Array<string>(PORT_COUNT).fill('');

/** Decimal text of an integer in [0, 65535] (tcp.srcport, icmp.type, arp.opcode, ...). */
export function portString(n: number): string {
  let s = portTable[n];
  if (s === '') {
    s = String(n);
    portTable[n] = s;
  }
  return s;
}

/** Entries in each direct-mapped address cache (a power of two). */
const CACHE_SIZE = 8192;
const CACHE_MASK = CACHE_SIZE - 1;
/** Multiplier of Knuth's multiplicative hash, spreading nearby addresses over the cache. */
const HASH_MULTIPLIER = 0x9e3779b1;
const HASH_SHIFT = 32 - Math.log2(CACHE_SIZE);

const ipv4Keys = new Uint32Array(CACHE_SIZE);
const ipv4Values: string[] = new Array<string>(CACHE_SIZE).fill('');

/** Dotted-quad text of the 4 bytes at `off`. */
export function ipv4String(buf: Uint8Array, off: number): string {
  const v = ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
  const slot = (Math.imul(v, HASH_MULTIPLIER) >>> HASH_SHIFT) & CACHE_MASK;
  const cached = ipv4Values[slot];
  if (ipv4Keys[slot] === v && cached !== '') return cached;
  const s = `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
  ipv4Keys[slot] = v;
  ipv4Values[slot] = s;
  return s;
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const macHighKeys = new Uint32Array(CACHE_SIZE);
const macLowKeys = new Uint32Array(CACHE_SIZE);
const macValues: string[] = new Array<string>(CACHE_SIZE).fill('');

/** `aa:bb:cc:dd:ee:ff` text of the 6 bytes at `off`. */
export function macString(buf: Uint8Array, off: number): string {
  const hi = (buf[off] << 8) | buf[off + 1];
  const lo = ((buf[off + 2] << 24) | (buf[off + 3] << 16) | (buf[off + 4] << 8) | buf[off + 5]) >>> 0;
  const slot = (Math.imul(lo ^ (hi << 16) ^ hi, HASH_MULTIPLIER) >>> HASH_SHIFT) & CACHE_MASK;
  const cached = macValues[slot];
  if (macLowKeys[slot] === lo && macHighKeys[slot] === hi && cached !== '') return cached;
  const s =
    `${HEX2[buf[off]]}:${HEX2[buf[off + 1]]}:${HEX2[buf[off + 2]]}:` +
    `${HEX2[buf[off + 3]]}:${HEX2[buf[off + 4]]}:${HEX2[buf[off + 5]]}`;
  macHighKeys[slot] = hi;
  macLowKeys[slot] = lo;
  macValues[slot] = s;
  return s;
}

const IPV6_GROUPS = 8;
/** glibc inet_ntop6: a zero run shorter than this is written out, not compressed. */
const MIN_ZERO_RUN = 2;
const IPV4_MAPPED_MARKER = 0xffff;
const groups = new Uint16Array(IPV6_GROUPS);

/** RFC 5952 text of the 16 bytes at `off`, as glibc's inet_ntop (used by tshark 4.0) writes it. */
export function ipv6String(buf: Uint8Array, off: number): string {
  for (let i = 0; i < IPV6_GROUPS; i++) groups[i] = (buf[off + 2 * i] << 8) | buf[off + 2 * i + 1];
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < IPV6_GROUPS; i++) {
    if (groups[i] === 0) {
      if (curBase < 0) {
        curBase = i;
        curLen = 1;
      } else curLen++;
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else curBase = -1;
  }
  if (bestLen < MIN_ZERO_RUN) bestBase = -1;
  let s = '';
  for (let i = 0; i < IPV6_GROUPS; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    // glibc: an embedded IPv4 address for ::a.b.c.d (6 zero groups) and ::ffff:a.b.c.d.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && groups[5] === IPV4_MAPPED_MARKER))) {
      s += `${buf[off + 12]}.${buf[off + 13]}.${buf[off + 14]}.${buf[off + 15]}`;
      break;
    }
    s += groups[i].toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === IPV6_GROUPS) s += ':';
  return s;
}
