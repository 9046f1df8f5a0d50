/**
 * pcapng reader (IETF draft-ietf-opsawg-pcapng), as an incremental parser.
 *
 * Sections (SHB) set the byte order and reset the interface list; IDBs give each interface its link
 * type, snapshot length, if_tsresol (10^-n or 2^-n, default 10^-6) and if_tsoffset. Packets come from
 * EPB, SPB and the obsolete PB; every other block is skipped unread. Block framing is checked as
 * wireshark's wiretap/pcapng.c does (length >= 12, multiple of 4, equal trailing length).
 *
 * Time as wiretap computes it: ts = high << 32 | low (units per second U), secs = ts / U + tsoffset
 * (64-bit), nsecs = ((ts % U) * 10^9) / U truncated. Recent wiretap evaluates the last product without
 * 64-bit overflow; tshark 4.0 wrapped it for U > 1.8e10, which no real capture uses; we follow the exact form.
 * An SPB has no timestamp: secs = nsecs = 0 and `hasTime` false (tshark prints no frame.time_epoch).
 */
import { u16be, u16le, u32be, u32le } from './bytes.js';
import type { CaptureContext } from './context.js';
import type { UnitParser } from './framer.js';
import { MAX_CAPLEN } from './pcap.js';

export const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 1;
const BLOCK_PB = 2;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
/** Block type + total length, and the trailing total length. */
const BLOCK_HEADER_LEN = 8;
const BLOCK_TRAILER_LEN = 4;
const MIN_BLOCK_LEN = BLOCK_HEADER_LEN + BLOCK_TRAILER_LEN;
/** SHB: header, byte-order magic, version (2 x u16), section length (u64), trailer. */
const MIN_SHB_LEN = MIN_BLOCK_LEN + 16;
const SHB_VERSION_MAJOR = 1;
/** Fixed parts after the block header: EPB (iface, ts high, ts low, caplen, len), PB (iface u16, drops
 *  u16, ts high, ts low, caplen, len), SPB (len), IDB (link type u16, reserved u16, snaplen). */
const EPB_FIXED = 20;
const PB_FIXED = 20;
const SPB_FIXED = 4;
const IDB_FIXED = 8;
/** wiretap's MAX_BLOCK_SIZE: an EPB with a maximal D-Bus packet and 128 KiB of options. */
const MAX_BLOCK_LEN = 32 + 128 * 1024 * 1024 + 131072;
/** Packet blocks longer than this are not buffered whole: their options are skipped as they stream by. */
const BUFFER_WHOLE_MAX = 1024 * 1024;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const OPTION_HEADER_LEN = 4;
const TSOFFSET_LEN = 8;
const TSRESOL_BINARY = 0x80;
const TSRESOL_EXPONENT = 0x7f;
/** wiretap refuses resolutions whose units per second do not fit 64 bits. */
const MAX_DECIMAL_EXPONENT = 19;
const MAX_BINARY_EXPONENT = 63;
const DEFAULT_DECIMAL_EXPONENT = 6;
const NS_PER_S = 1_000_000_000;
const NS_PER_S_BIG = 1_000_000_000n;
const DECIMAL_NS_EXPONENT = 9;
const TWO_POW_32 = 4294967296;
/** ts = high * 2^32 + low is exact in a double while high < 2^21. */
const FAST_HIGH_LIMIT = 2 ** 21;
/** (ts % 2^n) * 1e9 stays below 2^53 for n <= 23. */
const FAST_BINARY_MAX = 23;

/** One interface of the current section, with its time conversion. */
interface Interface {
  linkType: number;
  snaplen: number;
  /** Units per second U, exact as a BigInt. */
  units: bigint;
  tsoffset: bigint;
  /** Double fast path (U <= 2^53, tsoffset 0, and nanoseconds computable exactly in doubles). */
  fast: boolean;
  unitsNum: number;
  /** 10^9 / U for decimal U <= 10^9, else 0 (then binary: divide by U). */
  nsPerUnit: number;
}

export class PcapngParser implements UnitParser {
  need = MIN_BLOCK_LEN;
  private started = false;
  private le = true;
  private interfaces: Interface[] = [];
  /** Bytes of the current (large) block still to skip, then its trailer to check. */
  private skip = 0;
  private trailerPending = false;
  private blockLen = 0;
  private blockOffset = 0;
  /** Fields of the packet block being delivered, set by `packetExtent`. */
  private pIface: Interface | null = null;
  private pDataAt = 0;
  private pCaplen = 0;
  private pWireLen = 0;
  private pHigh = 0;
  private pLow = 0;
  private pHasTime = true;
  /** Packet data of a streamed (large) packet block, delivered once its trailer is checked. */
  private readonly held = new Uint8Array(MAX_CAPLEN);
  private heldBlock = false;

