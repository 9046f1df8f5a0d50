import { FragmentTracker } from './reassembly.js';

/**
 * State a decoder keeps across the packets of one run (tshark keeps the same across one file):
 * the IPv4 and IPv6 fragment reassembly tables.
 */
export class DecodeContext {
  readonly ipv4Fragments = new FragmentTracker();
  readonly ipv6Fragments = new FragmentTracker();
}
