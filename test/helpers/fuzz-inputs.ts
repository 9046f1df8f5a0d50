/**
 * The valid inputs the malformed-input suite mutates, all small: the first BASE_RECORDS records of
 * fixtures/tiny.pcap as classic pcap, the same frames as pcapng (src/synth's writer), the pcap
 * gzipped, and the same packets as tshark TSV text (header + one row of the 19 fields per packet).
 *
 * Each comes with its record boundaries, found by walking the known-valid file's length fields
 * (pcap-savefile(5): 24-byte file header, 16-byte record headers with caplen at +8; pcapng: block
 * total length at +4), independently of the reader under test: `recordEnds[k]` is the offset just
 * after record k, `cutPoints` every offset where a truncation leaves a valid file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseBuffers } from '../../src/capture/reader.js';
import { formatEpoch } from '../../src/capture/timestamp.js';
import { TSHARK_FIELD_NAMES, TsharkFields } from '../../src/decode/fields.js';
import { PacketDecoder } from '../../src/decode/packet.js';
import { PcapngWriter } from '../../src/synth/pcapng-writer.js';
import { ROOT } from './shared.js';

/** Records taken from tiny.pcap: enough to pass --fm-grace 20 --ad-grace 30 into the execute phase. */
export const BASE_RECORDS = 60;
export const PCAP_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;
/** Offset of caplen in a pcap record header. */
export const PCAP_CAPLEN_AT = 8;
const PCAP_USEC_PER_SEC = 1_000_000;

export interface BaseInput {
  name: string;
  bytes: Uint8Array;
  /** Offset just after each record (pcap record, pcapng EPB, TSV line). */
  recordEnds: number[];
  /** Offsets where the file may end validly (the header's or a block's or a record's end). */
  cutPoints: number[];
  /** Offset where each record starts. */
  recordStarts: number[];
}

export interface BaseInputs {
  pcap: BaseInput;
  pcapng: BaseInput;
  tsv: BaseInput;
  /** The pcap, gzipped (member boundaries are not record boundaries). */
  gzip: Uint8Array;
}

let cached: BaseInputs | undefined;

export function baseInputs(): BaseInputs {
  cached ??= buildBaseInputs();
  return cached;
}

function buildBaseInputs(): BaseInputs {
  const tiny = new Uint8Array(readFileSync(path.join(ROOT, 'fixtures', 'tiny.pcap')));
  const view = new DataView(tiny.buffer, tiny.byteOffset, tiny.byteLength);
  const starts: number[] = [];
  const ends: number[] = [];
  let at = PCAP_HEADER_BYTES;
  for (let k = 0; k < BASE_RECORDS; k++) {
    starts.push(at);
    at += PCAP_RECORD_HEADER_BYTES + view.getUint32(at + PCAP_CAPLEN_AT, true);
    ends.push(at);
  }
  const pcap: BaseInput = {
    name: 'pcap',
    bytes: tiny.slice(0, at),
    recordStarts: starts,
    recordEnds: ends,
    cutPoints: [PCAP_HEADER_BYTES, ...ends],
  };
  return { pcap, pcapng: pcapngOf(pcap), tsv: tsvOf(pcap), gzip: new Uint8Array(gzipSync(pcap.bytes)) };
}

/** The same frames and microsecond times through src/synth's pcapng writer. */
function pcapngOf(pcap: BaseInput): BaseInput {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kitsune-fuzz-base-'));
  const file = path.join(dir, 'base.pcapng');
  const view = new DataView(pcap.bytes.buffer, pcap.bytes.byteOffset, pcap.bytes.byteLength);
  const writer = new PcapngWriter(file);
  for (const start of pcap.recordStarts) {
    const timeUs = view.getUint32(start, true) * PCAP_USEC_PER_SEC + view.getUint32(start + 4, true);
    const caplen = view.getUint32(start + PCAP_CAPLEN_AT, true);
    const frame = pcap.bytes.subarray(start + PCAP_RECORD_HEADER_BYTES, start + PCAP_RECORD_HEADER_BYTES + caplen);
    writer.packet(timeUs, frame, caplen);
  }
  writer.close();
  const bytes = new Uint8Array(readFileSync(file));
  rmSync(dir, { recursive: true, force: true });
  // Walk the blocks: SHB, IDB, then one EPB per packet.
  const blockEnds: number[] = [];
  const blockStarts: number[] = [];
  const bview = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < bytes.length; ) {
    blockStarts.push(at);
    at += bview.getUint32(at + 4, true);
    blockEnds.push(at);
  }
  const HEAD_BLOCKS = 2;
  return {
    name: 'pcapng',
    bytes,
    recordStarts: blockStarts.slice(HEAD_BLOCKS),
    recordEnds: blockEnds.slice(HEAD_BLOCKS),
    cutPoints: blockEnds,
  };
}

/** tshark's text for the same packets: what `tshark -T fields -E header=y -E occurrence=f` prints. */
function tsvOf(pcap: BaseInput): BaseInput {
  const decoder = new PacketDecoder();
  const fields = new TsharkFields();
  const lines = [TSHARK_FIELD_NAMES.join('\t')];
  parseBuffers([{ name: 'base', bytes: pcap.bytes }], {
    onRecord(rec) {
      decoder.decode(rec, fields);
      const f = fields;
      lines.push(
        [
          formatEpoch(rec.sec, rec.frac),
          String(rec.wireLen),
          f.ethSrc,
          f.ethDst,
          f.ipSrc,
          f.ipDst,
          f.tcpSrcport,
          f.tcpDstport,
          f.udpSrcport,
          f.udpDstport,
          f.icmpType,
          f.icmpCode,
          f.arpOpcode,
          f.arpSrcHwMac,
          f.arpSrcProtoIpv4,
          f.arpDstHwMac,
          f.arpDstProtoIpv4,
          f.ipv6Src,
          f.ipv6Dst,
        ].join('\t'),
      );
    },
    onFields() {
      throw new Error('the base pcap is binary');
    },
  });
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  lines.forEach((line, i) => {
    if (i > 0) starts.push(at);
    at += line.length + 1;
    if (i > 0) ends.push(at);
  });
  const headerEnd = lines[0].length + 1;
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  return { name: 'tsv', bytes, recordStarts: starts, recordEnds: ends, cutPoints: [headerEnd, ...ends] };
}

/** Number of records wholly before offset `cut`. */
export function recordsBefore(input: BaseInput, cut: number): number {
  let n = 0;
  while (n < input.recordEnds.length && input.recordEnds[n] <= cut) n++;
  return n;
}