  constructor(private readonly ctx: CaptureContext) {}

  parse(b: Uint8Array, pos: number, end: number, offset: number): number {
    const base = offset - pos;
    for (;;) {
      const avail = end - pos;
      if (this.skip > 0) {
        const n = Math.min(this.skip, avail);
        pos += n;
        this.skip -= n;
        if (this.skip > 0) {
          this.need = 1;
          return pos;
        }
        continue;
      }
      if (this.trailerPending) {
        if (avail < BLOCK_TRAILER_LEN) {
          this.need = BLOCK_TRAILER_LEN;
          return pos;
        }
        this.checkTrailer(b, pos);
        this.trailerPending = false;
        pos += BLOCK_TRAILER_LEN;
        if (this.heldBlock) {
          this.heldBlock = false;
          this.deliver(this.held, 0, this.blockOffset);
        }
        continue;
      }
      const blockOffset = base + pos;
      if (avail < BLOCK_HEADER_LEN) {
        this.need = BLOCK_HEADER_LEN;
        return pos;
      }
      const type = this.u32(b, pos);
      if (type === BLOCK_SHB) {
        if (avail < MIN_BLOCK_LEN) {
          this.need = MIN_BLOCK_LEN;
          return pos;
        }
        this.startSection(b, pos, blockOffset);
      } else if (!this.started) {
        throw this.ctx.fault(blockOffset, 'pcapng file does not start with a Section Header Block');
      }
      const total = this.u32(b, pos + 4);
      this.checkLength(type, total, blockOffset);
      if (total <= avail) {
        this.blockLen = total;
        this.blockOffset = blockOffset;
        this.checkTrailer(b, pos + total - BLOCK_TRAILER_LEN);
        this.wholeBlock(b, pos, type, total, blockOffset);
        pos += total;
        continue;
      }
      const isPacket = type === BLOCK_EPB || type === BLOCK_PB || type === BLOCK_SPB;
      if (total <= BUFFER_WHOLE_MAX || type === BLOCK_SHB || type === BLOCK_IDB) {
        this.need = total;
        return pos;
      }
      this.blockLen = total;
      this.blockOffset = blockOffset;
      if (isPacket) {
        const fixedEnd = BLOCK_HEADER_LEN + fixedLength(type);
        if (avail < fixedEnd) {
          this.need = fixedEnd;
          return pos;
        }
        const dataEnd = this.packetExtent(b, pos, type, total, blockOffset);
        if (avail < dataEnd) {
          this.need = dataEnd;
          return pos;
        }
        // Held until the trailer is read: wiretap reads a block whole, so a block the file cuts
        // short delivers no packet.
        this.held.set(b.subarray(pos + this.pDataAt, pos + dataEnd));
        this.heldBlock = true;
        pos += dataEnd;
        this.skip = total - BLOCK_TRAILER_LEN - dataEnd;
      } else {
        pos += BLOCK_HEADER_LEN;
        this.skip = total - MIN_BLOCK_LEN;
      }
      this.trailerPending = true;
    }
  }

  finish(leftover: number, offset: number): void {
    if (!this.started) throw this.ctx.fault(offset, 'file ends inside the pcapng Section Header Block');
    if (this.skip > 0 || this.trailerPending) {
      throw this.ctx.fault(this.blockOffset, `file ends inside a pcapng block of ${this.blockLen} bytes`);
    }
    if (leftover > 0) throw this.ctx.fault(offset, `file ends inside a pcapng block (${leftover} bytes of it present)`);
  }

  private u32(b: Uint8Array, p: number): number {
    return this.le ? u32le(b, p) : u32be(b, p);
  }

  private u16(b: Uint8Array, p: number): number {
    return this.le ? u16le(b, p) : u16be(b, p);
  }

  private startSection(b: Uint8Array, pos: number, blockOffset: number): void {
    const bom = u32le(b, pos + BLOCK_HEADER_LEN);
    if (bom === BYTE_ORDER_MAGIC) this.le = true;
    else if (bom === BYTE_ORDER_MAGIC_SWAPPED) this.le = false;
    else throw this.ctx.fault(blockOffset, `bad pcapng byte-order magic ${bom.toString(16).padStart(8, '0')}`);
    this.started = true;
    this.interfaces = [];
  }

