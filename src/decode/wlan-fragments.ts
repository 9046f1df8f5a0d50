import { PREFIX_BYTES } from './reassembly.js';

/** What add() says to dissect. */
export const WLAN_NOTHING = 0;
export const WLAN_OWN_PAYLOAD = 1;
export const WLAN_REASSEMBLED = 2;
/** 802.11 fragment numbers are 4 bits: at most this many fragments per MSDU. */
export const MAX_WLAN_FRAGMENTS = 16;
/** MSDUs still waiting for fragments that are kept at most (the oldest is dropped first). */
export const MAX_PENDING_MSDUS = 1024;

class PendingMsdu {
  /** First bytes of each fragment's payload, by fragment number (null until it arrives). */
  readonly chunks: (Uint8Array | null)[] = new Array<Uint8Array | null>(MAX_WLAN_FRAGMENTS).fill(null);
  /** Number of the last fragment (more-fragments clear), -1 until it arrives. */
  last = -1;
}

/**
 * 802.11 fragment reassembly as tshark does it by default (packet-ieee80211.c with
 * reassemble.c fragment_add_seq_802_11): the fragments of one MSDU share addresses and sequence number
 * and carry fragment numbers 0, 1, ...; the MSDU is complete once its last fragment (more-fragments
 * clear) and every number before it have arrived, in any order. Only the fragment that completes it
 * is dissected, from the concatenated payloads; the others show no protocol field. A frame with a
 * non-zero fragment number, more-fragments clear and no pending MSDU is dissected on its own (tshark's
 * 802.11 hack for a retransmitted last fragment). Only the first PREFIX_BYTES of the concatenation
 * are kept: enough for every header the decoder reads.
 */
export class WlanFragments {
  private readonly pending = new Map<string, PendingMsdu>();
  /** After add() returned WLAN_REASSEMBLED: the reassembled payload's first bytes are bytes[0 .. length). */
  readonly bytes = new Uint8Array(PREFIX_BYTES);
  length = 0;

  /**
   * Adds fragment `frag` (payload buf[off..end)) of the MSDU `key`. Returns what the frame shows:
   * WLAN_NOTHING, WLAN_OWN_PAYLOAD (dissected alone) or WLAN_REASSEMBLED (`bytes[0 .. length)`).
   */
  add(key: string, frag: number, more: boolean, buf: Uint8Array, off: number, end: number): number {
    let msdu = this.pending.get(key);
    if (msdu === undefined) {
      if (!more && frag > 0) return WLAN_OWN_PAYLOAD;
      msdu = new PendingMsdu();
      this.pending.set(key, msdu);
      if (this.pending.size > MAX_PENDING_MSDUS) this.pending.delete(this.pending.keys().next().value as string);
    }
    if (msdu.chunks[frag] === null) msdu.chunks[frag] = buf.slice(off, Math.min(end, off + PREFIX_BYTES));
    if (!more) msdu.last = frag;
    if (msdu.last < 0) return WLAN_NOTHING;
    for (let i = 0; i <= msdu.last; i++) if (msdu.chunks[i] === null) return WLAN_NOTHING;
    this.pending.delete(key);
    this.length = 0;
    for (let i = 0; i <= msdu.last && this.length < PREFIX_BYTES; i++) {
      const chunk = msdu.chunks[i] as Uint8Array;
      const n = Math.min(chunk.length, PREFIX_BYTES - this.length);
      this.bytes.set(chunk.subarray(0, n), this.length);
      this.length += n;
    }
    return WLAN_REASSEMBLED;
  }

  /** Pending MSDUs (for tests). */
  get size(): number {
    return this.pending.size;
  }
}
