import { ChunkedFile, DEFAULT_CHUNK_BYTES } from './chunked-file.js';
import type { PacketSink } from './sink.js';

/**
 * Classic libpcap file writer (pcap-savefile(5)): little-endian, microsecond timestamps
 * (magic 0xa1b2c3d4 written in host-independent little-endian order), version 2.4,
 * link type 1 (Ethernet). Every record stores the whole frame: captured length = wire length.
 */
export const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
export const PCAP_VERSION_MAJOR = 2;
export const PCAP_VERSION_MINOR = 4;
export const LINKTYPE_ETHERNET = 1;
export const PCAP_SNAPLEN = 262144;
export const PCAP_FILE_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
const MICROS_PER_SECOND = 1_000_000;

export class PcapWriter implements PacketSink {
  private readonly file: ChunkedFile;
  /** Packets written so far. */
  count = 0;

  constructor(path: string, chunkBytes = DEFAULT_CHUNK_BYTES) {
    this.file = new ChunkedFile(path, chunkBytes);
    const buf = this.file.buf;
    const at = this.file.reserve(PCAP_FILE_HEADER_BYTES);
    buf.writeUInt32LE(PCAP_MAGIC_MICROSECONDS, at);
    buf.writeUInt16LE(PCAP_VERSION_MAJOR, at + 4);
    buf.writeUInt16LE(PCAP_VERSION_MINOR, at + 6);
    buf.writeInt32LE(0, at + 8); // thiszone
    buf.writeUInt32LE(0, at + 12); // sigfigs
    buf.writeUInt32LE(PCAP_SNAPLEN, at + 16);
    buf.writeUInt32LE(LINKTYPE_ETHERNET, at + 20);
  }

  packet(timeUs: number, frame: Uint8Array, length: number): void {
    const buf = this.file.buf;
    const at = this.file.reserve(PCAP_RECORD_HEADER_BYTES + length);
    const sec = Math.floor(timeUs / MICROS_PER_SECOND);
    buf.writeUInt32LE(sec, at);
    buf.writeUInt32LE(timeUs - sec * MICROS_PER_SECOND, at + 4);
    buf.writeUInt32LE(length, at + 8);
    buf.writeUInt32LE(length, at + 12);
    buf.set(length === frame.length ? frame : frame.subarray(0, length), at + PCAP_RECORD_HEADER_BYTES);
    this.count++;
  }

  /** File size in bytes so far. */
  get size(): number {
    return this.file.size;
  }

  close(): void {
    this.file.close();
  }
}
