import type { Command } from 'commander';
import { DECODE_HEADER, formatDecodeRow } from '../output/decode-row.js';
import { openSink, parseIntegerOption, resolveInputs, type CliContext } from './common.js';
import { forEachPacket } from './packets.js';

const EXAMPLES = `
Examples:
  kitsune decode capture.pcap                 the 9 values per packet, as Kitsune-py sees them
  kitsune decode part1.pcap part2.pcapng.gz   several inputs are one stream
  tshark -r x.pcap -T fields ... | kitsune decode -`;

/** `kitsune decode`: what the feature extractor sees for each packet (the fidelity probe). */
export function registerDecode(program: Command, context: CliContext): void {
  program
    .command('decode')
    .description("print, per packet, the 9 values Kitsune-py's feature extractor hands to AfterImage")
    .argument('[inputs...]', 'pcap, pcapng (optionally gzip/zstd compressed) or tshark TSV; - is standard input')
    .option('-o, --output <file>', 'write to FILE instead of standard output')
    .option('--limit <n>', 'stop after N packets', parseIntegerOption('--limit', 0))
    .addHelpText('after', EXAMPLES)
    .action(async (inputs: string[], options: { output?: string; limit?: number }) => {
      const files = resolveInputs(inputs, context);
      const sink = openSink(options.output, files);
      sink.write(`${DECODE_HEADER}\n`);
      try {
        await forEachPacket(files, context, sink, { limit: options.limit }, (packet) => {
          sink.write(`${formatDecodeRow(packet)}\n`);
        });
      } finally {
        await sink.end();
      }
    });
}