  private checkLength(type: number, total: number, blockOffset: number): void {
    let problem = '';
    if (total < MIN_BLOCK_LEN) problem = `is less than ${MIN_BLOCK_LEN}`;
    else if (total % 4 !== 0) problem = 'is not a multiple of 4';
    else if (total > MAX_BLOCK_LEN) problem = `is larger than the maximum ${MAX_BLOCK_LEN}`;
    else if (type === BLOCK_SHB && total < MIN_SHB_LEN) problem = `is too small for a Section Header Block`;
    if (problem !== '') {
      throw this.ctx.fault(blockOffset, `corrupt pcapng block (type ${type}): block length ${total} ${problem}`);
    }
  }

  private checkTrailer(b: Uint8Array, p: number): void {
    const trailing = this.u32(b, p);
    if (trailing !== this.blockLen) {
      throw this.ctx.fault(
        this.blockOffset,
        `corrupt pcapng block: block lengths (first ${this.blockLen}, last ${trailing}) do not match`,
      );
    }
  }

  /** A block whose bytes are all in b[pos, pos + total). */
  private wholeBlock(b: Uint8Array, pos: number, type: number, total: number, blockOffset: number): void {
    switch (type) {
      case BLOCK_EPB:
      case BLOCK_PB:
      case BLOCK_SPB:
        if (total < MIN_BLOCK_LEN + fixedLength(type)) {
          throw this.ctx.fault(blockOffset, `corrupt pcapng block (type ${type}): block length ${total} is too small`);
        }
        this.packetExtent(b, pos, type, total, blockOffset);
        this.deliver(b, pos + this.pDataAt, blockOffset);
        break;
      case BLOCK_SHB: {
        const major = this.u16(b, pos + 12);
        if (major !== SHB_VERSION_MAJOR) {
          throw this.ctx.fault(blockOffset, `unsupported pcapng version ${major}.${this.u16(b, pos + 14)}`);
        }
        break;
      }
      case BLOCK_IDB:
        this.interfaceBlock(b, pos, total, blockOffset);
        break;
      default:
        break;
    }
  }

  private interfaceBlock(b: Uint8Array, pos: number, total: number, blockOffset: number): void {
    if (total < MIN_BLOCK_LEN + IDB_FIXED) {
      throw this.ctx.fault(blockOffset, `corrupt pcapng Interface Description Block: length ${total} is too small`);
    }
    const linkType = this.u16(b, pos + BLOCK_HEADER_LEN);
    const snaplen = this.u32(b, pos + BLOCK_HEADER_LEN + 4);
    let tsresol = -1;
    let tsoffset = 0n;
    let p = pos + BLOCK_HEADER_LEN + IDB_FIXED;
    const optionsEnd = pos + total - BLOCK_TRAILER_LEN;
    while (p + OPTION_HEADER_LEN <= optionsEnd) {
      const code = this.u16(b, p);
      const len = this.u16(b, p + 2);
      if (code === OPT_ENDOFOPT) break;
      const value = p + OPTION_HEADER_LEN;
      if (value + len > optionsEnd) {
        throw this.ctx.fault(blockOffset, `corrupt pcapng Interface Description Block: option ${code} overruns the block`);
      }
      // wiretap keeps the first if_tsresol of length 1 and the first if_tsoffset of length 8.
      if (code === OPT_IF_TSRESOL && len === 1 && tsresol < 0) tsresol = b[value];
      if (code === OPT_IF_TSOFFSET && len === TSOFFSET_LEN && tsoffset === 0n) {
        const lo = BigInt(this.u32(b, value + (this.le ? 0 : 4)));
        const hi = BigInt(this.u32(b, value + (this.le ? 4 : 0)));
        tsoffset = BigInt.asIntN(64, (hi << 32n) | lo);
      }
      p = value + ((len + 3) & ~3);
    }
    this.interfaces.push(this.makeInterface(linkType, snaplen, tsresol, tsoffset, blockOffset));
  }

