import { readInputs, type ReadOptions } from '../capture/reader.js';
import type { CaptureRecord } from '../capture/record.js';
import { PacketFields, TsharkFields } from './fields.js';
import { toPacketFields } from './kitsune-row.js';
import { PacketDecoder } from './packet.js';

export type PacketStreamOptions = ReadOptions & { afterChunk?: () => void | Promise<void> };

/**
 * Reads the inputs (captures or tshark TSV) as one packet stream and hands each packet's 9 Kitsune-py
 * values to `onPacket`, synchronously, on ONE reused PacketFields (copy what you keep). Binary records
 * are decoded to tshark's fields first (one reassembly state for the whole run); TSV rows already are.
 */
export async function readPackets(
  inputs: string[],
  onPacket: (p: PacketFields) => void,
  opts?: PacketStreamOptions,
): Promise<{ packets: number }> {
  const decoder = new PacketDecoder();
  const tshark = new TsharkFields();
  const packet = new PacketFields();
  return readInputs(
    inputs,
    {
      onRecord(rec: CaptureRecord): void {
        decoder.decode(rec, tshark);
        toPacketFields(tshark, rec.index, packet);
        onPacket(packet);
      },
      onFields(fields: TsharkFields, index: number): void {
        toPacketFields(fields, index, packet);
        onPacket(packet);
      },
      afterChunk: opts?.afterChunk,
    },
    opts,
  );
}
