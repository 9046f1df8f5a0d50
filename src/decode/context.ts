import { FragmentTracker, PREFIX_BYTES } from './reassembly.js';
import { WlanFragments } from './wlan-fragments.js';

/**
 * Encapsulation layers (EtherType or IP-protocol dispatches) followed at most in one frame. Each layer
 * takes at least 4 bytes, so a hostile 256 KiB frame of nested VLAN tags or IP-in-IP headers would
 * otherwise recurse tens of thousands of times; real traffic stays far below this.
 */
export const MAX_LAYERS = 64;

/**
 * State a decoder keeps across the packets of one run (tshark keeps the same across one file):
 * the IPv4, IPv6 and 802.11 fragment reassembly tables; and, within one frame, the layer depth and
 * the VLAN id.
 */
export class DecodeContext {
  readonly ipv4Fragments = new FragmentTracker();
  readonly ipv6Fragments = new FragmentTracker();
  readonly wlanFragments = new WlanFragments();
  depth = 0;
  /** Room for a header a decoder must change before dissecting it (PPP's VJ uncompressed TCP). */
  readonly scratch = new Uint8Array(PREFIX_BYTES);
  /** Whether the IP header just decoded, whose payload is being dispatched, is IPv6 (UDP length 0 differs). */
  ipv6Payload = false;
  /** The 802.11 frame being decoded: its buffer and the offsets of its source and destination addresses. */
  wlanHeader: Uint8Array = new Uint8Array(0);
  wlanSourceAt = 0;
  wlanDestinationAt = 0;
  /** The frame's innermost 802.1Q/802.1ad VLAN id so far (tshark's pinfo->vlan_id), 0 without a tag. */
  vlanId = 0;
}
