import { readFileSync } from 'node:fs';

const PCAP_HEADER = 24;
const RECORD_HEADER = 16;
const CAPLEN_OFFSET = 8;

/**
 * Splits a little-endian classic pcap into two valid pcaps at record `at` (records 0..at-1 and the
 * rest), each with the original file header: rotated captures for the model-continuation tests.
 */
export function splitPcap(file: string, at: number): [Buffer, Buffer] {
  const bytes = readFileSync(file);
  const header = bytes.subarray(0, PCAP_HEADER);
  let offset = PCAP_HEADER;
  for (let record = 0; record < at; record++) {
    offset += RECORD_HEADER + bytes.readUInt32LE(offset + CAPLEN_OFFSET);
  }
  return [bytes.subarray(0, offset), Buffer.concat([header, bytes.subarray(offset)])];
}