  private makeInterface(linkType: number, snaplen: number, tsresol: number, tsoffset: bigint, blockOffset: number): Interface {
    const binary = tsresol >= 0 && (tsresol & TSRESOL_BINARY) !== 0;
    const exponent = tsresol < 0 ? DEFAULT_DECIMAL_EXPONENT : tsresol & TSRESOL_EXPONENT;
    if (exponent > (binary ? MAX_BINARY_EXPONENT : MAX_DECIMAL_EXPONENT)) {
      throw this.ctx.fault(blockOffset, `unsupported pcapng if_tsresol ${binary ? 2 : 10}^-${exponent}`);
    }
    const units = binary ? 1n << BigInt(exponent) : 10n ** BigInt(exponent);
    const decimalFast = !binary && exponent <= DECIMAL_NS_EXPONENT;
    const binaryFast = binary && exponent <= FAST_BINARY_MAX;
    return {
      linkType,
      snaplen,
      units,
      tsoffset,
      fast: tsoffset === 0n && (decimalFast || binaryFast),
      unitsNum: Number(units),
      nsPerUnit: decimalFast ? 10 ** (DECIMAL_NS_EXPONENT - exponent) : 0,
    };
  }

  /**
   * Validates the fixed part of a packet block at b[pos] (its bytes must be present), stashes its
   * fields, and returns the end of its packet data relative to pos.
   */
  private packetExtent(b: Uint8Array, pos: number, type: number, total: number, blockOffset: number): number {
    const f = pos + BLOCK_HEADER_LEN;
    const room = total - MIN_BLOCK_LEN - fixedLength(type);
    let ifaceId: number;
    if (type === BLOCK_SPB) {
      ifaceId = 0;
      this.pWireLen = this.u32(b, f);
      this.pHigh = this.pLow = 0;
      this.pHasTime = false;
    } else {
      ifaceId = type === BLOCK_EPB ? this.u32(b, f) : this.u16(b, f);
      this.pHigh = this.u32(b, f + 4);
      this.pLow = this.u32(b, f + 8);
      this.pCaplen = this.u32(b, f + 12);
      this.pWireLen = this.u32(b, f + 16);
      this.pHasTime = true;
    }
    if (ifaceId >= this.interfaces.length) {
      throw this.ctx.fault(
        blockOffset,
        `pcapng packet block names interface ${ifaceId} but the section has ${this.interfaces.length}`,
      );
    }
    const iface = this.interfaces[ifaceId];
    if (type === BLOCK_SPB) {
      // Captured length = min(wire length, snapshot length (0 = none), room in the block).
      let caplen = this.pWireLen;
      if (iface.snaplen !== 0 && caplen > iface.snaplen) caplen = iface.snaplen;
      this.pCaplen = Math.min(caplen, room);
    }
    if (this.pCaplen > MAX_CAPLEN) {
      throw this.ctx.fault(blockOffset, `packet caplen ${this.pCaplen} is larger than the maximum ${MAX_CAPLEN}`);
    }
    if (this.pCaplen > room) {
      throw this.ctx.fault(blockOffset, `corrupt pcapng block: ${total} bytes cannot hold ${this.pCaplen} bytes of packet data`);
    }
    this.pIface = iface;
    this.pDataAt = BLOCK_HEADER_LEN + fixedLength(type);
    return this.pDataAt + this.pCaplen;
  }

  /** Delivers the stashed packet, whose pCaplen bytes of data start at b[at]. */
  private deliver(b: Uint8Array, at: number, blockOffset: number): void {
    const rec = this.ctx.rec;
    const iface = this.pIface as Interface;
    rec.linkType = iface.linkType;
    rec.hasTime = this.pHasTime;
    if (iface.fast && this.pHigh < FAST_HIGH_LIMIT) {
      const ts = this.pHigh * TWO_POW_32 + this.pLow;
      const units = iface.unitsNum;
      const rem = ts % units;
      rec.sec = (ts - rem) / units;
      rec.frac = iface.nsPerUnit !== 0 ? rem * iface.nsPerUnit : Math.floor((rem * NS_PER_S) / units);
    } else {
      this.exactTime(iface);
    }
    rec.caplen = this.pCaplen;
    rec.wireLen = this.pWireLen;
    rec.offset = blockOffset;
    rec.data = b.subarray(at, at + this.pCaplen);
    this.ctx.deliver();
  }

  /** The general case in 64-bit integer arithmetic, as wiretap (time_t secs, int nsecs). */
  private exactTime(iface: Interface): void {
    const ts = (BigInt(this.pHigh) << 32n) | BigInt(this.pLow);
    const rem = ts % iface.units;
    this.ctx.rec.sec = Number(BigInt.asIntN(64, ts / iface.units + iface.tsoffset));
    this.ctx.rec.frac = Number(BigInt.asIntN(32, (rem * NS_PER_S_BIG) / iface.units));
  }
}

function fixedLength(type: number): number {
  if (type === BLOCK_EPB) return EPB_FIXED;
  if (type === BLOCK_PB) return PB_FIXED;
  return SPB_FIXED;
}
