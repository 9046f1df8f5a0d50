/**
 * Classic libpcap file reader (24-byte file header, 16-byte record headers), as an incremental parser.
 *
 * Follows wireshark's wiretap/libpcap.c, which tshark (and so Kitsune-py) used:
 * - magic a1b2c3d4 = microseconds, a1b23c4d = nanoseconds, in either byte order; a1b2cd34 = Alexey
 *   Kuznetsov's "modified" pcap (microseconds, 8 more record-header bytes: ifindex, protocol, packet type);
 * - the link type keeps its low 16 bits (the FCS-length flags live above them);
 * - version 2.x with x < 3 wrote caplen and len swapped (and 2.3 sometimes did: swap when caplen > len);
 * - a record longer than the snapshot length is still read; caplen > 262144 is a bad file;
 * - time: secs = the unsigned 32-bit field; nsecs = the fraction field (nanosecond files) or
 *   usec * 1000 computed in 32 bits, stored in a signed 32-bit int, never normalised.
 */
import type { CaptureContext } from './context.js';
import type { UnitParser } from './framer.js';
import { u16be, u16le, u32be, u32le } from './bytes.js';

export const PCAP_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;
/** The modified format's record header: the standard one, then ifindex (4), protocol (2), packet type (1), pad (1). */
const MODIFIED_RECORD_HEADER_LEN = 24;
/** wiretap's WTAP_MAX_PACKET_SIZE_STANDARD: larger records are a bad file for tshark. */
export const MAX_CAPLEN = 262144;
/** The magic numbers read as a big-endian u32 from the first 4 bytes. */
export const PCAP_MAGIC_USEC_BE = 0xa1b2c3d4;
export const PCAP_MAGIC_USEC_LE = 0xd4c3b2a1;
export const PCAP_MAGIC_NSEC_BE = 0xa1b23c4d;
export const PCAP_MAGIC_NSEC_LE = 0x4d3cb2a1;
export const PCAP_MAGIC_MODIFIED_BE = 0xa1b2cd34;
export const PCAP_MAGIC_MODIFIED_LE = 0x34cdb2a1;
const LINKTYPE_MASK = 0xffff;
/** Format version below which caplen/len are always swapped (libpcap's lengths_swapped). */
const SWAPPED_BELOW_MINOR = 3;
const NS_PER_US = 1000;

export class PcapParser implements UnitParser {
  need = PCAP_HEADER_LEN;
  private started = false;
  private le = true;
  private nanosecond = false;
  private recordHeaderLen = PCAP_RECORD_HEADER_LEN;
  private linkType = 0;
  private versionMajor = 0;
  private versionMinor = 0;

  constructor(private readonly ctx: CaptureContext) {}

  parse(b: Uint8Array, pos: number, end: number, offset: number): number {
    const start = pos;
    if (!this.started) {
      if (end - pos < PCAP_HEADER_LEN) {
        this.need = PCAP_HEADER_LEN;
        return pos;
      }
      this.readFileHeader(b, pos, offset);
      pos += PCAP_HEADER_LEN;
      this.started = true;
    }
    const ctx = this.ctx;
    const rec = ctx.rec;
    const le = this.le;
    const swapMaybe = this.versionMajor === 2 && this.versionMinor === SWAPPED_BELOW_MINOR;
    const swapAlways = this.versionMajor === 2 && this.versionMinor < SWAPPED_BELOW_MINOR;
    const nanosecond = this.nanosecond;
    const headerLen = this.recordHeaderLen;
    rec.linkType = this.linkType;
    rec.hasTime = true;
    for (;;) {
      const avail = end - pos;
      if (avail < headerLen) {
        this.need = headerLen;
        return pos;
      }
      let caplen = le ? u32le(b, pos + 8) : u32be(b, pos + 8);
      let wireLen = le ? u32le(b, pos + 12) : u32be(b, pos + 12);
      if (swapAlways || (swapMaybe && caplen > wireLen)) {
        const t = caplen;
        caplen = wireLen;
        wireLen = t;
      }
      const recOffset = offset + (pos - start);
      if (caplen > MAX_CAPLEN) {
        throw ctx.fault(recOffset, `record caplen ${caplen} is larger than the maximum ${MAX_CAPLEN}`);
      }
      const total = headerLen + caplen;
      if (avail < total) {
        this.need = total;
        return pos;
      }
      rec.sec = le ? u32le(b, pos) : u32be(b, pos);
      const fraction = le ? u32le(b, pos + 4) : u32be(b, pos + 4);
      // libpcap.c: nsecs (a C int) = ts_usec (ns files) or ts_usec * 1000 in 32-bit unsigned arithmetic.
      rec.frac = nanosecond ? fraction | 0 : Math.imul(fraction, NS_PER_US);
      rec.caplen = caplen;
      rec.wireLen = wireLen;
      rec.offset = recOffset;
      rec.data = b.subarray(pos + headerLen, pos + total);
      ctx.deliver();
      pos += total;
    }
  }

  finish(leftover: number, offset: number): void {
    if (!this.started) throw this.ctx.fault(offset, 'file ends inside the pcap file header');
    if (leftover > 0) throw this.ctx.fault(offset, `file ends inside a record (${leftover} bytes of it present)`);
  }

  private readFileHeader(b: Uint8Array, pos: number, offset: number): void {
    const magic = u32be(b, pos);
    switch (magic) {
      case PCAP_MAGIC_USEC_BE:
      case PCAP_MAGIC_NSEC_BE:
      case PCAP_MAGIC_MODIFIED_BE:
        this.le = false;
        break;
      case PCAP_MAGIC_USEC_LE:
      case PCAP_MAGIC_NSEC_LE:
      case PCAP_MAGIC_MODIFIED_LE:
        this.le = true;
        break;
      default:
        throw this.ctx.fault(offset, `not a pcap file (magic ${magic.toString(16).padStart(8, '0')})`);
    }
    this.nanosecond = magic === PCAP_MAGIC_NSEC_BE || magic === PCAP_MAGIC_NSEC_LE;
    const modified = magic === PCAP_MAGIC_MODIFIED_BE || magic === PCAP_MAGIC_MODIFIED_LE;
    this.recordHeaderLen = modified ? MODIFIED_RECORD_HEADER_LEN : PCAP_RECORD_HEADER_LEN;
    const u16 = this.le ? u16le : u16be;
    this.versionMajor = u16(b, pos + 4);
    this.versionMinor = u16(b, pos + 6);
    // libpcap.c: only version 2.0 and later are supported.
    if (this.versionMajor < 2) {
      throw this.ctx.fault(offset, `unsupported pcap version ${this.versionMajor}.${this.versionMinor}`);
    }
    const network = this.le ? u32le(b, pos + 20) : u32be(b, pos + 20);
    this.linkType = network & LINKTYPE_MASK;
  }
}
