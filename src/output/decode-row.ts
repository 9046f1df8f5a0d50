import type { PacketFields } from '../decode/fields.js';
import { pyRepr } from './number.js';

/** Header of `kitsune decode` output: Kitsune-py's 9 values, named as in the reference parsed.tsv. */
export const DECODE_HEADER = [
  'IPtype',
  'srcMAC',
  'dstMAC',
  'srcIP',
  'srcProtocol',
  'dstIP',
  'dstProtocol',
  'datagramSize',
  'timestamp',
].join('\t');

/**
 * One `kitsune decode` row, tab-separated, written as the reference parsed.tsv writes Kitsune-py's
 * values: IPtype `0`, `1` or `nan`; strings as they are; datagramSize as an integer; timestamp as
 * Python's repr of the double.
 */
export function formatDecodeRow(p: PacketFields): string {
  const ipType = Number.isNaN(p.ipType) ? 'nan' : String(p.ipType);
  return (
    `${ipType}\t${p.srcMAC}\t${p.dstMAC}\t${p.srcIP}\t${p.srcProtocol}\t` +
    `${p.dstIP}\t${p.dstProtocol}\t${p.datagramSize}\t${pyRepr(p.timestamp)}`
  );
}
