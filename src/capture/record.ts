/**
 * One captured frame as a capture reader hands it over. The object and its `data` view are reused:
 * they are valid only during the callback that receives them.
 */
export interface CaptureRecord {
  /** Packet number from 0, continuous across all inputs of one run. */
  index: number;
  /** LINKTYPE_* value (masked to its low 16 bits for classic pcap; per interface for pcapng). */
  linkType: number;
  /**
   * Timestamp as tshark prints frame.time_epoch: `${sec}.${frac as 9 digits}`. `sec` is an integer
   * (it may exceed 2^32 in pcapng); `frac` is in nanoseconds and is NOT normalised (a nanosecond pcap
   * with an out-of-range fraction keeps it, tshark prints it with more digits).
   */
  sec: number;
  frac: number;
  /**
   * False when the block carries no timestamp (pcapng Simple Packet Block): sec and frac are then 0
   * and tshark prints an empty frame.time_epoch.
   */
  hasTime: boolean;
  /** Captured length (bytes in `data`). */
  caplen: number;
  /** Original (wire) length: frame.len. */
  wireLen: number;
  data: Uint8Array;
  /** Name of the input (path, or `-` for standard input) and byte offset of the record in it (after decompression). */
  file: string;
  offset: number;
}
