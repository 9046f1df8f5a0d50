/**
 * Link types whose records start with a pseudo-header that wiretap (pcap-common.c) takes off before
 * tshark sees the frame: frame.len and frame.cap_len exclude it. A record too short to hold it makes
 * tshark call the file damaged. Measured against tshark 4.0.17 with 60-byte records.
 */
const PSEUDO_HEADER_LEN: ReadonlyMap<number, number> = new Map([
  [123, 4], // SUNATM: flags, VPI, VCI
  [139, 4], // MTP2_WITH_PHDR
  [196, 5], // SITA
  [201, 4], // BLUETOOTH_HCI_H4_WITH_PHDR: direction
  [204, 1], // PPP_WITH_DIR: direction
  [209, 5], // IPMB_LINUX
  [245, 2], // NFC_LLCP
  [254, 4], // BLUETOOTH_LINUX_MONITOR
]);

/** The pseudo-header length of this link type's records (0 for most). */
export function pseudoHeaderLength(linkType: number): number {
  return PSEUDO_HEADER_LEN.get(linkType) ?? 0;
}
