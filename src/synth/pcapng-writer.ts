import { ChunkedFile, DEFAULT_CHUNK_BYTES } from './chunked-file.js';
import { LINKTYPE_ETHERNET, PCAP_SNAPLEN } from './pcap-writer.js';
import type { PacketSink } from './sink.js';

/**
 * pcapng writer (IETF draft-ietf-opsawg-pcapng): little-endian Section Header Block with an
 * shb_userappl option, one Interface Description Block (Ethernet, no if_tsresol option, so the
 * default resolution of 10^-6 s applies), then one Enhanced Packet Block per frame with
 * captured length = original length. Timestamps are 64-bit microsecond counts split high/low.
 */
export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_ENDOFOPT = 0;
const OPT_SHB_USERAPPL = 4;
const SHB_FIXED_BYTES = 28; // type, length, magic, version, section length, trailing length
const IDB_BYTES = 20;
export const EPB_OVERHEAD_BYTES = 32;
const TWO_POW_32 = 4294967296;
const UNKNOWN_SECTION_LENGTH = -1n;
/** Written into shb_userappl: names the generator, never the machine. */
export const USER_APPLICATION = 'kitsune synth';

export class PcapngWriter implements PacketSink {
  private readonly file: ChunkedFile;
  /** Packets written so far. */
  count = 0;

  constructor(path: string, chunkBytes = DEFAULT_CHUNK_BYTES) {
    this.file = new ChunkedFile(path, chunkBytes);
    this.writeSectionHeader();
    this.writeInterfaceDescription();
  }

  packet(timeUs: number, frame: Uint8Array, length: number): void {
    const buf = this.file.buf;
    const padded = pad4(length);
    const total = EPB_OVERHEAD_BYTES + padded;
    const at = this.file.reserve(total);
    buf.writeUInt32LE(BLOCK_EPB, at);
    buf.writeUInt32LE(total, at + 4);
    buf.writeUInt32LE(0, at + 8); // interface id
    buf.writeUInt32LE(Math.floor(timeUs / TWO_POW_32), at + 12);
    buf.writeUInt32LE(timeUs >>> 0, at + 16);
    buf.writeUInt32LE(length, at + 20);
    buf.writeUInt32LE(length, at + 24);
    buf.set(length === frame.length ? frame : frame.subarray(0, length), at + 28);
    buf.fill(0, at + 28 + length, at + 28 + padded);
    buf.writeUInt32LE(total, at + 28 + padded);
    this.count++;
  }

  /** File size in bytes so far. */
  get size(): number {
    return this.file.size;
  }

  close(): void {
    this.file.close();
  }

  private writeSectionHeader(): void {
    const app = Buffer.from(USER_APPLICATION, 'utf8');
    const optionBytes = 4 + pad4(app.length) + 4;
    const total = SHB_FIXED_BYTES + optionBytes;
    const buf = this.file.buf;
    const at = this.file.reserve(total);
    buf.fill(0, at, at + total);
    buf.writeUInt32LE(BLOCK_SHB, at);
    buf.writeUInt32LE(total, at + 4);
    buf.writeUInt32LE(BYTE_ORDER_MAGIC, at + 8);
    buf.writeUInt16LE(1, at + 12); // major version
    buf.writeUInt16LE(0, at + 14); // minor version
    buf.writeBigInt64LE(UNKNOWN_SECTION_LENGTH, at + 16);
    let o = at + 24;
    buf.writeUInt16LE(OPT_SHB_USERAPPL, o);
    buf.writeUInt16LE(app.length, o + 2);
    app.copy(buf, o + 4);
    o += 4 + pad4(app.length);
    buf.writeUInt16LE(OPT_ENDOFOPT, o);
    buf.writeUInt16LE(0, o + 2);
    buf.writeUInt32LE(total, at + total - 4);
  }

  private writeInterfaceDescription(): void {
    const buf = this.file.buf;
    const at = this.file.reserve(IDB_BYTES);
    buf.writeUInt32LE(BLOCK_IDB, at);
    buf.writeUInt32LE(IDB_BYTES, at + 4);
    buf.writeUInt16LE(LINKTYPE_ETHERNET, at + 8);
    buf.writeUInt16LE(0, at + 10); // reserved
    buf.writeUInt32LE(PCAP_SNAPLEN, at + 12);
    buf.writeUInt32LE(IDB_BYTES, at + 16);
  }
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}
