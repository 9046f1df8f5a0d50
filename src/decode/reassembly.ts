/**
 * Bounded IP fragment reassembly tracker, reproducing what reaches tshark's `-T fields` output when
 * reassembly is on (its default for IPv4 and IPv6, epan/reassemble.c fragment_add_check):
 * - a fragment joins the datagram of its key (IPv4: source, destination and protocol ^ identification ^
 *   VLAN id, packet-ip.c; IPv6: source, destination and identification);
 * - the datagram is complete when its last fragment (more-fragments flag clear) has been seen and the
 *   byte ranges received cover 0 .. its end; the fragment that completes it is the only one whose
 *   transport header tshark dissects (from the reassembled bytes); every other fragment shows none;
 * - the first last fragment (more-fragments flag clear) fixes the datagram's end; a later one with
 *   another end does not move it;
 * - a completed datagram leaves the table, so a later fragment with the same key starts a new one.
 * Only the first PREFIX_BYTES of the offset-0 fragment's payload are kept: enough for every header
 * the decoder reads after reassembly (transport ports, ICMP type, a quoted header or a tunnel).
 * Memory is bounded: a datagram still pending when MAX_DATAGRAMS newer ones have started is dropped
 * (tshark keeps all; a dropped datagram would only lose the ports of its completing fragment). The
 * started datagrams sit in a ring, so dropping the oldest costs O(1).
 */

/** Bytes of the first fragment's payload kept for decoding the reassembled datagram. */
export const PREFIX_BYTES = 128;
/** Pending datagrams kept at most (the ring's size). */
export const MAX_DATAGRAMS = 4096;

class PendingDatagram {
  key = '';
  /** Received byte ranges [start, end), sorted and merged. */
  starts: number[] = [];
  ends: number[] = [];
  /** End of the datagram once its last fragment has been seen, else -1. */
  total = -1;
  /** Bytes of the offset-0 fragment kept in this datagram's storage slot, -1 before it arrives. */
  prefixLen = -1;

  constructor(readonly slot: number) {}

  reset(key: string): void {
    this.key = key;
    this.starts.length = 0;
    this.ends.length = 0;
    this.total = -1;
    this.prefixLen = -1;
  }
}

export class FragmentTracker {
  private readonly pending = new Map<string, PendingDatagram>();
  /** Datagrams in the order they started; slot `next` holds the oldest once the ring is full. */
  private readonly ring: (PendingDatagram | null)[] = new Array<PendingDatagram | null>(MAX_DATAGRAMS).fill(null);
  private next = 0;
  /** PREFIX_BYTES per ring slot: the first bytes of each datagram, without an allocation per fragment. */
  private readonly storage = new Uint8Array(MAX_DATAGRAMS * PREFIX_BYTES);
  /** After add() returned true: the reassembled payload's first bytes are prefix[prefixStart .. prefixEnd). */
  readonly prefix = this.storage;
  prefixStart = 0;
  prefixEnd = 0;
  /** After add() returned true: the reassembled payload's full length. */
  totalLen = 0;

  /**
   * Adds the fragment carrying payload bytes [fragOffset, fragOffset + len) of the datagram `key`,
   * whose payload starts at buf[dataOff]. Returns true if it completes the datagram.
   */
  add(key: string, fragOffset: number, len: number, more: boolean, buf: Uint8Array, dataOff: number): boolean {
    let d = this.pending.get(key);
    if (d === undefined) {
      d = this.startDatagram(key);
    }
    if (fragOffset === 0 && d.prefixLen < 0) {
      const n = Math.min(len, PREFIX_BYTES);
      this.storage.set(buf.subarray(dataOff, dataOff + n), d.slot * PREFIX_BYTES);
      d.prefixLen = n;
    }
    // A second last fragment with another end does not move it (reassemble.c FD_MULTIPLETAILS).
    if (!more && d.total < 0) d.total = fragOffset + len;
    insertRange(d, fragOffset, fragOffset + len);
    if (d.total < 0 || d.starts[0] !== 0 || d.ends[0] < d.total || d.prefixLen < 0) return false;
    this.pending.delete(key);
    this.prefixStart = d.slot * PREFIX_BYTES;
    this.prefixEnd = this.prefixStart + d.prefixLen;
    this.totalLen = d.total;
    return true;
  }

  /** Takes the ring's oldest slot (dropping its datagram if still pending) for a new datagram. */
  private startDatagram(key: string): PendingDatagram {
    let d = this.ring[this.next];
    if (d === null) {
      d = new PendingDatagram(this.next);
      this.ring[this.next] = d;
    } else if (this.pending.get(d.key) === d) {
      this.pending.delete(d.key);
    }
    this.next = (this.next + 1) % MAX_DATAGRAMS;
    d.reset(key);
    this.pending.set(key, d);
    return d;
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
