/**
 * Bounded IP fragment reassembly tracker, reproducing what reaches tshark's `-T fields` output when
 * reassembly is on (its default for IPv4 and IPv6, epan/reassemble.c fragment_add_check):
 * - a fragment joins the datagram keyed by (source, destination, protocol, identification);
 * - the datagram is complete when its last fragment (more-fragments flag clear) has been seen and the
 *   byte ranges received cover 0 .. its end; the fragment that completes it is the only one whose
 *   transport header tshark dissects (from the reassembled bytes); every other fragment shows none;
 * - a completed datagram leaves the table, so a later fragment with the same key starts a new one.
 * Only the first PREFIX_BYTES of the offset-0 fragment's payload are kept: enough for every header
 * the decoder reads after reassembly (transport ports, ICMP type, a quoted header or a tunnel).
 * Memory is bounded: beyond MAX_DATAGRAMS pending datagrams the oldest is dropped (tshark keeps all;
 * a dropped datagram would only lose the ports of its completing fragment).
 */

/** Bytes of the first fragment's payload kept for decoding the reassembled datagram. */
export const PREFIX_BYTES = 128;
/** Pending datagrams kept at most. */
export const MAX_DATAGRAMS = 4096;

class PendingDatagram {
  /** Received byte ranges [start, end), sorted and merged. */
  starts: number[] = [];
  ends: number[] = [];
  /** End of the datagram once its last fragment has been seen, else -1. */
  total = -1;
  prefix: Uint8Array | null = null;
  prefixLen = 0;
}

export class FragmentTracker {
  private readonly pending = new Map<string, PendingDatagram>();
  /** After add() returned true: the reassembled payload's first bytes (prefix[0 .. prefixLen)). */
  prefix: Uint8Array = new Uint8Array(0);
  prefixLen = 0;
  /** After add() returned true: the reassembled payload's full length. */
  totalLen = 0;

  /**
   * Adds the fragment carrying payload bytes [fragOffset, fragOffset + len) of the datagram `key`,
   * whose payload starts at buf[dataOff]. Returns true if it completes the datagram.
   */
  add(key: string, fragOffset: number, len: number, more: boolean, buf: Uint8Array, dataOff: number): boolean {
    let d = this.pending.get(key);
    if (d === undefined) {
      if (this.pending.size >= MAX_DATAGRAMS) {
        const oldest = this.pending.keys().next().value as string;
        this.pending.delete(oldest);
      }
      d = new PendingDatagram();
      this.pending.set(key, d);
    }
    if (fragOffset === 0 && d.prefix === null) {
      const n = Math.min(len, PREFIX_BYTES);
      d.prefix = buf.slice(dataOff, dataOff + n);
      d.prefixLen = n;
    }
    if (!more) d.total = fragOffset + len;
    insertRange(d, fragOffset, fragOffset + len);
    if (d.total < 0 || d.starts[0] !== 0 || d.ends[0] < d.total || d.prefix === null) return false;
    this.pending.delete(key);
    this.prefix = d.prefix;
    this.prefixLen = d.prefixLen;
    this.totalLen = d.total;
    return true;
  }

  /** Pending datagrams (for tests). */
  get size(): number {
    return this.pending.size;
  }
}

/** Inserts [start, end) into the sorted, merged range lists of `d`. */
function insertRange(d: PendingDatagram, start: number, end: number): void {
  if (end <= start) return;
  const { starts, ends } = d;
  let i = 0;
  while (i < starts.length && ends[i] < start) i++;
  let j = i;
  let s = start;
  let e = end;
  while (j < starts.length && starts[j] <= e) {
    s = Math.min(s, starts[j]);
    e = Math.max(e, ends[j]);
    j++;
  }
  starts.splice(i, j - i, s);
  ends.splice(i, j - i, e);
}
