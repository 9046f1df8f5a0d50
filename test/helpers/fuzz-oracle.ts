/**
 * What a classic little-endian microsecond pcap must give, written from pcap-savefile(5) and
 * wireshark's wiretap/libpcap.c rules, independently of src/capture: versions below 2.0 are refused;
 * 2.0-2.2 store caplen and len swapped, 2.3 sometimes (swap when caplen > len); a record whose caplen
 * exceeds 262144 (WTAP_MAX_PACKET_SIZE_STANDARD) or that the file ends inside is a fault after the
 * records before it. Only for files still starting with that magic (d4 c3 b2 a1).
 */
import { PCAP_HEADER_BYTES, PCAP_RECORD_HEADER_BYTES } from './fuzz-inputs.js';

const MAGIC_LE_USEC = [0xd4, 0xc3, 0xb2, 0xa1];
const MAX_CAPLEN = 262144;
const MIN_VERSION_MAJOR = 2;
const SWAP_MINOR = 3;

export interface PcapExpectation {
  /** Records a reader delivers. */
  packets: number;
  /** True when the file is valid to its end (exit 0), false when it faults after `packets` records. */
  valid: boolean;
}

/** The expectation for `bytes`, or null when they no longer start with the little-endian microsecond magic. */
export function expectPcap(bytes: Uint8Array): PcapExpectation | null {
  if (bytes.length < MAGIC_LE_USEC.length || MAGIC_LE_USEC.some((b, i) => bytes[i] !== b)) return null;
  if (bytes.length < PCAP_HEADER_BYTES) return { packets: 0, valid: false };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = v.getUint16(4, true);
  const minor = v.getUint16(6, true);
  if (major < MIN_VERSION_MAJOR) return { packets: 0, valid: false };
  let packets = 0;
  for (let at = PCAP_HEADER_BYTES; ; packets++) {
    if (at === bytes.length) return { packets, valid: true };
    if (bytes.length - at < PCAP_RECORD_HEADER_BYTES) return { packets, valid: false };
    const first = v.getUint32(at + 8, true);
    const second = v.getUint32(at + 12, true);
    const swapped = major === MIN_VERSION_MAJOR && (minor < SWAP_MINOR || (minor === SWAP_MINOR && first > second));
    const caplen = swapped ? second : first;
    if (caplen > MAX_CAPLEN) return { packets, valid: false };
    if (bytes.length - at < PCAP_RECORD_HEADER_BYTES + caplen) return { packets, valid: false };
    at += PCAP_RECORD_HEADER_BYTES + caplen;
  }
}
