import { readInputs } from '../capture/reader.js';
import type { CaptureRecord } from '../capture/record.js';
import { PacketFields, TsharkFields } from '../decode/fields.js';
import { toPacketFields } from '../decode/kitsune-row.js';
import { PacketDecoder } from '../decode/packet.js';
import { readPackets } from '../decode/stream.js';

/**
 * Decoder benchmark, median of RUNS runs, each repeating the capture until MIN_RUN_MS have passed
 * (reference captures hold only thousands of packets):
 * - `decode`: packets/s of readPackets (file read in chunks + record parsing + the 19 tshark fields +
 *   Kitsune-py's 9 values), what `kitsune decode` does before formatting;
 * - `decode (records in memory)`: packets/s of decodeRecord + toPacketFields alone, on records read
 *   beforehand, to separate the decoder from the reader.
 */

const RUNS = 5;
const MIN_RUN_MS = 300;
const MS_PER_S = 1000;

export interface DecodeBenchResult {
  name: string;
  unit: string;
  runs: number[];
  median: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeReadPackets(capturePath: string): Promise<number> {
  let packets = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    await readPackets([capturePath], (p) => {
      if (p.datagramSize >= 0) packets++;
    });
    elapsed = performance.now() - started;
  } while (elapsed < MIN_RUN_MS);
  return (packets * MS_PER_S) / elapsed;
}

async function loadRecords(capturePath: string): Promise<CaptureRecord[]> {
  const records: CaptureRecord[] = [];
  await readInputs([capturePath], {
    onRecord(rec) {
      records.push({ ...rec, data: rec.data.slice() });
    },
    onFields() {},
  });
  return records;
}

function timeDecodeOnly(records: CaptureRecord[]): number {
  const decoder = new PacketDecoder();
  const t = new TsharkFields();
  const p = new PacketFields();
  let packets = 0;
  let sizes = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    for (const rec of records) {
      decoder.decode(rec, t);
      toPacketFields(t, rec.index, p);
      sizes += p.datagramSize;
    }
    packets += records.length;
    elapsed = performance.now() - started;
  } while (elapsed < MIN_RUN_MS);
  if (sizes < 0) throw new Error('unreachable: keeps the loop observable');
  return (packets * MS_PER_S) / elapsed;
}

export async function benchDecode(capturePath: string): Promise<DecodeBenchResult[]> {
  const full: number[] = [];
  for (let r = 0; r < RUNS; r++) full.push(await timeReadPackets(capturePath));
  const records = await loadRecords(capturePath);
  const decodeOnly: number[] = [];
  for (let r = 0; r < RUNS; r++) decodeOnly.push(timeDecodeOnly(records));
  return [
    { name: 'decode', unit: 'packets/s', runs: full, median: median(full) },
    { name: 'decode (records in memory)', unit: 'packets/s', runs: decodeOnly, median: median(decodeOnly) },
  ];
}
